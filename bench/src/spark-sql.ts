// What the Spark peer runs, compiled from the same spec: for the load (4) the Glue job script
// `engine gen glue` deploys (compileGlueScript: read, cast, dedupe, 3 rules, create + INSERT INTO,
// load id); for the merge (5) the MERGE INTO of the Spark compiler the script is built on.

import { parseSpec, partitionFieldsFromSpec, planLoad, schemaFromSpec, type SourceRead } from "@engine/core";
import { compileGlueScript } from "@engine/core/spark";

const RELATIONS = { source: "source", rows: "__engine_rows", input: "__engine_input" } as const;
import { COLUMNS, ordersSpec } from "./dataset.js";

/** Statements for bench/py/spark_case.py; the CSV is registered as the temp view `source`. */
export interface SparkStatements {
  readonly create: string;
  readonly load: string;
  readonly merge: string;
  /** Where the statements come from. */
  readonly origin: string;
  /** (4): the PySpark script `engine gen glue` deploys for this spec (catalog `local`), run by spark_case.py. */
  readonly glueScript: string;
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
    origin: "load: compileGlueScript (the generated Glue job script); merge: SparkLoadCompiler.mergeIntoStatement",
    glueScript: compileGlueScript(parseSpec(ordersSpec({ mode: "append" }), { params: "defer" }), { catalog: "local" }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await sparkStatements(), null, 2)}\n`);
}
