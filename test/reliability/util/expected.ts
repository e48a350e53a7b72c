// Expected table contents computed independently of Engine: plain DuckDB (`@duckdb/node-api`,
// not Engine's session) over the CSV batches that committed, with each write mode's meaning
// written out as SQL.

import { createRequire } from "node:module";
import path from "node:path";
import { REPO_ROOT } from "./child.js";
import type { Mode } from "./fixtures.js";

type DuckDb = typeof import("@duckdb/node-api");
let duck: Promise<DuckDb> | undefined;
const duckdb = (): Promise<DuckDb> => (duck ??= import(createRequire(path.join(REPO_ROOT, "packages/engine-core/package.json")).resolve("@duckdb/node-api")) as Promise<DuckDb>);

const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A canonical, sorted text form of rows (id, region, amount, note) for comparisons. */
export function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify([String(r["id"]), r["region"] ?? null, String(r["amount"]), r["note"] ?? null])).sort();
}

/** Rows the table must hold after `batches` (CSV files, in commit order) were loaded with `mode` and the `erased` ids erased. */
export async function expectedRows(mode: Mode, batches: readonly string[], erased: readonly number[] = []): Promise<string[]> {
  if (batches.length === 0) return [];
  const { DuckDBInstance } = await duckdb();
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    const all = batches.map((f, i) =>
      `SELECT *, ${i} AS b FROM read_csv(${q(f)}, header = true, columns = {'id': 'BIGINT', 'region': 'VARCHAR', 'amount': 'BIGINT', 'note': 'VARCHAR'})`).join(" UNION ALL ");
    const sql = {
      append: `SELECT id, region, amount, note FROM (${all})`,
      overwrite: `SELECT id, region, amount, note FROM (${all}) WHERE b = ${batches.length - 1}`,
      // Each partition holds the rows of the last batch that had rows in it.
      "replace-partitions": `WITH a AS (${all}) SELECT id, region, amount, note FROM a WHERE b = (SELECT max(b) FROM a a2 WHERE a2.region IS NOT DISTINCT FROM a.region)`,
      // Each key holds its row from the last batch that had it.
      merge: `WITH a AS (${all}) SELECT id, region, amount, note FROM a WHERE b = (SELECT max(b) FROM a a2 WHERE a2.id = a.id)`,
    }[mode];
    // Erased subjects (ids) are gone from whatever the mode kept.
    const reader = await conn.runAndReadAll(erased.length === 0 ? sql : `SELECT * FROM (${sql}) WHERE id NOT IN (${erased.map((id) => BigInt(id).toString()).join(", ")})`);
    return canonical(reader.getRowObjectsJson() as Record<string, unknown>[]);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
