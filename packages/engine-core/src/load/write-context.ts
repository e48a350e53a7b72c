// What every write mode needs: the session, the plan and compiler, the table before the load,
// and a way to turn a COPY into committed-ready `DataFile`s.

import path from "node:path";
import { mkdir } from "node:fs/promises";
import type { DataFile, FileScanTask, Schema, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent, stringList } from "../internal/sql.js";
import { scanTasksSql, schemaMap } from "../query/scan-sql.js";
import { dataFilesFromStats, type CopyStatsRow } from "./data-files.js";
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
  /** Local folder the COPY writes to (`<location>/data`). */
  readonly dataPath: string;
}

/** Writes the rows of `relation` (optionally filtered) as data files with the load's writer. */
export async function writeRows(ctx: WriteContext, relation: string, where?: string): Promise<DataFile[]> {
  await mkdir(ctx.dataPath, { recursive: true });
  const sql = ctx.compiler.writeFrom(ctx.plan, relation, where);
  let stats: CopyStatsRow[];
  try {
    stats = (await ctx.session.query(sql)).rowObjectsJson() as unknown as CopyStatsRow[];
  } catch (error) {
    throw new LoadError(`load: writing Parquet failed: ${error instanceof Error ? error.message.replace(/^duckdb: /, "") : String(error)}`, { cause: error, context: { sql } });
  }
  const root = ctx.dataPath;
  return dataFilesFromStats(stats.filter((s) => Number(s.count) > 0), {
    fields: ctx.schema.fields,
    partition: ctx.plan.partition?.fields ?? [],
    specId: ctx.specId,
    toLocation: (p) => `${ctx.location}/data/${path.relative(root, p).split(path.sep).join("/")}`,
  });
}

/** The rows of `relation`. */
export async function countRows(session: DuckDbSession, relation: string, where?: string): Promise<number> {
  const r = await session.query(`SELECT count(*) FROM ${quoteIdent(relation)}${where ? ` WHERE ${where}` : ""}`);
  return Number(r.columns[0]?.[0] ?? 0);
}

/** The local path DuckDB reads a table file at. */
export function localFile(table: Table, location: string): string {
  return table.io.localPath(location) ?? location.replace(/^file:\/\//, "");
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
    const files = added.map((f) => (ctx.table ? localFile(ctx.table, f.filePath) : f.filePath.replace(/^file:\/\//, "")));
    parts.push(`SELECT ${cols} FROM read_parquet(${stringList(files)}, schema = ${schemaMap(ctx.schema.fields)})`);
  }
  return parts.map((p) => `(${p})`).join(" UNION ALL ");
}
