// The load plan compiled to Spark SQL (Spark 3.3/3.5 with Iceberg): the DuckDB compiler's
// visitor with Spark's hooks (backtick quoting, Spark type names, a `row_number()` subquery for
// QUALIFY, Iceberg computing partition values, INSERT/MERGE writes), plus the few statements
// only a Spark load needs (CREATE TABLE with partition transforms, cast-failure counts, MERGE).

import type { IcebergType, Transform } from "@engine/iceberg";
import { DuckDbLoadCompiler, EXTRA_COLUMNS, RELATIONS } from "../load/duckdb-compiler.js";
import type { CastNode, LoadPlan, PartitionFieldPlan, PartitionNode, WriteNode } from "../load/plan.js";

/** Stands for the target table in compiled statements; the script replaces it with `catalog.ns.table`. */
export const TARGET_TABLE = "{target}";

/** The Spark SQL type of an Iceberg type (timestamptz → `timestamp`, timestamp → `timestamp_ntz`). */
export function sparkType(type: IcebergType): string {
  switch (type.kind) {
    case "decimal": return `decimal(${type.precision},${type.scale})`;
    case "fixed": return "binary";
    case "primitive":
      switch (type.name) {
        case "boolean": return "boolean";
        case "int": return "int";
        case "long": return "bigint";
        case "float": return "float";
        case "double": return "double";
        case "date": return "date";
        // Spark has no time type; Iceberg's Spark integration reads time as a string is not
        // possible either, so a time column is refused when the script is compiled.
        case "time": throw new Error("spark: Iceberg time columns have no Spark type");
        case "timestamp": case "timestamp_ns": return "timestamp_ntz";
        case "timestamptz": case "timestamptz_ns": return "timestamp";
        case "string": case "uuid": return "string";
        case "binary": return "binary";
      }
      break;
    case "list": return `array<${sparkType(type.element)}>`;
    case "map": return `map<${sparkType(type.key)},${sparkType(type.value)}>`;
    case "struct": return `struct<${type.fields.map((f) => `${quoteSpark(f.name)}:${sparkType(f.type)}`).join(",")}>`;
  }
  throw new Error(`spark: no Spark type for ${JSON.stringify(type)}`);
}

/** A Spark SQL string literal: Spark reads backslash escapes and joins adjacent literals, so both are escaped. */
export function sparkString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** Spark identifier quoting: backticks, embedded backticks doubled. */
export function quoteSpark(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** The Iceberg DDL transform of a partition field: `days(order_ts)`, `bucket(16, id)`, `truncate(4, s)`. */
export function sparkPartitionTransform(transform: Transform, column: string): string {
  const c = quoteSpark(column);
  switch (transform.kind) {
    case "identity": return c;
    case "year": return `years(${c})`;
    case "month": return `months(${c})`;
    case "day": return `days(${c})`;
    case "hour": return `hours(${c})`;
    case "bucket": return `bucket(${transform.n}, ${c})`;
    case "truncate": return `truncate(${transform.width}, ${c})`;
    case "void": throw new Error("spark: void partition fields cannot be created with Spark DDL");
  }
}

/**
 * Compiles a load plan to Spark SQL by overriding the DuckDB compiler's hooks.
 *
 * ```ts
 * const c = new SparkLoadCompiler();
 * c.inputQuery(plan, RELATIONS.rows);   // the deduped batch, row_number() subquery instead of QUALIFY
 * c.mergeIntoStatement(plan);           // MERGE INTO {target} … (replace {target} at run time)
 * ```
 */
export class SparkLoadCompiler extends DuckDbLoadCompiler {
  /** Spark 3.x has no QUALIFY: number the rows in a subquery; `struct(*)` keeps every column without listing them. */
  override keepOne(from: string, partitionBy: readonly string[], orderBy: readonly string[]): string {
    return `SELECT __engine_row.* FROM (SELECT struct(*) AS __engine_row, row_number() OVER (PARTITION BY ${partitionBy.join(", ")} ORDER BY ${orderBy.join(", ")}) AS __engine_rn FROM ${from}) WHERE __engine_rn = 1`;
  }

  /** Iceberg's Spark writer computes partition values from the table's spec: the rows go as they are. */
  override visitPartition(_node: PartitionNode, query: string): string {
    return query;
  }

  /** Iceberg computes partition values (see `visitPartition`); this is only used for DDL-free previews. */
  override partitionValue(field: PartitionFieldPlan): string {
    return sparkPartitionTransform(field.transform, field.sourceColumn);
  }

  /**
   * The write: `INSERT INTO` (append), `INSERT OVERWRITE` (overwrite runs it with
   * `partitionOverwriteMode=static`, replace-partitions with `dynamic`) or the MERGE of
   * `mergeIntoStatement`. `query` reads the batch; `{target}` is replaced at run time.
   */
  override writeStatement(node: WriteNode, query: string): string {
    switch (node.mode) {
      case "append": return `INSERT INTO ${TARGET_TABLE} ${query}`;
      case "overwrite": case "replace-partitions": return `INSERT OVERWRITE ${TARGET_TABLE} ${query}`;
      case "merge": return `MERGE INTO ${TARGET_TABLE} AS t USING (${query})`;
    }
  }

  override typeName(type: IcebergType): string {
    return sparkType(type);
  }

  override quote(name: string): string {
    return quoteSpark(name);
  }

  /**
   * Spark's (non-ANSI) CAST turns a value it cannot read into NULL, where DuckDB fails: one row
   * with, per column read from the source, how many non-null inputs cast to NULL (`c0`, `c1`, …)
   * and one such input (`e0`, `e1`, …), so the load fails naming the column like the local engine.
   */
  castFailureQuery(node: CastNode, from: string): { sql: string; columns: readonly string[] } | undefined {
    const checked = node.columns.filter((c) => c.from !== undefined);
    if (checked.length === 0) return undefined;
    const parts = checked.flatMap((c, i) => {
      const src = c.isExpression ? `(${c.from})` : this.quote(c.from!);
      const bad = `${src} IS NOT NULL AND ${this.castExpression(src, c.type)} IS NULL`;
      return [`count_if(${bad}) AS c${i}`, `min(CASE WHEN ${bad} THEN CAST(${src} AS string) END) AS e${i}`];
    });
    return { sql: `SELECT ${parts.join(", ")} FROM ${this.quote(from)}`, columns: checked.map((c) => c.name) };
  }

  /** One key of the batch that appears more than once (a merge needs one row per key), as text with its count. */
  duplicateKeyQuery(plan: LoadPlan): string {
    const keys = plan.write.key.map((k) => this.quote(k));
    return `SELECT concat_ws(', ', ${keys.map((k) => `CAST(${k} AS string)`).join(", ")}) AS k, count(*) AS n FROM ${this.quote(RELATIONS.input)} GROUP BY ${keys.join(", ")} HAVING count(*) > 1 LIMIT 1`;
  }

  /**
   * MERGE INTO the table from the batch with the local engine's decisions: rows match on the key
   * NULL-safely; an incoming row older than the table's by `mergeOrderBy` (NULL lowest) leaves
   * the table's row alone (`stale`), a delete marker deletes, anything else updates; unmatched
   * rows are inserted unless they are delete markers (`ignore`).
   */
  mergeIntoStatement(plan: LoadPlan): string {
    const q = (c: string): string => this.quote(c);
    const cols = plan.cast.columns.map((c) => c.name);
    const on = plan.write.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM s.${q(k)}`).join(" AND ");
    const older = this.olderThan(plan.write.mergeOrderBy.map((c) => [`s.${q(c)}`, `t.${q(c)}`] as const));
    const fresh = older === undefined ? "" : ` AND NOT coalesce(${older}, false)`;
    const del = plan.cast.deleteMarker ? `s.${q(EXTRA_COLUMNS.delete)}` : undefined;
    return [
      `${this.writeStatement(plan.write, `SELECT * FROM ${q(RELATIONS.input)}`)} AS s ON ${on}`,
      ...(del ? [`WHEN MATCHED${fresh} AND ${del} THEN DELETE`] : []),
      `WHEN MATCHED${fresh} THEN UPDATE SET ${cols.map((c) => `t.${q(c)} = s.${q(c)}`).join(", ")}`,
      `WHEN NOT MATCHED${del ? ` AND NOT ${del}` : ""} THEN INSERT (${cols.map(q).join(", ")}) VALUES (${cols.map((c) => `s.${q(c)}`).join(", ")})`,
    ].join("\n");
  }

  /** CREATE TABLE IF NOT EXISTS with the plan's columns, partition transforms and format version 2. */
  createTableStatement(plan: LoadPlan, properties: Readonly<Record<string, string>> = {}): string {
    const cols = plan.write.fields.map((f) => `${this.quote(f.name)} ${this.typeName(f.type)}${f.required ? " NOT NULL" : ""}${f.doc ? ` COMMENT ${sparkString(f.doc)}` : ""}`);
    const partition = plan.partition ? ` PARTITIONED BY (${plan.partition.fields.map((f) => sparkPartitionTransform(f.transform, f.sourceColumn)).join(", ")})` : "";
    // Partitioned: Spark sorts each task's rows by partition and keeps one file open, instead
    // of Iceberg's default fanout writer, which opens one Parquet writer per partition a task
    // sees and runs out of heap on a large batch over many days (seen: 9.5M rows, 365 days, 4 GB).
    const props = { "format-version": "2", ...(plan.partition ? { "write.spark.fanout.enabled": "false" } : {}), ...properties };
    const tblProps = Object.entries(props).map(([k, v]) => `${sparkString(k)}=${sparkString(v)}`).join(", ");
    return `CREATE TABLE IF NOT EXISTS ${TARGET_TABLE} (${cols.join(", ")}) USING iceberg${partition} TBLPROPERTIES (${tblProps})`;
  }
}
