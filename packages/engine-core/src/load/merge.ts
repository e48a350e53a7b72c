// merge (upsert by key) as copy-on-write inside DuckDB:
//   1. prune: the table scan keeps only files whose partition values and key min/max statistics
//      may hold an incoming key (`in` over the distinct keys, or their range when there are many);
//   2. confirm: DuckDB reads just the key column(s) + filename of those files and keeps the
//      files that really hold an incoming key;
//   3. merge: the live rows of those files joined with the batch (see `mergeStatement`);
//   4. write the rows of files where something changed, plus new rows, with the load's writer;
//      the commit removes exactly those files (one overwrite with conflict validation).
// Bulk rows stay in DuckDB; JavaScript sees keys only when pruning with `in`.

import { alwaysTrue, and, gtEq, isIn, ltEq, type DataFile, type Expression, type FileScanTask, type IcebergType, type NestedField } from "@engine/iceberg";
import { quoteIdent, quoteString, stringList } from "../internal/sql.js";
import { stageRemoteFiles } from "../query/file-cache.js";
import { hasFieldIds, schemaMap } from "../query/scan-sql.js";
import { EXTRA_COLUMNS, RELATIONS, type MergeAction } from "./duckdb-compiler.js";
import { LoadError } from "./errors.js";
import { batchWhere, type PreparedWrite } from "./write-modes.js";
import { createTargetView, localFile, writeRows, type WriteContext } from "./write-context.js";

/** Up to this many distinct incoming keys prune with `in`; more prune with their min/max range. */
export const MERGE_IN_LIST_LIMIT = 1000;

/** The files a merge rewrites, and why. */
export interface MergeFiles {
  /** Files the scan could not rule out by partition values and statistics. */
  readonly candidates: readonly FileScanTask[];
  /** Files DuckDB found to hold at least one incoming key. */
  readonly matched: readonly FileScanTask[];
  readonly keyFilter: Expression;
}

/** merge: updates matched rows, inserts new ones, deletes marked ones; older incoming rows are ignored. */
export async function prepareMerge(ctx: WriteContext): Promise<PreparedWrite> {
  await assertUniqueKeys(ctx);
  if (!ctx.table) {
    const where = batchWhere(ctx);
    const added = await writeRows(ctx, RELATIONS.input, where);
    return { action: "append", added, removed: [], rowsInserted: sum(added), rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0 };
  }
  const files = await findMergeFiles(ctx);
  await createTargetView(ctx.session, ctx.table, files.matched, ctx.schema, RELATIONS.target);
  await ctx.session.run(ctx.compiler.mergeStatement(ctx.plan));
  const counts = await actionCounts(ctx);
  // Only files where a row is updated or deleted are rewritten; files whose matches are all stale or unchanged stay.
  const changed = await ctx.session.query(`SELECT DISTINCT ${quoteIdent(EXTRA_COLUMNS.file)} FROM ${quoteIdent(RELATIONS.merged)} WHERE ${quoteIdent(EXTRA_COLUMNS.action)} IN ('update', 'delete')`);
  const changedFiles = new Set((changed.columns[0] ?? []).map(String));
  const action = quoteIdent(EXTRA_COLUMNS.action);
  const fileIn = changedFiles.size === 0 ? "false" : `${quoteIdent(EXTRA_COLUMNS.file)} IN (${[...changedFiles].map(quoteString).join(", ")})`;
  const where = `${action} = 'insert' OR (${action} IN ('keep', 'stale', 'unchanged', 'update') AND ${fileIn})`;
  const added = counts.insert + counts.update > 0 || changedFiles.size > 0 ? await writeRows(ctx, RELATIONS.merged, where) : [];
  const removed = files.matched.filter((t) => changedFiles.has(localFile(ctx.session, ctx.table!, t.file.filePath))).map((t) => t.file);
  return {
    action: "overwrite", added, removed,
    rowsInserted: counts.insert, rowsUpdated: counts.update, rowsDeleted: counts.delete, rowsStale: counts.stale,
    conflictFilter: files.keyFilter,
  };
}

/** Steps 1 and 2: the live files that hold incoming keys. */
export async function findMergeFiles(ctx: WriteContext): Promise<MergeFiles> {
  const table = ctx.table;
  if (!table) return { candidates: [], matched: [], keyFilter: alwaysTrue() };
  const keyFields = ctx.plan.write.key.map((k) => ctx.schema.fields.find((f) => f.name === k)!);
  const keyFilter = await incomingKeyFilter(ctx, keyFields);
  const candidates = await table.newScan({ filter: keyFilter }).planFiles();
  if (candidates.length === 0) return { candidates, matched: [], keyFilter };
  await stageRemoteFiles(ctx.session, table.io, candidates.map((t) => ({ location: t.file.filePath, size: t.file.fileSizeInBytes })));
  const byLocal = new Map(candidates.map((t) => [localFile(ctx.session, table, t.file.filePath), t] as const));
  const withIds: string[] = [];
  const matched = new Set<FileScanTask>();
  for (const [local, task] of byLocal) {
    // Files written without field ids (imported) cannot be read by id: they are rewritten if they are candidates.
    if (await hasFieldIds(ctx.session, local)) withIds.push(local);
    else matched.add(task);
  }
  if (withIds.length > 0) {
    const on = keyFields.map((f) => `k.${quoteIdent(f.name)} IS NOT DISTINCT FROM i.${quoteIdent(f.name)}`).join(" AND ");
    const r = await ctx.session.query(
      `SELECT DISTINCT k.filename FROM read_parquet(${stringList(withIds)}, schema = ${schemaMap(keyFields)}, filename = true) AS k ` +
      `WHERE EXISTS (SELECT 1 FROM ${quoteIdent(RELATIONS.input)} AS i WHERE ${on})`,
    );
    for (const f of r.columns[0] ?? []) {
      const task = byLocal.get(String(f));
      if (task) matched.add(task);
    }
  }
  return { candidates, matched: candidates.filter((t) => matched.has(t)), keyFilter };
}

/** An Iceberg filter that holds for every incoming key: `in` over distinct values, or their range. */
async function incomingKeyFilter(ctx: WriteContext, keyFields: readonly NestedField[]): Promise<Expression> {
  const parts: Expression[] = [];
  for (const f of keyFields) {
    const text = textOf(f.type, quoteIdent(f.name));
    if (text === undefined) continue;
    const stats = await ctx.session.query(`SELECT count(DISTINCT ${quoteIdent(f.name)}) AS n, count(*) FILTER (WHERE ${quoteIdent(f.name)} IS NULL) AS nulls, ${text.replaceAll("$", `min(${quoteIdent(f.name)})`)} AS lo, ${text.replaceAll("$", `max(${quoteIdent(f.name)})`)} AS hi FROM ${quoteIdent(RELATIONS.input)}`);
    const row = stats.rowObjectsJson()[0] ?? {};
    if (Number(row["nulls"]) > 0 || row["lo"] === null || row["lo"] === undefined) continue;
    if (Number(row["n"]) <= MERGE_IN_LIST_LIMIT) {
      const values = await ctx.session.query(`SELECT DISTINCT ${text.replaceAll("$", quoteIdent(f.name))} FROM ${quoteIdent(RELATIONS.input)}`);
      parts.push(isIn(f.name, (values.columns[0] ?? []).map((v) => fromText(f.type, String(v)))));
    } else {
      parts.push(and(gtEq(f.name, fromText(f.type, String(row["lo"]))), ltEq(f.name, fromText(f.type, String(row["hi"])))));
    }
  }
  return parts.length === 0 ? alwaysTrue() : parts.length === 1 ? parts[0]! : and(...parts);
}

/** A SQL template (`$` = the value) giving a key value as text `toLiteral` reads; undefined: not pruned. */
function textOf(type: IcebergType, _col: string): string | undefined {
  if (type.kind === "decimal") return "CAST($ AS VARCHAR)";
  if (type.kind !== "primitive") return undefined;
  switch (type.name) {
    case "int": case "long": case "string": case "date": case "uuid": return "CAST($ AS VARCHAR)";
    case "timestamptz": return "strftime($, '%Y-%m-%dT%H:%M:%S.%fZ')";
    case "timestamp": return "strftime($, '%Y-%m-%dT%H:%M:%S.%f')";
    default: return undefined;
  }
}

function fromText(type: IcebergType, text: string): unknown {
  if (type.kind === "primitive" && type.name === "long") return BigInt(text);
  if (type.kind === "primitive" && type.name === "int") return Number(text);
  return text;
}

async function assertUniqueKeys(ctx: WriteContext): Promise<void> {
  const keys = ctx.plan.write.key.map(quoteIdent).join(", ");
  const r = await ctx.session.query(`SELECT ${ctx.plan.write.key.map((k) => `CAST(${quoteIdent(k)} AS VARCHAR)`).join(" || ', ' || ")} AS k, count(*) AS n FROM ${quoteIdent(RELATIONS.input)} GROUP BY ${keys} HAVING count(*) > 1 LIMIT 1`);
  const row = r.rowObjectsJson()[0];
  if (row) {
    throw new LoadError(`load: merge: key ${ctx.plan.write.key.join(", ")} = ${String(row["k"])} appears ${String(row["n"])} times in the batch; a merge needs one row per key (add dedupe: { keep: latest, orderBy: … } or dedupe: { keep: exact })`, { code: "DUPLICATE_KEY", context: { key: row["k"], rows: Number(row["n"]) } });
  }
}

async function actionCounts(ctx: WriteContext): Promise<Record<MergeAction, number>> {
  const r = await ctx.session.query(`SELECT ${quoteIdent(EXTRA_COLUMNS.action)} AS a, count(*) AS n FROM ${quoteIdent(RELATIONS.merged)} GROUP BY 1`);
  const out: Record<MergeAction, number> = { keep: 0, insert: 0, update: 0, unchanged: 0, delete: 0, stale: 0, ignore: 0 };
  for (const row of r.rowObjectsJson()) out[String(row["a"]) as MergeAction] = Number(row["n"]);
  return out;
}

function sum(files: readonly DataFile[]): number {
  return files.reduce((n, f) => n + Number(f.recordCount), 0);
}
