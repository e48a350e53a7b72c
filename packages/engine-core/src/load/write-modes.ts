// The write modes except merge (see merge.ts): each turns the staged batch (`__engine_input`)
// into data files and says which live files the commit removes. Nothing is committed here.

import { alwaysTrue, type DataFile, type Expression, type FileScanTask } from "@engine/iceberg";
import { quoteIdent, quoteString } from "../internal/sql.js";
import { EXTRA_COLUMNS, RELATIONS } from "./duckdb-compiler.js";
import { LoadError } from "./errors.js";
import { compileWriteFilter } from "./write-filter.js";
import { countRows, createTargetView, liveRowCount, localFile, writeRows, type WriteContext } from "./write-context.js";

/** A written batch waiting for its commit. */
export interface PreparedWrite {
  /** Which Iceberg action commits it. */
  readonly action: "append" | "overwrite" | "replace-partitions";
  readonly added: readonly DataFile[];
  readonly removed: readonly DataFile[];
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
  readonly rowsStale: number;
  /** Concurrent data added inside this filter since `baseSnapshotId` fails the commit. */
  readonly conflictFilter?: Expression;
  /** Partitions or filter values touched, for reports. */
  readonly touched?: readonly string[];
}

/** Rows of the batch that are written (merge delete markers are not). */
export function batchWhere(ctx: WriteContext): string | undefined {
  return ctx.plan.cast.deleteMarker ? `NOT ${quoteIdent(EXTRA_COLUMNS.delete)}` : undefined;
}

/** append: the batch as new files. */
export async function prepareAppend(ctx: WriteContext): Promise<PreparedWrite> {
  const where = batchWhere(ctx);
  const added = await writeRows(ctx, RELATIONS.input, where);
  return { action: "append", added, removed: [], rowsInserted: sum(added), rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0 };
}

/**
 * overwrite: without a filter every live file is replaced by the batch (an empty batch empties
 * the table). With `write.filter` (also replace-partitions with a filter) the rows matching
 * the filter are replaced: files wholly inside it are dropped, files partly inside it are
 * rewritten without the matching rows, and the batch itself must lie inside the filter.
 */
export async function prepareOverwrite(ctx: WriteContext): Promise<PreparedWrite> {
  const filter = ctx.plan.write.filter ? compileWriteFilter(ctx.plan.write.filter, ctx.schema.fields) : undefined;
  if (filter) {
    const outside = await countRows(ctx.session, RELATIONS.input, `NOT coalesce(${filter.sql}, false)`);
    if (outside > 0) {
      throw new LoadError(`load: ${outside} row${outside === 1 ? "" : "s"} of the batch fall${outside === 1 ? "s" : ""} outside write.filter (${filter.text}); an overwrite by filter may only write rows inside it`, { code: "OUTSIDE_FILTER", context: { rows: outside, filter: filter.text } });
    }
  }
  const tasks = ctx.table ? await ctx.table.newScan(filter ? { filter: filter.expression } : {}).planFiles() : [];
  let removed: DataFile[] = tasks.map((t) => t.file);
  let rowsDeleted = ctx.table ? await liveRowCount(ctx.session, ctx.table, tasks, ctx.schema) : 0;
  const added: DataFile[] = [];
  if (filter && ctx.table && tasks.length > 0) {
    // Exact per-file split in DuckDB: how many live rows of each candidate file match the filter.
    await createTargetView(ctx.session, ctx.table, tasks, ctx.schema, RELATIONS.target);
    const split = await ctx.session.query(`SELECT ${quoteIdent(EXTRA_COLUMNS.file)} AS f, count(*) FILTER (WHERE coalesce(${filter.sql}, false)) AS hit, count(*) FILTER (WHERE NOT coalesce(${filter.sql}, false)) AS keep FROM ${quoteIdent(RELATIONS.target)} GROUP BY 1`);
    const byLocal = new Map(tasks.map((t) => [localFile(ctx.session, ctx.table!, t.file.filePath), t] as const));
    const touched = new Set<FileScanTask>();
    const rewrite: string[] = [];
    rowsDeleted = 0;
    split.rowObjectsJson().forEach((r) => {
      const task = byLocal.get(String(r["f"]));
      const hit = Number(r["hit"]);
      if (!task || hit === 0) return;
      touched.add(task);
      rowsDeleted += hit;
      if (Number(r["keep"]) > 0) rewrite.push(String(r["f"]));
    });
    // Files whose live rows were all deleted by delete files are left as they are.
    removed = tasks.filter((t) => touched.has(t)).map((t) => t.file);
    if (rewrite.length > 0) {
      added.push(...await writeRows(ctx, RELATIONS.target, `${quoteIdent(EXTRA_COLUMNS.file)} IN (${rewrite.map(quoteString).join(", ")}) AND NOT coalesce(${filter.sql}, false)`));
    }
  }
  const batch = await writeRows(ctx, RELATIONS.input);
  added.push(...batch);
  return {
    action: "overwrite", added, removed, rowsInserted: sum(batch), rowsUpdated: 0, rowsDeleted, rowsStale: 0,
    conflictFilter: filter?.expression ?? alwaysTrue(),
    ...(filter ? { touched: [filter.text] } : {}),
  };
}

/**
 * replace-partitions: the batch replaces every partition it has rows in (Iceberg's dynamic
 * partition overwrite); an unpartitioned table is replaced whole. With `write.filter` it is an
 * overwrite by that filter (the daily-batch pattern: `{ "day(event_ts)": "{date}" }`).
 */
export async function prepareReplacePartitions(ctx: WriteContext): Promise<PreparedWrite> {
  if (ctx.plan.write.filter) return { ...(await prepareOverwrite(ctx)), action: "overwrite" };
  const added = await writeRows(ctx, RELATIONS.input);
  if (!ctx.table) return { action: "append", added, removed: [], rowsInserted: sum(added), rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0 };
  const tasks = await ctx.table.newScan().planFiles();
  const unpartitioned = ctx.table.spec().fields.length === 0;
  const keys = new Set(added.map((f) => partitionKey(f)));
  const replaced = tasks.filter((t) => unpartitioned || (t.file.specId === ctx.specId && keys.has(partitionKey(t.file))));
  return {
    action: "replace-partitions", added, removed: replaced.map((t) => t.file),
    rowsInserted: sum(added), rowsUpdated: 0, rowsDeleted: await liveRowCount(ctx.session, ctx.table, replaced, ctx.schema), rowsStale: 0,
    touched: [...keys].sort(),
  };
}

/** A stable text key of a data file's partition tuple. */
export function partitionKey(file: DataFile): string {
  return JSON.stringify(file.partition, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));
}

function sum(files: readonly DataFile[]): number {
  return files.reduce((n, f) => n + Number(f.recordCount), 0);
}
