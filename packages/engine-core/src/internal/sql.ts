// SQL text helpers shared by every compiler. All identifiers and literals that reach DuckDB go
// through these, so names and paths taken from specs or files can never break out of quoting.

import { EngineError } from "../errors.js";

/** Quotes an identifier for DuckDB / ANSI SQL: wraps in double quotes and doubles embedded ones. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new EngineError("INVALID_SQL_TEXT", `sql: expected an identifier without NUL characters, got ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal: wraps in single quotes and doubles embedded ones. */
export function quoteString(value: string): string {
  if (value.includes("\u0000")) throw new EngineError("INVALID_SQL_TEXT", `sql: expected a string without NUL characters, got ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes a dotted name part by part: `["sales", "orders"]` → `"sales"."orders"`. */
export function quoteQualified(parts: readonly string[]): string {
  return parts.map(quoteIdent).join(".");
}

/** A SQL list literal of strings: `['a', 'b']`. */
export function stringList(values: readonly string[]): string {
  return `[${values.map(quoteString).join(", ")}]`;
}

/** A SQL literal for a JS scalar used in options (strings, numbers, booleans). */
export function literal(value: string | number | boolean | bigint | null): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`sql: not a finite number: ${value}`);
  return String(value);
}
