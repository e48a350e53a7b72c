import { PiiArgumentError, PiiError } from "../errors.js";
import { quoteIdentifier, quoteQualifiedName, quoteString } from "../internal/sql.js";
import type { ColumnSuggestion, ScanOptions } from "./column-suggestion.js";
import { scanColumns } from "./scan-columns.js";

/** Runs one SQL statement and returns its rows as plain objects (a DuckDB-like connection, structurally). */
export type QueryRows = (sql: string) => Promise<readonly Readonly<Record<string, unknown>>[]>;

/** What to sample: a catalog table (`db.table`), a file path or glob, or SQL relation text used as-is (`read_csv(...)`, `(SELECT ...) t`). */
export type RelationSource =
  | { readonly table: string }
  | { readonly file: string }
  | { readonly relation: string };

/** Options of `scanRelation`. */
export interface ScanRelationOptions extends ScanOptions {
  /** Rows drawn with `USING SAMPLE reservoir(n ROWS)`; default 1000. */
  readonly sampleRows?: number;
  /** Seed for `REPEATABLE`, so that the same data gives the same sample; default 42. */
  readonly seed?: number;
  /** Only these columns; default all. */
  readonly columns?: readonly string[];
}

/** The SQL `scanRelation` runs: a repeatable reservoir sample of the relation (DuckDB syntax). */
export function sampleSql(source: RelationSource, options: ScanRelationOptions = {}): string {
  const rows = options.sampleRows ?? 1000;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new PiiArgumentError(`pii: scanRelation: sampleRows: expected a positive integer, got ${String(rows)}`);
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw new PiiArgumentError(`pii: scanRelation: seed: expected a non-negative integer, got ${String(seed)}`);
  }
  const from =
    "table" in source ? quoteQualifiedName(source.table) : "file" in source ? quoteString(source.file) : source.relation;
  const select = options.columns === undefined ? "*" : options.columns.map(quoteIdentifier).join(", ");
  return `SELECT ${select} FROM ${from} USING SAMPLE reservoir(${rows} ROWS) REPEATABLE (${seed})`;
}

function asText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null; // dates, binary, nested values: not scanned
}

/**
 * Samples a table or file through a caller-supplied `query` function and suggests PII tags for
 * its columns; engine-agnostic (the caller owns the connection).
 *
 * ```ts
 * const conn = await DuckDBInstance.create().then((db) => db.connect());
 * const query = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
 * const suggestions = await scanRelation(query, { file: "data/customers.csv" });
 * ```
 */
export async function scanRelation(
  query: QueryRows,
  source: RelationSource,
  options: ScanRelationOptions = {},
): Promise<ColumnSuggestion[]> {
  const sql = sampleSql(source, options);
  let rows: readonly Readonly<Record<string, unknown>>[];
  try {
    rows = await query(sql);
  } catch (cause) {
    const what = "table" in source ? source.table : "file" in source ? source.file : "relation";
    throw new PiiError("PII_SAMPLE_FAILED", `pii: scanRelation: could not sample ${what}`, {
      context: { sql },
      cause,
    });
  }
  const columns: Record<string, (string | null)[]> = {};
  for (const name of options.columns ?? []) columns[name] = [];
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) (columns[name] ??= []).push(asText(value));
  }
  return scanColumns(columns, options);
}
