import type { IcebergType } from "@engine/iceberg";
import { LoadError } from "../../load/errors.js";
import { DuckDbLoadCompiler, RELATIONS, type CompiledLoad, type CompiledStep } from "../../load/duckdb-compiler.js";
import type { CastNode, LoadPlan, PartitionFieldPlan, PartitionNode, StageNode, TransformNode, WriteNode } from "../../load/plan.js";
import { quoteString } from "../../internal/sql.js";
import type { DeleteMarkerSpec, WriteFilter } from "../../spec/table-spec.js";
import { trinoType } from "./trino-types.js";

/** What the Athena compiler needs beyond the plan: the target table and, for merge, the key and order. */
export interface AthenaCompileOptions {
  /** The Iceberg table as Athena names it: `[database, table]`. */
  readonly table: readonly [string, string];
  /** merge: the key columns rows are matched on. */
  readonly key?: readonly string[];
  /** merge: the incoming row updates the matched one only when it is newer (`latest`) or older (`first`) by these columns. */
  readonly orderBy?: readonly string[];
  readonly keep?: "latest" | "first" | "exact";
  /** overwrite / replace-partitions: only rows matching this filter are replaced. */
  readonly filter?: WriteFilter;
  /** merge: incoming rows with this marker delete the matched row. */
  readonly deleteMarker?: DeleteMarkerSpec;
}

/** A load compiled to Athena statements, run in order. */
export interface AthenaCompiledLoad extends CompiledLoad {
  /** The write statements (DELETE and/or INSERT or MERGE). */
  readonly statements: readonly string[];
}

const RN = "__engine_rn";

/**
 * Compiles a load plan to Athena (Trino) SQL: the stage, transform and cast steps become a CTE
 * chain over the staging table, dedupe uses `row_number()` in a subquery (Trino has no
 * QUALIFY), casts use Trino types (`from_iso8601_timestamp` for text timestamps), and the write is
 * `INSERT INTO` / `MERGE INTO` / `DELETE` + `INSERT` on the Iceberg table; Iceberg tables on Athena
 * partition rows themselves, so no partition values are computed.
 *
 * ```ts
 * const c = new AthenaLoadCompiler({ table: ["sales", "orders"], key: ["order_id"], orderBy: ["updated_at"] }).compile(plan);
 * for (const sql of c.statements) await runAthenaQuery(sql, ctx);
 * ```
 */
export class AthenaLoadCompiler extends DuckDbLoadCompiler {
  private textSource = false;
  private columns: readonly string[] = [];

  constructor(private readonly options: AthenaCompileOptions) {
    super();
  }

  /** The whole load: one WITH query and the write statements of the plan's mode. */
  override compile(plan: LoadPlan): AthenaCompiledLoad {
    this.textSource = plan.stage.format === "csv" || plan.stage.format === "json";
    this.columns = plan.cast.columns.map((c) => c.name);
    const ctes = [this.cte(this.visitStage(plan.stage))];
    if (plan.transform) ctes.push(this.cte(this.visitTransform(plan.transform)));
    ctes.push(this.cte(this.visitCast(plan.cast, plan.transform ? RELATIONS.transformed : RELATIONS.source)));
    const cols = this.columns.map((c) => this.quote(c)).join(", ");
    const body = plan.dedupe ? this.visitDedupe(plan.dedupe, RELATIONS.rows) : `SELECT ${cols} FROM ${this.quote(RELATIONS.rows)}`;
    const finalQuery = `WITH ${ctes.join(",\n")}\n${body}`;
    const statements = this.writeStatements(plan.write, finalQuery, plan.partition);
    const required = plan.cast.columns.filter((c) => c.required);
    return {
      steps: statements.map((sql): CompiledStep => ({ name: "write", sql })),
      statements,
      ...(required.length > 0 ? { requiredCheck: `SELECT ${required.map((c) => `count_if(${this.quote(c.name)} IS NULL) AS ${this.quote(c.name)}`).join(", ")} FROM (${finalQuery})` } : {}),
      rowsRelation: RELATIONS.rows,
      // Athena has no temporary tables: the batch is the final query itself.
      inputRelation: RELATIONS.rows,
      finalQuery,
    };
  }

  private cte(step: CompiledStep): string {
    return step.sql;
  }

  /** Stage: the staging table; CSV's empty fields become NULL, as DuckDB reads them. */
  override visitStage(node: StageNode): CompiledStep {
    const cols = node.columns.map((c) => (node.format === "csv" ? `NULLIF(${this.quote(c)}, '') AS ${this.quote(c)}` : this.quote(c)));
    return { name: "stage", sql: `${this.quote(RELATIONS.source)} AS (SELECT ${cols.join(", ")} FROM ${node.relation})` };
  }

  /** Transform: the user's SQL (Trino dialect) over `source`. */
  override visitTransform(node: TransformNode): CompiledStep {
    return { name: "transform", sql: `${this.quote(RELATIONS.transformed)} AS (${node.sql.trim().replace(/;\s*$/, "")})` };
  }

  /** Cast: every column to its Trino type. */
  override visitCast(node: CastNode, from: string): CompiledStep {
    // Only source columns are text; a column computed by an expression casts plainly.
    const cols = node.columns.map((c) => `${c.from === undefined ? `CAST(NULL AS ${this.typeName(c.type)})` : c.isExpression ? `CAST((${c.from}) AS ${this.typeName(c.type)})` : this.castExpression(this.quote(c.from), c.type)} AS ${this.quote(c.name)}`);
    return { name: "cast", sql: `${this.quote(RELATIONS.rows)} AS (SELECT ${cols.join(", ")} FROM ${this.quote(from)})` };
  }

  /** Trino has no QUALIFY: number the rows in a subquery and keep the first. */
  override keepOne(from: string, partitionBy: readonly string[], orderBy: readonly string[]): string {
    const cols = this.columns.map((c) => this.quote(c)).join(", ");
    return `SELECT ${cols} FROM (SELECT *, row_number() OVER (PARTITION BY ${partitionBy.join(", ")} ORDER BY ${orderBy.join(", ")}) AS ${this.quote(RN)} FROM ${from}) WHERE ${this.quote(RN)} = 1`;
  }

  /** Not used: Athena computes Iceberg partition values itself. */
  override partitionValue(field: PartitionFieldPlan): string {
    return this.quote(field.sourceColumn);
  }

  /** One string of all write statements (`;`-separated); the runner uses `writeStatements`. */
  override writeStatement(node: WriteNode, query: string, partition?: PartitionNode): string {
    return this.writeStatements(node, query, partition).join(";\n");
  }

  /** The write statements of the mode, in the order they run. */
  writeStatements(node: WriteNode, query: string, partition?: PartitionNode): string[] {
    const target = this.target();
    const cols = this.columns.map((c) => this.quote(c)).join(", ");
    const insert = `INSERT INTO ${target} (${cols})\n${query}`;
    switch (node.mode) {
      case "append": return [insert];
      case "overwrite": {
        const where = this.options.filter ? ` WHERE ${this.filterSql(this.options.filter)}` : "";
        return [`DELETE FROM ${target}${where}`, insert];
      }
      case "replace-partitions": {
        const fields = partition?.fields ?? [];
        const conds: string[] = [];
        if (fields.length === 0) {
          // Spec: replacing the partitions of an unpartitioned table replaces the whole table.
        } else if (fields.length === 1) {
          const f = fields[0]!;
          conds.push(`${this.partitionTerm(f, this.quote(f.sourceColumn))} IN (SELECT DISTINCT ${this.partitionTerm(f, this.quote(f.sourceColumn))} FROM (${query}))`);
        } else {
          const row = (f: readonly PartitionFieldPlan[]) => `ROW(${f.map((x) => this.partitionTerm(x, this.quote(x.sourceColumn))).join(", ")})`;
          conds.push(`${row(fields)} IN (SELECT DISTINCT ${row(fields)} FROM (${query}))`);
        }
        if (this.options.filter) conds.push(this.filterSql(this.options.filter));
        return [`DELETE FROM ${target}${conds.length ? ` WHERE ${conds.join(" AND ")}` : ""}`, insert];
      }
      case "merge": return [this.athenaMerge(target, query)];
    }
    throw new LoadError(`load: athena: write mode ${String(node.mode)} is not supported`, { code: "NOT_SUPPORTED" });
  }

  private athenaMerge(target: string, query: string): string {
    const key = this.options.key ?? [];
    if (key.length === 0) throw new LoadError("load: athena: merge needs a key (spec `key`)", { code: "MERGE_WITHOUT_KEY" });
    const s = (c: string) => `s.${this.quote(c)}`;
    const t = (c: string) => `t.${this.quote(c)}`;
    const on = key.map((k) => `${t(k)} = ${s(k)}`).join(" AND ");
    const lines = [`MERGE INTO ${target} AS t`, `USING (${query}) AS s`, `ON ${on}`];
    const marker = this.options.deleteMarker;
    if (marker) lines.push(`WHEN MATCHED AND CAST(${s(marker.column)} AS varchar) = ${quoteString(String(marker.value))} THEN DELETE`);
    const cond = this.newerCondition(s, t);
    const set = this.columns.filter((c) => !key.includes(c)).map((c) => `${this.quote(c)} = ${s(c)}`);
    if (set.length > 0) lines.push(`WHEN MATCHED${cond ? ` AND ${cond}` : ""} THEN UPDATE SET ${set.join(", ")}`);
    const insertWhen = marker ? ` AND NOT coalesce(CAST(${s(marker.column)} AS varchar) = ${quoteString(String(marker.value))}, false)` : "";
    lines.push(`WHEN NOT MATCHED${insertWhen} THEN INSERT (${this.columns.map((c) => this.quote(c)).join(", ")}) VALUES (${this.columns.map(s).join(", ")})`);
    return lines.join("\n");
  }

  /**
   * When the incoming row replaces the matched one: `latest` — the incoming order is not older
   * (NULL orders count as oldest, as the dedupe sorts NULLS LAST); `first` — it is strictly older.
   */
  private newerCondition(s: (c: string) => string, t: (c: string) => string): string | undefined {
    const order = this.options.orderBy ?? [];
    if (order.length === 0 || this.options.keep === "exact" || this.options.keep === undefined) return undefined;
    const latest = this.options.keep === "latest";
    // Lexicographic over the order columns: equal on the earlier ones, decided by the next.
    const terms = order.map((c, i) => {
      const eq = order.slice(0, i).map((p) => `${s(p)} IS NOT DISTINCT FROM ${t(p)}`);
      const last = i === order.length - 1;
      const cmp = latest
        ? `(${t(c)} IS NULL${last ? "" : ` AND ${s(c)} IS NOT NULL`} OR ${s(c)} ${last ? ">=" : ">"} ${t(c)})`
        : `(${s(c)} IS NOT NULL AND (${t(c)} IS NULL OR ${s(c)} < ${t(c)}))`;
      return [...eq, cmp].join(" AND ");
    });
    return terms.length === 1 ? terms[0]! : `(${terms.map((x) => `(${x})`).join(" OR ")})`;
  }

  /** A Trino expression of a partition field's value over a column reference. */
  private partitionTerm(f: PartitionFieldPlan, col: string): string {
    const tr = f.transform;
    switch (tr.kind) {
      case "identity": return col;
      case "year": case "month": case "day": case "hour": {
        const isDate = f.sourceType.kind === "primitive" && f.sourceType.name === "date";
        if (tr.kind === "day" && isDate) return col;
        return `date_trunc('${tr.kind}', ${col})`;
      }
      case "truncate": {
        const w = (tr as { width: number }).width;
        const t = f.sourceType;
        if (t.kind === "primitive" && (t.name === "string")) return `substr(${col}, 1, ${w})`;
        if (t.kind === "primitive" && (t.name === "int" || t.name === "long")) return `(${col} - mod(mod(${col}, ${w}) + ${w}, ${w}))`;
        break;
      }
      default: break;
    }
    throw new LoadError(`load: athena: replace-partitions over partition field ${f.name} (${tr.kind}) cannot be expressed in Athena SQL (Trino has no Iceberg ${tr.kind}); use the local engine or overwrite with a filter`, {
      code: "NOT_SUPPORTED", context: { field: f.name, transform: tr.kind },
    });
  }

  /** A write filter as a Trino predicate. */
  filterSql(filter: WriteFilter): string {
    const lit = (v: string | number | boolean) => (typeof v === "string" ? quoteString(v) : String(v));
    const parts: string[] = [];
    for (const [col, cond] of Object.entries(filter)) {
      const c = this.quote(col);
      if (typeof cond !== "object") { parts.push(`${c} = ${lit(cond)}`); continue; }
      if (cond.eq !== undefined) parts.push(`${c} = ${lit(cond.eq)}`);
      if (cond.gt !== undefined) parts.push(`${c} > ${lit(cond.gt)}`);
      if (cond.gte !== undefined) parts.push(`${c} >= ${lit(cond.gte)}`);
      if (cond.lt !== undefined) parts.push(`${c} < ${lit(cond.lt)}`);
      if (cond.lte !== undefined) parts.push(`${c} <= ${lit(cond.lte)}`);
      if (cond.in !== undefined) parts.push(cond.in.length === 0 ? "false" : `${c} IN (${cond.in.map(lit).join(", ")})`);
    }
    return parts.length === 0 ? "true" : parts.join(" AND ");
  }

  /** Text sources cast with Trino's ISO-8601 parsers (CAST rejects the `T` separator); typed sources cast directly. */
  override castExpression(expr: string, type: IcebergType): string {
    if (this.textSource && type.kind === "primitive") {
      const iso = `from_iso8601_timestamp(replace(trim(${expr}), ' ', 'T'))`;
      if (type.name === "timestamptz" || type.name === "timestamptz_ns") return `CAST(${iso} AS timestamp(6) with time zone)`;
      if (type.name === "timestamp" || type.name === "timestamp_ns") return `CAST(${iso} AS timestamp(6))`;
      if (type.name === "date") return `CAST(substr(trim(${expr}), 1, 10) AS date)`;
      if (type.name === "boolean") return `CAST(lower(trim(${expr})) AS boolean)`;
    }
    if (this.textSource && (type.kind === "list" || type.kind === "map" || type.kind === "struct")) {
      return `CAST(json_parse(${expr}) AS ${this.typeName(type)})`;
    }
    return `CAST(${expr} AS ${this.typeName(type)})`;
  }

  /** Trino type names. */
  override typeName(type: IcebergType): string {
    return trinoType(type);
  }

  private target(): string {
    return this.options.table.map((p) => this.quote(p)).join(".");
  }
}
