// Step 1 of an erasure on one table: copy-on-write delete of the subject's rows. Only files whose
// partition values and column statistics may hold a key are read; DuckDB confirms which really
// hold one (deleted rows included: their bytes are still in the file), rewrites each without the
// subject's rows and with its delete files applied, and one overwrite commits the swap.

import { randomUUID } from "node:crypto";
import path from "node:path";
import { dataFilesFromStats, type DuckDbSession } from "@engine/core";
import { FileContent, liveFiles, type DataFile, type FileScanTask, type NestedField, type Table } from "@engine/iceberg";
import { PiiError } from "../errors.js";
import { copyWithStatsSql, keepPartition, liveRowsSql, POS_FILE_PATH_ID, schemaMap, stringList } from "./parquet-sql.js";
import { quoteIdentifier, quoteString } from "./sql.js";
import { keyFilter } from "./subject-needles.js";

type CopyStatsRow = Parameters<typeof dataFilesFromStats>[0];

/** Snapshot summary property naming the erasure that committed a snapshot. */
export const ERASURE_ID_PROPERTY = "engine.pii.erasure-id";

export interface RewriteInput {
  readonly session: DuckDbSession;
  readonly table: Table;
  readonly column: NestedField;
  /** DuckDB literals of the subject keys in the column's type. */
  readonly literals: readonly string[];
  /** The keys as text (Iceberg pruning). */
  readonly texts: readonly string[];
  readonly erasureId: string;
}

export interface RewriteOutcome {
  readonly table: Table;
  readonly snapshotId: bigint | undefined;
  readonly removedPaths: readonly string[];
  readonly filesRewritten: readonly { from: string; to: string | null }[];
  readonly deleteFilesRemoved: readonly string[];
  readonly rowsErased: number;
}

/** Where DuckDB reads or writes a table location; erasure runs on local warehouses only. */
export function localPathOf(table: Table, location: string): string {
  const p = table.io.localPath(table.remap(location));
  if (p === undefined) {
    throw new PiiError("PII_NOT_LOCAL", `pii: erase: ${location}: expected a local table location, got one DuckDB cannot write here (S3 erasure needs the Athena path)`, { context: { location } });
  }
  return p;
}

async function count(session: DuckDbSession, sql: string): Promise<number> {
  const r = await session.query(sql);
  return Number(r.columns[0]?.[0] ?? 0);
}

export async function rewriteWithout(input: RewriteInput): Promise<RewriteOutcome> {
  const { session, table, column } = input;
  const empty: RewriteOutcome = { table, snapshotId: undefined, removedPaths: [], filesRewritten: [], deleteFilesRemoved: [], rowsErased: 0 };
  const snapshot = table.currentSnapshot();
  if (!snapshot || input.literals.length === 0) return empty;
  const local = (loc: string): string => localPathOf(table, loc);
  const fields = table.schema().fields;
  const col = quoteIdentifier(column.name);
  const match = `${col} IN (${input.literals.join(", ")})`;
  const filter = keyFilter(column.name, column.type, input.texts);
  const tasks = await table.newScan({ filter }).planFiles();

  const hits: FileScanTask[] = [];
  for (const t of tasks) {
    const file = local(t.file.filePath);
    const ids = await session.query(`SELECT count(field_id) FROM parquet_schema(${quoteString(file)})`);
    if (Number(ids.columns[0]?.[0] ?? 0) === 0) {
      throw new PiiError("PII_NO_FIELD_IDS", `pii: erase: ${t.file.filePath}: expected Parquet field ids, got a file without them (rewrite it with field ids first)`, { context: { file: t.file.filePath } });
    }
    // Deleted rows count too: a position delete hides a row from readers, not its bytes.
    const physical = await count(session, `SELECT count(*) FROM read_parquet(${stringList([file])}, schema = ${schemaMap([column])}) WHERE ${match}`);
    if (physical > 0) hits.push(t);
  }
  if (hits.length === 0) return empty;

  const written: string[] = [];
  const added: DataFile[] = [];
  const removed: DataFile[] = [];
  const filesRewritten: { from: string; to: string | null }[] = [];
  let rowsErased = 0;
  try {
    for (const t of hits) {
      const live = liveRowsSql(t, fields, local);
      rowsErased += await count(session, `SELECT count(*) FROM (${live}) WHERE ${match}`);
      const location = `${path.posix.dirname(t.file.filePath)}/erased-${input.erasureId}-${randomUUID()}.parquet`;
      const target = local(location);
      written.push(target);
      const stats = (await session.query(copyWithStatsSql(`SELECT * FROM (${live}) WHERE ${col} IS NULL OR NOT (${match})`, fields, target))).rowObjectsJson() as unknown as CopyStatsRow;
      const kept = stats.filter((s) => Number(s.count) > 0);
      removed.push(t.file);
      if (kept.length === 0) {
        await table.io.delete([target]);
        filesRewritten.push({ from: t.file.filePath, to: null });
        continue;
      }
      const files = dataFilesFromStats(kept, { fields, partition: [], specId: t.file.specId, toLocation: () => location }).map((f) => keepPartition(f, t.file));
      added.push(...files);
      filesRewritten.push({ from: t.file.filePath, to: location });
    }

    // Position deletes that name only files this erasure rewrites (or files no longer live) are applied: drop them.
    const gone = new Set(removed.map((f) => f.filePath));
    const liveData = new Set((await liveFiles(table, snapshot)).filter((f) => f.file.content === FileContent.Data).map((f) => f.file.filePath));
    const deleteFiles = new Map<string, DataFile>();
    for (const t of hits) for (const d of t.deletes) if (d.file.content === FileContent.PositionDeletes) deleteFiles.set(d.file.filePath, d.file);
    const droppedDeletes: DataFile[] = [];
    for (const d of deleteFiles.values()) {
      const r = await session.query(`SELECT DISTINCT file_path FROM read_parquet(${stringList([local(d.filePath)])}, schema = MAP {${POS_FILE_PATH_ID}: {name: 'file_path', type: 'VARCHAR', default_value: NULL}})`);
      const targets = (r.columns[0] ?? []).map(String);
      if (targets.every((p) => gone.has(p) || !liveData.has(p))) droppedDeletes.push(d);
    }

    const op = table.newOverwrite().conflictDetectionFilter(filter).validateFromSnapshot(snapshot.snapshotId).setProperty(ERASURE_ID_PROPERTY, input.erasureId);
    for (const f of [...removed, ...droppedDeletes]) op.deleteFile(f);
    for (const f of added) op.addFile(f);
    const after = await op.commit();
    return {
      table: after,
      snapshotId: after.currentSnapshot()?.snapshotId,
      removedPaths: [...removed, ...droppedDeletes].map((f) => f.filePath),
      filesRewritten,
      deleteFilesRemoved: droppedDeletes.map((f) => f.filePath),
      rowsErased,
    };
  } catch (error) {
    await table.io.delete(written).catch(() => undefined);
    throw error;
  }
}
