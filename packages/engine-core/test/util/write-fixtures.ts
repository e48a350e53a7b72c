import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Engine } from "../../src/engine/engine.js";
import { oracle } from "./oracle.js";

/** Columns of the small write-mode fixture, as the table holds them. */
export const COLS = ["id", "day", "amount", "updated_at"] as const;

/** Writes a CSV with header `id,day,amount,updated_at,op` from rows. */
export async function writeCsv(file: string, rows: readonly (readonly (string | number | null)[])[]): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const lines = ["id,day,amount,updated_at,op", ...rows.map((r) => r.map((v) => (v === null ? "" : String(v))).join(","))];
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

/** A spec over the fixture; `op` is a source-only column (delete marker). */
export function fixtureSpec(source: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    table: "t.items",
    source: { format: "csv", path: source, options: { header: true } },
    columns: [
      { name: "id", type: "long", required: true },
      { name: "day", type: "date" },
      { name: "amount", type: "decimal(10,2)" },
      { name: "updated_at", type: "timestamptz" },
    ],
    ...extra,
  };
}

/** The independent oracle's typed read of fixture CSVs. */
export function read(file: string): string {
  return `read_csv('${file}', header = true, columns = {'id': 'BIGINT', 'day': 'DATE', 'amount': 'DECIMAL(10,2)', 'updated_at': 'TIMESTAMPTZ', 'op': 'VARCHAR'})`;
}

const asText = (cols: readonly string[]): string => cols.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(", ");

/** Live data files of a table as our scan plans them (local paths). */
export async function liveFiles(engine: Engine, table: string): Promise<string[]> {
  const t = await engine.openTable(table);
  const tasks = await t.newScan().planFiles();
  return tasks.map((x) => t.io.localPath(x.file.filePath) ?? x.file.filePath).sort();
}

/**
 * The table's rows as text, read two ways — through `engine.query` and by a separate DuckDB
 * over the Parquet files the scan lists — and the expected rows from the oracle's SQL.
 */
export async function tableVsExpected(engine: Engine, table: string, expectedSql: string): Promise<{ viaQuery: string[][]; viaFiles: string[][]; expected: string[][] }> {
  const order = "ORDER BY ALL";
  const q = await engine.query(`SELECT ${asText(COLS)} FROM ${table} ${order}`);
  const viaQuery = q.rows().map((r) => COLS.map((c) => String(r[c])));
  const files = await liveFiles(engine, table);
  const viaFiles = files.length === 0 ? [] : (await oracle(`SELECT ${asText(COLS)} FROM read_parquet([${files.map((f) => `'${f}'`).join(", ")}]) ${order}`)).map((r) => COLS.map((c) => String(r[c])));
  const expected = (await oracle(`SELECT ${asText(COLS)} FROM (${expectedSql}) ${order}`)).map((r) => COLS.map((c) => String(r[c])));
  return { viaQuery, viaFiles, expected };
}
