import { duckDbType, fieldIdsValue } from "../duckdb/types.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { IcebergType } from "@engine/iceberg";
import type { CastNode, DedupeNode, LoadPlan, PartitionFieldPlan, PartitionNode, StageNode, TransformNode, WriteNode } from "./plan.js";
import { partitionExpression } from "./partition-sql.js";

/** One statement of a compiled load, named by the plan step it comes from. */
export interface CompiledStep {
  readonly name: "stage" | "transform" | "cast" | "write";
  readonly sql: string;
}

/** A load compiled to SQL: setup statements, a required-columns check and the final write. */
export interface CompiledLoad {
  readonly steps: readonly CompiledStep[];
  /** Returns one row of null counts, one column per required column; empty when none are required. */
  readonly requiredCheck?: string;
  /** The relation (name) holding cast rows, for counts and diagnostics. */
  readonly rowsRelation: string;
  /** The relation feeding the write (after dedupe and partition values). */
  readonly finalQuery: string;
}

/** Relation names used by the compiled statements. */
export const RELATIONS = Object.freeze({ source: "source", transformed: "__engine_transformed", rows: "__engine_rows" });

/**
 * Compiles a load plan to DuckDB SQL, one visitor method per node kind. Engines that differ
 * override the hooks: `quote`, `typeName`, `keepOne` (QUALIFY vs a `row_number()` subquery),
 * `partitionValue` and `writeStatement`.
 *
 * ```ts
 * const compiled = new DuckDbLoadCompiler().compile(plan);
 * for (const step of compiled.steps) await db.run(step.sql);
 * ```
 */
export class DuckDbLoadCompiler {
  /** Compiles the whole plan. */
  compile(plan: LoadPlan): CompiledLoad {
    const steps: CompiledStep[] = [this.visitStage(plan.stage)];
    let from: string = RELATIONS.source;
    if (plan.transform) {
      steps.push(this.visitTransform(plan.transform));
      from = RELATIONS.transformed;
    }
    steps.push(this.visitCast(plan.cast, from));
    let query = `SELECT * FROM ${this.quote(RELATIONS.rows)}`;
    if (plan.dedupe) query = this.visitDedupe(plan.dedupe, RELATIONS.rows);
    if (plan.partition) query = this.visitPartition(plan.partition, query, plan.cast);
    steps.push({ name: "write", sql: this.visitWrite(plan.write, query, plan.partition) });
    const required = plan.cast.columns.filter((c) => c.required);
    const requiredCheck = required.length === 0
      ? undefined
      : `SELECT ${required.map((c) => `count(*) FILTER (WHERE ${this.quote(c.name)} IS NULL) AS ${this.quote(c.name)}`).join(", ")} FROM ${this.quote(RELATIONS.rows)}`;
    return { steps, ...(requiredCheck ? { requiredCheck } : {}), rowsRelation: RELATIONS.rows, finalQuery: query };
  }

  /** Stage: a view named `source` over the reader, so transforms can refer to it. */
  visitStage(node: StageNode): CompiledStep {
    return { name: "stage", sql: `CREATE OR REPLACE TEMP VIEW ${this.quote(RELATIONS.source)} AS SELECT * FROM ${node.relation}` };
  }

  /** Transform: the user's SQL as a view over `source`. */
  visitTransform(node: TransformNode): CompiledStep {
    const sql = node.sql.trim().replace(/;\s*$/, "");
    return { name: "transform", sql: `CREATE OR REPLACE TEMP VIEW ${this.quote(RELATIONS.transformed)} AS ${sql}` };
  }

  /** Cast: materializes typed rows, so reader and cast errors surface before anything is written. */
  visitCast(node: CastNode, from: string): CompiledStep {
    const cols = node.columns.map((c) => `${this.castExpression(c.from === undefined ? "NULL" : c.isExpression ? `(${c.from})` : this.quote(c.from), c.type)} AS ${this.quote(c.name)}`);
    return { name: "cast", sql: `CREATE OR REPLACE TEMP TABLE ${this.quote(RELATIONS.rows)} AS SELECT ${cols.join(", ")} FROM ${this.quote(from)}` };
  }

  /** Dedupe: DISTINCT for exact duplicates, else one row per key by the order. */
  visitDedupe(node: DedupeNode, from: string): string {
    if (node.keep === "exact") return `SELECT DISTINCT * FROM ${this.quote(from)}`;
    const dir = node.keep === "latest" ? "DESC" : "ASC";
    const order = [
      ...node.orderBy.map((c) => `${this.quote(c)} ${dir} NULLS LAST`),
      // Deterministic tie-break over all columns so equal-order duplicates always resolve the same way.
      ...node.allColumns.map((c) => `${this.quote(c)} ASC NULLS LAST`),
    ];
    return this.keepOne(this.quote(from), node.key.map((k) => this.quote(k)), order);
  }

  /** Hook: keeps the first row per partition by order. DuckDB and Trino have QUALIFY; others override with a subquery. */
  keepOne(from: string, partitionBy: readonly string[], orderBy: readonly string[]): string {
    return `SELECT * FROM ${from} QUALIFY row_number() OVER (PARTITION BY ${partitionBy.join(", ")} ORDER BY ${orderBy.join(", ")}) = 1`;
  }

  /** Partition: adds one value column per non-identity partition field. */
  visitPartition(node: PartitionNode, query: string, cast: CastNode): string {
    const extra = node.fields
      .filter((f) => f.transform.kind !== "identity")
      .map((f) => `${this.partitionValue(f)} AS ${this.quote(f.name)}`);
    const cols = cast.columns.map((c) => this.quote(c.name));
    return `SELECT ${[...cols, ...extra].join(", ")} FROM (${query})`;
  }

  /** Hook: the expression computing one partition value (see `partitionExpression`). */
  partitionValue(field: PartitionFieldPlan): string {
    return partitionExpression(field.transform, this.quote(field.sourceColumn), field.sourceType);
  }

  /** Write: one COPY with field ids, statistics and (when partitioned) Hive folders. */
  visitWrite(node: WriteNode, query: string, partition?: PartitionNode): string {
    return this.writeStatement(node, query, partition);
  }

  /** Hook: the engine's write statement. */
  writeStatement(node: WriteNode, query: string, partition?: PartitionNode): string {
    const options = [
      "FORMAT parquet",
      "COMPRESSION zstd",
      `FIELD_IDS {${node.fields.map(fieldIdsValue).join(", ")}}`,
      `ROW_GROUP_SIZE ${node.rowGroupSize}`,
      `FILENAME_PATTERN ${quoteString(`${node.filePrefix}-{uuid}`)}`,
      "RETURN_STATS",
    ];
    let body = query;
    if (partition && partition.fields.length > 0) {
      const names = partition.fields.map((f) => this.quote(f.transform.kind === "identity" ? f.sourceColumn : f.name));
      options.push(`PARTITION_BY (${names.join(", ")})`, "APPEND");
      // Identity fields are data columns and must stay in the files; derived values then travel too.
      if (partition.fields.some((f) => f.transform.kind === "identity")) options.push("WRITE_PARTITION_COLUMNS true");
      // Rows grouped by partition keep the number of files per partition low.
      body = `${query} ORDER BY ${names.join(", ")}`;
    } else {
      options.push(`FILE_SIZE_BYTES ${node.targetFileSizeBytes}`, "APPEND");
    }
    return `COPY (${body}) TO ${quoteString(node.dataPath)} (${options.join(", ")})`;
  }

  /** Hook: a cast to the engine's type for an Iceberg type. */
  castExpression(expr: string, type: IcebergType): string {
    return `CAST(${expr} AS ${this.typeName(type)})`;
  }

  /** Hook: the engine's type name for an Iceberg type. */
  typeName(type: IcebergType): string {
    return duckDbType(type);
  }

  /** Hook: identifier quoting. */
  quote(name: string): string {
    return quoteIdent(name);
  }
}
