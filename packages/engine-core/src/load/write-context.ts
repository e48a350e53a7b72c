// What every write mode needs: the session, the plan and compiler, the table before the load,
// and a way to turn a COPY into committed-ready `DataFile`s.

import path from "node:path";
import { mkdir, readFile } from "node:fs/promises";
import type { DataFile, FileIO, FileScanTask, Schema, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent, stringList } from "../internal/sql.js";
import { redactSql } from "../internal/redact-sql.js";
import { fileCacheOf, localFileOf } from "../query/file-cache.js";
import { scanTasksSql, schemaMap } from "../query/scan-sql.js";
import { dataFilesFromStats, type CopyStatsRow } from "./data-files.js";
import { conformParquetFiles } from "./parquet-files.js";
import type { DuckDbLoadCompiler } from "./duckdb-compiler.js";
import { LoadError } from "./errors.js";
import type { LoadPlan } from "./plan.js";

/** Shared state of one load's write step. */
export interface WriteContext {
  readonly session: DuckDbSession;
  readonly plan: LoadPlan;
  readonly compiler: DuckDbLoadCompiler;
  /** The table before the load; undefined when the load creates it. */
  readonly table: Table | undefined;
  readonly schema: Schema;
  readonly specId: number;
  /** The table location (URL or path) data files are named under. */
  readonly location: string;
  /** Local folder the COPY writes to: `<location>/data`, or a scratch folder when the table is remote. */
  readonly dataPath: string;
  /** Set when the table location is remote: written files are uploaded through `io` as they are written. */
  readonly upload?: RemoteUpload;
}

/** Where a load on remote storage sends its files, and what it sent (deleted again unless committed). */
export interface RemoteUpload {
  readonly io: FileIO;
  /** Locations uploaded so far, in order. */
  readonly uploaded: string[];
}

/** Writes the rows of `relation` (optionally filtered) as data files with the load's writer. */
export async function writeRows(ctx: WriteContext, relation: string, where?: string): Promise<DataFile[]> {
  await mkdir(ctx.dataPath, { recursive: true });
  const sql = ctx.compiler.writeFrom(ctx.plan, relation, where);
  let stats: CopyStatsRow[];
  try {
    stats = (await ctx.session.query(sql)).rowObjectsJson() as unknown as CopyStatsRow[];
  } catch (error) {
    throw new LoadError(`load: writing Parquet failed: ${error instanceof Error ? error.message.replace(/^duckdb: /, "") : String(error)}`, { cause: error, context: { sql: redactSql(sql) } });
  }
  const root = ctx.dataPath;
  // Before upload and before the statistics become DataFiles: the files may change (see conformParquetFiles).
  const written = await conformParquetFiles(stats.filter((s) => Number(s.count) > 0), ctx.schema.fields);
  const toLocation = (p: string): string => `${ctx.location}/data/${path.relative(root, p).split(path.sep).join("/")}`;
  if (ctx.upload) await uploadFiles(ctx.session, ctx.upload, written.map((s) => ({ local: s.filename, location: toLocation(s.filename) })));
  return dataFilesFromStats(written, {
    fields: ctx.schema.fields,
    partition: ctx.plan.partition?.fields ?? [],
    specId: ctx.specId,
    toLocation,
  });
}

/**
 * Uploads files COPY wrote to a scratch folder, one after another, then keeps each in the
 * session's file cache under its remote location. A file is read whole before its upload
 * (FileIO writes take bytes; S3FileIO goes multipart above its part size): the writer's target
 * file size bounds the memory this takes.
 */
async function uploadFiles(session: DuckDbSession, upload: RemoteUpload, files: readonly { local: string; location: string }[]): Promise<void> {
  const cache = fileCacheOf(session);
  for (const f of files) {
    const bytes = await readFile(f.local);
    upload.uploaded.push(f.location);
    try {
      await upload.io.newOutputFile(f.location).write(bytes);
    } catch (error) {
      throw new LoadError(`load: uploading ${f.location} failed: ${error instanceof Error ? error.message : String(error)}`, { code: "UPLOAD_FAILED", cause: error, context: { location: f.location, bytes: bytes.byteLength } });
    }
    await cache.adopt(f.location, f.local);
  }
}

/** The rows of `relation`. */
export async function countRows(session: DuckDbSession, relation: string, where?: string): Promise<number> {
  const r = await session.query(`SELECT count(*) FROM ${quoteIdent(relation)}${where ? ` WHERE ${where}` : ""}`);
  return Number(r.columns[0]?.[0] ?? 0);
}

/** The local path DuckDB reads a table file at (remote files: their cache path; see `scanTasksSql`, which stages them). */
export function localFile(session: DuckDbSession, table: Table, location: string): string {
  return localFileOf(session, table.io, location);
}

/** Live rows of some scan tasks, as a temp view with `__engine_file` (the local path). */
export async function createTargetView(session: DuckDbSession, table: Table, tasks: readonly FileScanTask[], schema: Schema, name: string): Promise<void> {
  const sql = await scanTasksSql(session, table, tasks, schema, { withFile: true });
  await session.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS ${sql}`);
}

/** Rows in some scan tasks: their record counts, or a DuckDB count when delete files apply. */
export async function liveRowCount(session: DuckDbSession, table: Table, tasks: readonly FileScanTask[], schema: Schema): Promise<number> {
  if (tasks.every((t) => t.deletes.length === 0)) return tasks.reduce((n, t) => n + Number(t.file.recordCount), 0);
  const r = await session.query(`SELECT count(*) FROM (${await scanTasksSql(session, table, tasks, schema)})`);
  return Number(r.columns[0]?.[0] ?? 0);
}

/** A SELECT of the table as it will be after a commit: live files minus `removed`, plus `added`. */
export async function tableAfterSql(ctx: WriteContext, removed: readonly DataFile[], added: readonly DataFile[]): Promise<string> {
  const gone = new Set(removed.map((f) => f.filePath));
  const live = ctx.table ? (await ctx.table.newScan().planFiles()).filter((t) => !gone.has(t.file.filePath)) : [];
  const cols = ctx.schema.fields.map((f) => quoteIdent(f.name)).join(", ");
  const parts: string[] = [];
  if (live.length > 0 || added.length === 0) parts.push(await scanTasksSql(ctx.session, ctx.table!, live, ctx.schema));
  if (added.length > 0) {
    const files = added.map((f) => (ctx.upload ? fileCacheOf(ctx.session).pathFor(f.filePath) : ctx.table ? localFile(ctx.session, ctx.table, f.filePath) : f.filePath.replace(/^file:\/\//, "")));
    parts.push(`SELECT ${cols} FROM read_parquet(${stringList(files)}, schema = ${schemaMap(ctx.schema.fields)})`);
  }
  return parts.map((p) => `(${p})`).join(" UNION ALL ");
}
