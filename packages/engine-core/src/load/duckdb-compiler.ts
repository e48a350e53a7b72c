import { duckDbType, fieldIdsValue } from "../duckdb/types.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { IcebergType } from "@engine/iceberg";
import type { CastNode, DedupeNode, LoadPlan, PartitionFieldPlan, PartitionNode, StageNode, TransformNode, WriteNode } from "./plan.js";
import { hiveKeyColumn, keyedByHex, partitionExpression } from "./partition-sql.js";
import { bucketSql } from "./bucket-sql.js";

/** One statement of a compiled load, named by the plan step it comes from. */
export interface CompiledStep {
  readonly name: "stage" | "transform" | "cast" | "input" | "write";
  readonly sql: string;
}

/** A load compiled to SQL: setup statements, a required-columns check and the final write. */
export interface CompiledLoad {
  /** stage → transform? → cast → input → write; run all but `write` to stage the batch. */
  readonly steps: readonly CompiledStep[];
  /** Returns one row of null counts, one column per required column; empty when none are required. */
  readonly requiredCheck?: string;
  /** The relation (name) holding cast rows, for counts and diagnostics (gone after the `input` step). */
  readonly rowsRelation: string;
  /**
   * After the `input` step: one row with `rows_read` (cast rows before dedupe), `input_rows`
   * and, per required column, its null count over the cast rows (column named after it).
   * The `input` step counts these in its own pass, so this reads only the staged table.
   * Undefined for compilers whose output the local runner does not stage.
   */
  readonly inputCounts?: string;
  /** After `inputCounts`: drops the count columns and (`against: table`) the keys already in the table (`input_rows` then counts before that delete). */
  readonly inputFinish?: string;
  /** The table holding the deduped batch (`__engine_input`), what validation and the write modes read. */
  readonly inputRelation: string;
  /** The relation feeding the write (after dedupe and partition values). */
  readonly finalQuery: string;
}

const STRING: IcebergType = { kind: "primitive", name: "string" };
/** Count columns the `input` step adds (or, for `keep: latest|first`, puts in `RELATIONS.counts`). */
const COUNT_COLUMN = "__engine_n";
const NULLS_COLUMN = "__engine_null_";

/** Relation names used by the compiled statements. */
export const RELATIONS = Object.freeze({
  source: "source",
  transformed: "__engine_transformed",
  rows: "__engine_rows",
  /** The staged, deduped batch: a table, so validation may count it and quarantine may delete from it. */
  input: "__engine_input",
  /** The cast rows while the `input` step dedupes them (`keep: latest|first` with a column named `rowid`). */
  cast: "__engine_cast",
  /** One row: the rows read and their nulls in required columns, counted before that dedupe. */
  counts: "__engine_counts",
  /** The table's live rows (a view), for `dedupe.against: table`. */
  existing: "__engine_existing",
  /** The live rows of the files a merge may rewrite, with `__engine_file`. */
  target: "__engine_target",
  /** A merge's outcome: every target and batch row with its `__engine_action`. */
  merged: "__engine_merged",
});

/** Extra columns the compiled statements add beside the table's columns. */
export const EXTRA_COLUMNS = Object.freeze({ delete: "__engine_delete", action: "__engine_action", file: "__engine_file" });

/** What a merge does to one row (the `__engine_action` column of `RELATIONS.merged`). */
export type MergeAction = "keep" | "insert" | "update" | "unchanged" | "delete" | "stale" | "ignore";

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
    steps.push(this.inputStep(plan));
    const query = this.writeQuery(plan, RELATIONS.input);
    steps.push({ name: "write", sql: this.visitWrite(plan.write, query, plan.partition) });
    const required = plan.cast.columns.filter((c) => c.required);
    const requiredCheck = required.length === 0
      ? undefined
      : `SELECT ${required.map((c) => `count(*) FILTER (WHERE ${this.quote(c.name)} IS NULL) AS ${this.quote(c.name)}`).join(", ")} FROM ${this.quote(RELATIONS.rows)}`;
    const counts = this.inputCountStatements(plan);
    return { steps, ...(requiredCheck ? { requiredCheck } : {}), rowsRelation: RELATIONS.rows, inputRelation: RELATIONS.input, finalQuery: query, ...counts };
  }

  /**
   * Input: the deduped batch as the table `__engine_input`. Without dedupe the cast rows (a
   * view over the source) are copied as they are. `keep: exact` is one `GROUP BY ALL` pass that
   * also counts, per kept row, the rows it stands for (`__engine_n`) and their nulls in
   * required columns (`__engine_null_<i>`), which `inputCounts` sums and `inputFinish` drops.
   *
   * `keep: latest|first` reads the source once into `__engine_input` and counts there, then
   * deletes the rows that lose: the window sorts only the rows of keys that occur more than
   * once (most keys of a batch are unique, and a sort of every row by key, order and every
   * column, the tie-break, costs more than finding the duplicated keys by hash), and the
   * losers go by `rowid`, so the cast rows are never copied into a second table. Keys compare
   * NULL-safely, as in the window. A column named `rowid` hides DuckDB's row id: such batches
   * keep the winners in a second table instead.
   */
  inputStep(plan: LoadPlan): CompiledStep {
    const q = (c: string): string => this.quote(c);
    const into = q(RELATIONS.input);
    const rows = q(RELATIONS.rows);
    if (!plan.dedupe) return { name: "input", sql: `CREATE OR REPLACE TEMP TABLE ${into} AS SELECT * FROM ${rows}; DROP VIEW ${rows}` };
    const required = plan.cast.columns.filter((c) => c.required);
    // The rows read and their nulls in each required column.
    const counts = [`count(*) AS ${q(COUNT_COLUMN)}`, ...required.map((c, i) => `count(*) FILTER (WHERE ${q(c.name)} IS NULL) AS ${q(`${NULLS_COLUMN}${i}`)}`)].join(", ");
    const dedupe = plan.dedupe;
    if (dedupe.keep === "exact") {
      const query = `SELECT *, ${counts} FROM ${rows} GROUP BY ALL`;
      return { name: "input", sql: `CREATE OR REPLACE TEMP TABLE ${into} AS ${query}; DROP VIEW ${rows}` };
    }
    const { partitionBy, orderBy } = this.dedupeWindow(dedupe);
    const keys = partitionBy.join(", ");
    const on = dedupe.key.map((k) => `c.${q(k)} IS NOT DISTINCT FROM d.${q(k)}`).join(" AND ");
    const hidesRowId = plan.cast.columns.some((c) => c.name.toLowerCase() === "rowid");
    const staged = hidesRowId ? q(RELATIONS.cast) : into;
    const dups = `WITH d AS MATERIALIZED (SELECT ${keys} FROM ${staged} GROUP BY ${keys} HAVING count(*) > 1) `;
    const dedupeStatements = hidesRowId
      ? [
        `CREATE OR REPLACE TEMP TABLE ${into} AS ${dups}SELECT c.* FROM ${staged} AS c ANTI JOIN d ON ${on} UNION ALL ` +
          this.keepOne(`(SELECT c.* FROM ${staged} AS c SEMI JOIN d ON ${on})`, partitionBy, orderBy),
        `DROP TABLE ${staged}`,
      ]
      : [`DELETE FROM ${into} WHERE rowid IN (${dups}SELECT __engine_rowid FROM (SELECT c.rowid AS __engine_rowid, c.* FROM ${into} AS c SEMI JOIN d ON ${on}) QUALIFY ${rowNumber(partitionBy, orderBy)} > 1)`];
    return {
      name: "input",
      sql: [
        `CREATE OR REPLACE TEMP TABLE ${staged} AS SELECT * FROM ${rows}`,
        `DROP VIEW ${rows}`,
        `CREATE OR REPLACE TEMP TABLE ${q(RELATIONS.counts)} AS SELECT ${counts} FROM ${staged}`,
        ...dedupeStatements,
      ].join("; "),
    };
  }

  /** The count query and clean-up that follow `inputStep` (see `CompiledLoad.inputCounts`). */
  inputCountStatements(plan: LoadPlan): { inputCounts: string; inputFinish?: string } {
    const q = (c: string): string => this.quote(c);
    const into = q(RELATIONS.input);
    const required = plan.cast.columns.filter((c) => c.required);
    if (!plan.dedupe) {
      const cols = [`count(*) AS rows_read`, `count(*) AS input_rows`, ...required.map((c) => `count(*) FILTER (WHERE ${q(c.name)} IS NULL) AS ${q(c.name)}`)];
      return { inputCounts: `SELECT ${cols.join(", ")} FROM ${into}` };
    }
    const finish: string[] = [];
    if (plan.dedupe.against) {
      const on = plan.dedupe.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM ${into}.${q(k)}`).join(" AND ");
      finish.push(`DELETE FROM ${into} WHERE EXISTS (SELECT 1 FROM ${q(RELATIONS.existing)} AS t WHERE ${on})`);
    }
    if (plan.dedupe.keep !== "exact") {
      // The counts were taken before the dedupe, in their own one-row table.
      const cols = [`${q(COUNT_COLUMN)} AS rows_read`, `(SELECT count(*) FROM ${into}) AS input_rows`, ...required.map((c, i) => `${q(`${NULLS_COLUMN}${i}`)} AS ${q(c.name)}`)];
      finish.push(`DROP TABLE ${q(RELATIONS.counts)}`);
      return { inputCounts: `SELECT ${cols.join(", ")} FROM ${q(RELATIONS.counts)}`, inputFinish: finish.join("; ") };
    }
    const cols = [`coalesce(sum(${q(COUNT_COLUMN)}), 0) AS rows_read`, `count(*) AS input_rows`, ...required.map((c, i) => `coalesce(sum(${q(`${NULLS_COLUMN}${i}`)}), 0) AS ${q(c.name)}`)];
    finish.push(...[COUNT_COLUMN, ...required.map((_c, i) => `${NULLS_COLUMN}${i}`)].map((c) => `ALTER TABLE ${into} DROP COLUMN ${q(c)}`));
    return { inputCounts: `SELECT ${cols.join(", ")} FROM ${into}`, inputFinish: finish.join("; ") };
  }

  /** The deduped batch as a query over the cast rows in `from` (`against: table` reads `__engine_existing`). */
  inputQuery(plan: LoadPlan, from: string): string {
    if (!plan.dedupe) return `SELECT * FROM ${this.quote(from)}`;
    let query = this.visitDedupe(plan.dedupe, from);
    if (plan.dedupe.against) {
      const on = plan.dedupe.key.map((k) => `t.${this.quote(k)} IS NOT DISTINCT FROM i.${this.quote(k)}`).join(" AND ");
      query = `SELECT i.* FROM (${query}) AS i WHERE NOT EXISTS (SELECT 1 FROM ${this.quote(RELATIONS.existing)} AS t WHERE ${on})`;
    }
    return query;
  }

  /** The rows of `relation` (table columns only, optional WHERE) with partition values, ready for `visitWrite`. */
  writeQuery(plan: LoadPlan, relation: string, where?: string): string {
    const query = `SELECT ${plan.cast.columns.map((c) => this.quote(c.name)).join(", ")} FROM ${this.quote(relation)}${where ? ` WHERE ${where}` : ""}`;
    return plan.partition ? this.visitPartition(plan.partition, query, plan.cast) : query;
  }

  /** A COPY of the rows of `relation` (optionally filtered) into new data files, like the load's own write. */
  writeFrom(plan: LoadPlan, relation: string, where?: string): string {
    return this.visitWrite(plan.write, this.writeQuery(plan, relation, where), plan.partition);
  }

  /**
   * Merge (copy-on-write): joins the live rows of the files that hold incoming keys
   * (`__engine_target`, with `__engine_file`) with the batch on the key and decides per row:
   * `keep` (no incoming row), `insert` (no table row), `update`, `unchanged` (an equal row),
   * `delete` (delete marker),
   * `stale` (the incoming row is older than the table's by `write.mergeOrderBy`, NULL lowest:
   * the table's row stays) and `ignore` (a delete marker for a key the table lacks).
   * Rows are compared NULL-safely on the key.
   */
  mergeStatement(plan: LoadPlan): string {
    const q = (c: string): string => this.quote(c);
    const cols = plan.cast.columns.map((c) => c.name);
    const on = plan.write.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM i.${q(k)}`).join(" AND ");
    const del = plan.cast.deleteMarker ? `i.${q(EXTRA_COLUMNS.delete)}` : "false";
    const older = this.olderThan(plan.write.mergeOrderBy.map((c) => [`i.${q(c)}`, `t.${q(c)}`] as const));
    const action = [
      "CASE",
      "WHEN i.__engine_in IS NULL THEN 'keep'",
      `WHEN t.__engine_in IS NULL THEN CASE WHEN ${del} THEN 'ignore' ELSE 'insert' END`,
      ...(older ? [`WHEN ${older} THEN 'stale'`] : []),
      `WHEN ${del} THEN 'delete'`,
      // An incoming row equal to the table's changes nothing: its file need not be rewritten.
      `WHEN ${cols.map((c) => `t.${q(c)} IS NOT DISTINCT FROM i.${q(c)}`).join(" AND ")} THEN 'unchanged'`,
      "ELSE 'update' END",
    ].join(" ");
    const inner = [
      ...cols.map((c) => `t.${q(c)} AS ${q(`__t_${c}`)}, i.${q(c)} AS ${q(`__i_${c}`)}`),
      `t.${q(EXTRA_COLUMNS.file)} AS ${q(EXTRA_COLUMNS.file)}`,
      `${action} AS ${q(EXTRA_COLUMNS.action)}`,
    ];
    const outer = [
      ...cols.map((c) => `CASE WHEN ${q(EXTRA_COLUMNS.action)} IN ('keep', 'stale', 'unchanged') THEN ${q(`__t_${c}`)} ELSE ${q(`__i_${c}`)} END AS ${q(c)}`),
      q(EXTRA_COLUMNS.file),
      q(EXTRA_COLUMNS.action),
    ];
    return `CREATE OR REPLACE TEMP TABLE ${q(RELATIONS.merged)} AS SELECT ${outer.join(", ")} FROM (SELECT ${inner.join(", ")} ` +
      `FROM (SELECT *, true AS __engine_in FROM ${q(RELATIONS.target)}) AS t FULL OUTER JOIN (SELECT *, true AS __engine_in FROM ${q(RELATIONS.input)}) AS i ON ${on})`;
  }

  /** `a` sorts before `b` lexicographically over the pairs, NULL lowest; undefined without pairs. */
  olderThan(pairs: readonly (readonly [string, string])[]): string | undefined {
    if (pairs.length === 0) return undefined;
    const [[a, b], ...rest] = pairs as [readonly [string, string], ...(readonly [string, string])[]];
    const lt = `((${a} IS NULL AND ${b} IS NOT NULL) OR ${a} < ${b})`;
    const next = this.olderThan(rest);
    return next === undefined ? lt : `(${lt} OR (${a} IS NOT DISTINCT FROM ${b} AND ${next}))`;
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

  /**
   * Cast: typed rows as a view, read once by the `input` step (reader and cast errors surface
   * there, before anything is written).
   */
  visitCast(node: CastNode, from: string): CompiledStep {
    return { name: "cast", sql: `CREATE OR REPLACE TEMP VIEW ${this.quote(RELATIONS.rows)} AS ${this.castQuery(node, from)}` };
  }

  /** The typed rows: one cast per table column (NULL when the source lacks it), plus the delete flag. */
  castQuery(node: CastNode, from: string): string {
    const cols = node.columns.map((c) => `${this.castExpression(c.from === undefined ? "NULL" : c.isExpression ? `(${c.from})` : this.quote(c.from), c.type)} AS ${this.quote(c.name)}`);
    if (node.deleteMarker) {
      cols.push(`coalesce(${this.castExpression(this.quote(node.deleteMarker.from), STRING)} = ${quoteString(node.deleteMarker.value)}, false) AS ${this.quote(EXTRA_COLUMNS.delete)}`);
    }
    return `SELECT ${cols.join(", ")} FROM ${this.quote(from)}`;
  }

  /** Dedupe: DISTINCT for exact duplicates, else one row per key by the order. */
  visitDedupe(node: DedupeNode, from: string): string {
    if (node.keep === "exact") return `SELECT DISTINCT * FROM ${this.quote(from)}`;
    const { partitionBy, orderBy } = this.dedupeWindow(node);
    return this.keepOne(this.quote(from), partitionBy, orderBy);
  }

  /** The window of `keep: latest|first`: the key, then the order with a deterministic tie-break. */
  dedupeWindow(node: DedupeNode): { partitionBy: string[]; orderBy: string[] } {
    const dir = node.keep === "latest" ? "DESC" : "ASC";
    const order = [
      ...node.orderBy.map((c) => `${this.quote(c)} ${dir} NULLS LAST`),
      // Deterministic tie-break so equal-order duplicates resolve the same way on every run and
      // engine: then by every column ascending, NULLs last (values compare by type, not as text).
      ...node.allColumns.map((c) => `${this.quote(c)} ASC NULLS LAST`),
    ];
    return { partitionBy: node.key.map((k) => this.quote(k)), orderBy: order };
  }

  /** Hook: keeps the first row per partition by order. DuckDB and Trino have QUALIFY; others override with a subquery. */
  keepOne(from: string, partitionBy: readonly string[], orderBy: readonly string[]): string {
    return `SELECT * FROM ${from} QUALIFY ${rowNumber(partitionBy, orderBy)} = 1`;
  }

  /** Partition: adds one value column per non-identity partition field (and identity ones keyed by hex). */
  visitPartition(node: PartitionNode, query: string, cast: CastNode): string {
    const extra = node.fields
      .filter((f) => f.transform.kind !== "identity" || keyedByHex(f))
      .map((f) => `${this.partitionValue(f)} AS ${this.quote(hiveKeyColumn(f))}`);
    const cols = cast.columns.map((c) => this.quote(c.name));
    return `SELECT ${[...cols, ...extra].join(", ")} FROM (${query})`;
  }

  /** Hook: the expression computing one partition value (see `partitionExpression`). */
  partitionValue(field: PartitionFieldPlan): string {
    if (field.transform.kind === "bucket") return bucketSql(this.quote(field.sourceColumn), field.sourceType, field.transform.n);
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
      const names = partition.fields.map((f) => this.quote(hiveKeyColumn(f)));
      options.push(`PARTITION_BY (${names.join(", ")})`, "APPEND");
      // Identity fields are data columns and must stay in the files; derived values then travel too.
      if (partition.fields.some((f) => f.transform.kind === "identity" && !keyedByHex(f))) options.push("WRITE_PARTITION_COLUMNS true");
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

/** A row's rank within its key by the dedupe order: 1 is the row that stays. */
function rowNumber(partitionBy: readonly string[], orderBy: readonly string[]): string {
  return `row_number() OVER (PARTITION BY ${partitionBy.join(", ")} ORDER BY ${orderBy.join(", ")})`;
}
