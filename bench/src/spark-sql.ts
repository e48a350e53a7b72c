// The Spark SQL of the Spark peer, compiled from the same spec by the project's Spark compiler
// (packages/engine-core/src/spark/spark-compiler.ts, the compiler the Glue script is generated
// from): CREATE TABLE, cast + latest-per-key dedupe + INSERT INTO, and MERGE INTO.

import { parseSpec, partitionFieldsFromSpec, planLoad, schemaFromSpec, type SourceRead } from "@engine/core";

const RELATIONS = { source: "source", rows: "__engine_rows", input: "__engine_input" } as const;
import { COLUMNS, ordersSpec } from "./dataset.js";

/** Statements for bench/py/spark_case.py; the CSV is registered as the temp view `source`. */
export interface SparkStatements {
  readonly create: string;
  readonly load: string;
  readonly merge: string;
  /** Where the statements come from. */
  readonly origin: string;
}

const TARGET = "local.bench.orders";

/** Compiles the benchmark spec to Spark SQL (falls back to no statements when the compiler is absent). */
export async function sparkStatements(): Promise<SparkStatements> {
  const mod = (await import("../../packages/engine-core/src/spark/spark-compiler.js")) as typeof import("../../packages/engine-core/src/spark/spark-compiler.js");
  const compiler = new mod.SparkLoadCompiler();
  const statements = (mode: "append" | "merge") => {
    const spec = parseSpec(ordersSpec({ mode }));
    const schema = schemaFromSpec(spec);
    const source = { format: "csv", files: [], sql: "source", columns: COLUMNS.map((c) => c.name), dialect: {} } as unknown as SourceRead;
    const plan = planLoad(spec, { source, inputColumns: source.columns, schema, partitionFields: partitionFieldsFromSpec(spec, schema), dataPath: "", filePrefix: "" });
    // cast (a view over the string columns of the CSV) → dedupe → the write.
    const rows = `(${compiler.castQuery(plan.cast, RELATIONS.source)}) AS ${compiler.quote(RELATIONS.rows)}`;
    const input = compiler.inputQuery(plan, RELATIONS.rows).replace(compiler.quote(RELATIONS.rows), rows);
    return { plan, input };
  };
  const append = statements("append");
  const merge = statements("merge");
  const target = (sql: string): string => sql.replaceAll(mod.TARGET_TABLE, TARGET);
  const mergeSql = target(compiler.mergeIntoStatement(merge.plan)).replace(`SELECT * FROM ${compiler.quote(RELATIONS.input)}`, merge.input);
  return {
    create: target(compiler.createTableStatement(append.plan)),
    load: target(compiler.writeStatement(append.plan.write, append.input)),
    merge: mergeSql,
    origin: "SparkLoadCompiler (packages/engine-core/src/spark) — compileGlueScript not present yet",
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await sparkStatements(), null, 2)}\n`);
}
