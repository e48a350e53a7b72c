// Copy-on-write delete of the rows a predicate selects, shared by erasure (the subject's rows) and
// retention (rows older than the window). Only files whose partition values and column
// statistics may hold such rows are read; DuckDB confirms which really hold one (deleted rows
// included: their bytes are still in the file), rewrites each without those rows and with its
// delete files applied, and one overwrite commits the swap.

import { randomUUID } from "node:crypto";
import path from "node:path";
import { conformParquetFiles, dataFilesFromStats, scanTasksSql, schemaMap, type CopyStatsRow, type DuckDbSession } from "@engine/core";
import { FileContent, liveFiles, type DataFile, type Expression, type FileScanTask, type NestedField, type Table } from "@engine/iceberg";
import { PiiError } from "../errors.js";
import { copyWithStatsSql, keepPartition, POS_FILE_PATH_ID, stringList } from "./parquet-sql.js";
import { quoteString } from "./sql.js";

/** Snapshot summary property naming the erasure that committed a snapshot. */
export const ERASURE_ID_PROPERTY = "engine.pii.erasure-id";

export interface RewriteInput {
  readonly session: DuckDbSession;
  readonly table: Table;
  /** A DuckDB predicate over the table's columns: the rows to remove (NULL counts as false). */
  readonly match: string;
  /** The columns `match` reads (a file is only touched when it physically holds a matching row). */
  readonly matchFields: readonly NestedField[];
  /** An Iceberg filter that holds for every matching row: file pruning and conflict detection. */
  readonly filter: Expression;
  /** Snapshot summary property and value that tag the commit (`engine.pii.erasure-id`: the erasure id). */
  readonly tag: { readonly property: string; readonly value: string };
  /** Prefix of the rewritten files' names, e.g. `erased-<id>`. */
  readonly filePrefix: string;
}

export interface RewriteOutcome {
  readonly table: Table;
  readonly snapshotId: bigint | undefined;
  readonly removedPaths: readonly string[];
  readonly filesRewritten: readonly { from: string; to: string | null }[];
  readonly deleteFilesRemoved: readonly string[];
  /** Live rows removed. */
  readonly rowsRemoved: number;
}

/** Where DuckDB reads or writes a table location; erasure and retention run on local warehouses only. */
export function localPathOf(table: Table, location: string): string {
  const p = table.io.localPath(table.remap(location));
  if (p === undefined) {
    throw new PiiError("PII_NOT_LOCAL", `pii: ${location}: expected a local table location, got one DuckDB cannot write here (S3 tables need the Athena path)`, { context: { location } });
  }
  return p;
}

async function count(session: DuckDbSession, sql: string): Promise<number> {
  const r = await session.query(sql);
  return Number(r.columns[0]?.[0] ?? 0);
}

/** Whether one Parquet file physically holds a row `match` selects (read by field id). */
export async function fileHoldsMatch(session: DuckDbSession, file: string, fields: readonly NestedField[], match: string): Promise<boolean> {
  return (await count(session, `SELECT count(*) FROM read_parquet(${stringList([file])}, schema = ${schemaMap(fields)}) WHERE ${match}`)) > 0;
}

export async function rewriteWhere(input: RewriteInput): Promise<RewriteOutcome> {
  const { session, table, match } = input;
  const empty: RewriteOutcome = { table, snapshotId: undefined, removedPaths: [], filesRewritten: [], deleteFilesRemoved: [], rowsRemoved: 0 };
  const snapshot = table.currentSnapshot();
  if (!snapshot) return empty;
  const local = (loc: string): string => localPathOf(table, loc);
  const schema = table.schema();
  const fields = schema.fields;
  const tasks = await table.newScan({ filter: input.filter }).planFiles();

  const hits: FileScanTask[] = [];
  for (const t of tasks) {
    const file = local(t.file.filePath);
    const ids = await session.query(`SELECT count(field_id) FROM parquet_schema(${quoteString(file)})`);
    if (Number(ids.columns[0]?.[0] ?? 0) === 0) {
      throw new PiiError("PII_NO_FIELD_IDS", `pii: ${t.file.filePath}: expected Parquet field ids, got a file without them (rewrite it with field ids first)`, { context: { file: t.file.filePath } });
    }
    // Deleted rows count too: a position delete hides a row from readers, not its bytes.
    if (await fileHoldsMatch(session, file, input.matchFields, match)) hits.push(t);
  }
  if (hits.length === 0) return empty;

  const written: string[] = [];
  const added: DataFile[] = [];
  const removed: DataFile[] = [];
  const filesRewritten: { from: string; to: string | null }[] = [];
  let rowsRemoved = 0;
  try {
    for (const t of hits) {
      const live = await scanTasksSql(session, table, [t], schema);
      rowsRemoved += await count(session, `SELECT count(*) FROM (${live}) WHERE ${match}`);
      const location = `${path.posix.dirname(t.file.filePath)}/${input.filePrefix}-${randomUUID()}.parquet`;
      const target = local(location);
      written.push(target);
      const stats = (await session.query(copyWithStatsSql(`SELECT * FROM (${live}) WHERE (${match}) IS NOT TRUE`, fields, target))).rowObjectsJson() as unknown as CopyStatsRow[];
      const kept = await conformParquetFiles(stats.filter((s) => Number(s.count) > 0), fields);
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

    // Position deletes that name only files this rewrite removes (or files no longer live) are applied: drop them.
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

    const op = table.newOverwrite().conflictDetectionFilter(input.filter).validateFromSnapshot(snapshot.snapshotId).setProperty(input.tag.property, input.tag.value);
    for (const f of [...removed, ...droppedDeletes]) op.deleteFile(f);
    for (const f of added) op.addFile(f);
    const after = await op.commit();
    return {
      table: after,
      snapshotId: after.currentSnapshot()?.snapshotId,
      removedPaths: [...removed, ...droppedDeletes].map((f) => f.filePath),
      filesRewritten,
      deleteFilesRemoved: droppedDeletes.map((f) => f.filePath),
      rowsRemoved,
    };
  } catch (error) {
    await table.io.delete(written).catch(() => undefined);
    throw error;
  }
}
