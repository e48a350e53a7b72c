// Rewrites data files of a table with plain DuckDB, the way a compaction or a copy-on-write delete
// would: rows are read by field id (so renamed/promoted/added columns come out in the current
// schema), optionally filtered, and written with field ids and statistics as new data files
// (one per partition of the inputs). Used by the interop proofs to drive RewriteFiles/Overwrite.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DataFile, Table } from "@engine/iceberg";
import { dataFilesFromStats, duckDbType } from "@engine/core";

const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const local = (p: string): string => p.replace(/^file:\/\//, "");

/**
 * Reads `files` (grouped by partition) and writes each group's rows that do NOT match `deleteWhere`
 * (DuckDB SQL over the current column names) into one new file under `<table>/data/rewritten/`.
 * Returns the new DataFiles (partition copied from the group), without empty ones.
 */
export async function rewriteFiles(table: Table, files: readonly DataFile[], deleteWhere?: string): Promise<DataFile[]> {
  const schema = table.schema();
  const groups = new Map<string, DataFile[]>();
  for (const f of files) {
    const k = JSON.stringify(f.partition, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const outDir = path.join(local(table.location()), "data", "rewritten");
  mkdirSync(outDir, { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const out: DataFile[] = [];
  try {
    const map = `MAP {${schema.fields.map((f) => `${f.id}: {name: ${q(f.name)}, type: ${q(duckDbType(f.type))}, default_value: NULL}`).join(", ")}}`;
    const ids = `{${schema.fields.map((f) => `${q(f.name)}: ${f.id}`).join(", ")}}`;
    for (const group of groups.values()) {
      const file = path.join(outDir, `rewrite-${randomUUID()}.parquet`);
      const read = `SELECT * FROM read_parquet([${group.map((f) => q(local(f.filePath))).join(", ")}], schema = ${map})${deleteWhere ? ` WHERE NOT coalesce(${deleteWhere}, false)` : ""}`;
      const stats = (await c.runAndReadAll(`COPY (${read}) TO ${q(file)} (FORMAT parquet, COMPRESSION zstd, FIELD_IDS ${ids}, RETURN_STATS)`)).getRowObjectsJson();
      const [made] = dataFilesFromStats(stats as never, { fields: schema.fields, partition: [], specId: group[0]!.specId });
      if (!made || made.recordCount === 0n) continue;
      out.push({ ...made, filePath: `${table.location()}/data/rewritten/${path.basename(file)}`, partition: group[0]!.partition });
    }
  } finally {
    c.closeSync();
  }
  return out;
}
