// `write.filter`: the rows an overwrite or replace-partitions load replaces, as an Iceberg
// expression (to choose files) and as DuckDB SQL (to keep the other rows of partly matching
// files and to check the batch lies inside the filter).
//
//   filter: { country: KR }                                   equality
//   filter: { event_ts: { gte: "{date}", lt: "{next}" } }     range (params substituted)
//   filter: { "day(event_ts)": "{date}" }                     one day / month / year of a timestamp or date

import { and, eq, gt, gtEq, isIn, lt, ltEq, type Expression, type IcebergType, type NestedField } from "@engine/iceberg";
import { SpecError } from "../errors.js";
import { duckDbType } from "../duckdb/types.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { WriteFilter, WriteFilterValue } from "../spec/table-spec.js";

/** A write filter compiled for Iceberg and DuckDB. */
export interface CompiledWriteFilter {
  readonly expression: Expression;
  /** A DuckDB boolean expression over the table's columns. */
  readonly sql: string;
  /** Human text, e.g. `event_ts >= 2024-01-05 and event_ts < 2024-01-06`. */
  readonly text: string;
}

type Scalar = string | number | boolean;
type Op = "eq" | "gt" | "gte" | "lt" | "lte" | "in";

const TIME_KEY = /^\s*(year|month|day)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/;

/** Compiles `write.filter` against the table's columns; unknown columns fail naming them. */
export function compileWriteFilter(filter: WriteFilter, fields: readonly NestedField[]): CompiledWriteFilter {
  const exprs: Expression[] = [];
  const sqls: string[] = [];
  const texts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const time = TIME_KEY.exec(key);
    const column = time ? time[2]! : key;
    const field = fields.find((f) => f.name === column);
    if (!field) throw new SpecError(`spec: write.filter.${key}: expected a column of the table (one of ${fields.map((f) => f.name).join(", ")}), got ${column}`);
    const conditions = conditionsOf(value);
    if (time) {
      if (conditions.length !== 1 || conditions[0]![0] !== "eq") throw new SpecError(`spec: write.filter.${key}: expected one value (e.g. "2024-01-05"), got ${JSON.stringify(value)}`);
      const [lo, hi] = periodBounds(time[1] as "year" | "month" | "day", String(conditions[0]![1]), `write.filter.${key}`);
      conditions.splice(0, 1, ["gte", lo], ["lt", hi]);
    }
    for (const [op, v] of conditions) {
      const values = Array.isArray(v) ? v : [v];
      const lits = values.map((x) => literalFor(field.type, x));
      const ivals = values.map((x) => icebergValue(field.type, x));
      const c = quoteIdent(column);
      switch (op) {
        case "eq": exprs.push(eq(column, ivals[0])); sqls.push(`${c} = ${lits[0]}`); break;
        case "gt": exprs.push(gt(column, ivals[0])); sqls.push(`${c} > ${lits[0]}`); break;
        case "gte": exprs.push(gtEq(column, ivals[0])); sqls.push(`${c} >= ${lits[0]}`); break;
        case "lt": exprs.push(lt(column, ivals[0])); sqls.push(`${c} < ${lits[0]}`); break;
        case "lte": exprs.push(ltEq(column, ivals[0])); sqls.push(`${c} <= ${lits[0]}`); break;
        case "in": exprs.push(isIn(column, ivals)); sqls.push(`${c} IN (${lits.join(", ")})`); break;
      }
      texts.push(`${column} ${({ eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=", in: "in" } as const)[op]} ${Array.isArray(v) ? `(${v.join(", ")})` : String(v)}`);
    }
  }
  return { expression: exprs.length === 1 ? exprs[0]! : and(...exprs), sql: sqls.map((s) => `(${s})`).join(" AND "), text: texts.join(" and ") };
}

function conditionsOf(value: WriteFilterValue): [Op, Scalar | readonly Scalar[]][] {
  if (value === null || typeof value !== "object") return [["eq", value]];
  return (Object.entries(value) as [Op, Scalar | readonly Scalar[]][]).filter(([, v]) => v !== undefined);
}

/** [start, end) of a period given as "YYYY", "YYYY-MM" or "YYYY-MM-DD", as ISO dates. */
function periodBounds(unit: "year" | "month" | "day", text: string, where: string): [string, string] {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text.trim());
  const parts = unit === "year" ? 1 : unit === "month" ? 2 : 3;
  if (!m || [m[1], m[2], m[3]].filter((x) => x !== undefined).length !== parts) {
    throw new SpecError(`spec: ${where}: expected a ${unit} like "${["2024", "2024-01", "2024-01-05"][parts - 1]}", got "${text}"`);
  }
  const y = Number(m[1]);
  const mo = Number(m[2] ?? 1) - 1;
  const d = Number(m[3] ?? 1);
  const start = new Date(Date.UTC(y, mo, d));
  const end = new Date(Date.UTC(y + (unit === "year" ? 1 : 0), mo + (unit === "month" ? 1 : 0), d + (unit === "day" ? 1 : 0)));
  return [start.toISOString().slice(0, 10), end.toISOString().slice(0, 10)];
}

function isTimestamp(type: IcebergType): boolean {
  return type.kind === "primitive" && type.name.startsWith("timestamp");
}

function isTz(type: IcebergType): boolean {
  return type.kind === "primitive" && (type.name === "timestamptz" || type.name === "timestamptz_ns");
}

/** The DuckDB literal of a filter value for a column type. */
function literalFor(type: IcebergType, value: Scalar): string {
  if (typeof value === "boolean" || typeof value === "number") return `CAST(${String(value)} AS ${duckDbType(type)})`;
  const text = isTimestamp(type) && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value} 00:00:00${isTz(type) ? "+00" : ""}` : value;
  return `CAST(${quoteString(text)} AS ${duckDbType(type)})`;
}

/** The value handed to an Iceberg predicate (converted by `toLiteral` when bound). */
function icebergValue(type: IcebergType, value: Scalar): unknown {
  if (type.kind === "primitive" && type.name === "long") return typeof value === "string" ? BigInt(value) : value;
  if (type.kind === "primitive" && (type.name === "int" || type.name === "float" || type.name === "double")) return typeof value === "string" ? Number(value) : value;
  if (isTimestamp(type) && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00${isTz(type) ? "Z" : ""}`;
  if (type.kind === "primitive" && type.name === "boolean" && typeof value === "string") return value === "true";
  return value;
}
