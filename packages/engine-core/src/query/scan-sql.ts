import type { FileScanTask, NestedField, Schema, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import { duckDbType } from "../duckdb/types.js";
import { quoteIdent, quoteString, stringList } from "../internal/sql.js";
import { localFileOf, stageRemoteFiles } from "./file-cache.js";

const FILE_COL = "__engine_file";
const ROW_COL = "file_row_number";
/** Iceberg's reserved field ids of position-delete files. Spec: "Position Delete Files". */
const POS_FILE_PATH_ID = 2147483546;
const POS_POS_ID = 2147483545;

/** Which snapshot to read. */
export interface SnapshotSelector {
  readonly snapshotId?: bigint;
  readonly asOfTimestampMs?: bigint | number;
  readonly ref?: string;
}

/**
 * Builds one DuckDB SELECT that reads a table snapshot: data files by Parquet field id
 * (`read_parquet(schema = MAP {id: {name, type, default_value}})`), files without ids by the
 * `schema.name-mapping.default` names (else by column names), minus position deletes
 * (anti-join on file and row number) and equality deletes (anti-join on the equality columns,
 * only for data files older than the delete). Everything runs inside DuckDB; files on remote
 * storage are first staged into the session's local cache (see file-cache.ts).
 */
export async function scanSql(session: DuckDbSession, table: Table, selector: SnapshotSelector = {}): Promise<string> {
  const hasSelector = selector.snapshotId !== undefined || selector.asOfTimestampMs !== undefined || selector.ref !== undefined;
  const snapshot = selector.snapshotId !== undefined ? table.snapshot(selector.snapshotId)
    : selector.asOfTimestampMs !== undefined ? table.snapshotAsOf(selector.asOfTimestampMs)
    : selector.ref !== undefined ? table.snapshotByRef(selector.ref)
    : table.currentSnapshot();
  if (hasSelector && snapshot === undefined) throw new Error(`query: table ${table.identifier.name}: snapshot ${String(selector.snapshotId)} does not exist`);
  const schema = hasSelector && snapshot?.schemaId !== undefined ? table.schemaById(snapshot.schemaId) : table.schema();
  const empty = `SELECT ${schema.fields.map((f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`).join(", ")} WHERE false`;
  if (!snapshot) return empty;
  const tasks = await table.newScan({ snapshotId: snapshot.snapshotId }).planFiles();
  return scanTasksSql(session, table, tasks, schema);
}

/**
 * One DuckDB SELECT over the given scan tasks only (a subset of a snapshot's files, e.g. the
 * files a merge rewrites), with their delete files applied; columns are `schema`'s.
 */
export async function scanTasksSql(session: DuckDbSession, table: Table, tasks: readonly FileScanTask[], schema: Schema, options: { withFile?: boolean } = {}): Promise<string> {
  const columns = schema.fields;
  const select = columns.map((f) => quoteIdent(f.name)).join(", ");
  const fileOut = options.withFile ? `, d.${quoteIdent(FILE_COL)}` : "";
  const empty = `SELECT ${columns.map((f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`).join(", ")}${options.withFile ? `, NULL::VARCHAR AS ${quoteIdent(FILE_COL)}` : ""} WHERE false`;
  if (tasks.length === 0) return empty;

  const local = (p: string): string => localFileOf(session, table.io, p);
  await stageRemoteFiles(session, table.io, [
    ...tasks.map((t) => ({ location: t.file.filePath, size: t.file.fileSizeInBytes })),
    ...tasks.flatMap((t) => t.deletes.map((d) => ({ location: d.file.filePath, size: d.file.fileSizeInBytes }))),
  ]);
  const dataPaths = tasks.map((t) => local(t.file.filePath));
  const withIds: string[] = [];
  const withoutIds: string[] = [];
  for (const p of dataPaths) ((await hasFieldIds(session, p)) ? withIds : withoutIds).push(p);

  const parts: string[] = [];
  if (withIds.length > 0) {
    parts.push(`SELECT ${select}, ${quoteIdent(FILE_COL)}, ${ROW_COL} FROM read_parquet(${stringList(withIds)}, schema = ${schemaMap(columns)}, filename = ${quoteString(FILE_COL)}, file_row_number = true)`);
  }
  if (withoutIds.length > 0) parts.push(await byNameSql(session, withoutIds, columns, table.properties()["schema.name-mapping.default"]));
  let sql = parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" UNION ALL BY NAME ");

  const where: string[] = [];
  const posDeletes = uniqueDeletes(tasks, 1);
  if (posDeletes.length > 0) {
    const files = posDeletes.map((d) => local(d.file.filePath));
    const posRead = `read_parquet(${stringList(files)}, schema = MAP {${POS_FILE_PATH_ID}: {name: 'file_path', type: 'VARCHAR', default_value: NULL}, ${POS_POS_ID}: {name: 'pos', type: 'BIGINT', default_value: NULL}})`;
    // Delete files name data files by their original paths; map those few distinct paths the way the scan mapped data paths.
    const distinct = await session.query(`SELECT DISTINCT file_path FROM ${posRead}`);
    const mapped = (distinct.columns[0] ?? []).map((v) => String(v)).map((p) => [p, local(table.remap(p))] as const);
    const mapping = mapped.length === 0 ? "(SELECT NULL::VARCHAR AS orig, NULL::VARCHAR AS loc WHERE false)" : `(VALUES ${mapped.map(([a, b]) => `(${quoteString(a)}, ${quoteString(b)})`).join(", ")}) AS m(orig, loc)`;
    where.push(`NOT EXISTS (SELECT 1 FROM (SELECT m.loc AS fp, p.pos FROM ${posRead} AS p JOIN ${mapping} ON p.file_path = m.orig) AS pd WHERE pd.fp = d.${quoteIdent(FILE_COL)} AND pd.pos = d.${ROW_COL})`);
  }
  for (const del of uniqueDeletes(tasks, 2)) {
    // Spec: an equality delete applies to data files whose data sequence number is strictly lower.
    const applies = tasks.filter((t) => t.dataSequenceNumber < del.dataSequenceNumber && t.deletes.some((x) => x.file.filePath === del.file.filePath));
    if (applies.length === 0) continue;
    // Spec: equality_ids is required for equality deletes. Skipping an id would delete rows that match on fewer columns.
    const ids = del.file.equalityIds ?? [];
    const eqFields = ids.map((id) => columnsById(schema, id)).filter((f): f is NestedField => f !== undefined);
    if (ids.length === 0 || eqFields.length !== ids.length) {
      throw new EngineError("UNSUPPORTED_DELETE_FILE", `query: table ${table.identifier.name}: equality delete file ${del.file.filePath}: expected equality_ids naming top-level columns of the schema, got [${ids.join(", ")}]`, {
        context: { file: del.file.filePath, equalityIds: [...ids] },
      });
    }
    const read = `read_parquet(${stringList([local(del.file.filePath)])}, schema = ${schemaMap(eqFields)})`;
    const cond = eqFields.map((f) => `e.${quoteIdent(f.name)} IS NOT DISTINCT FROM d.${quoteIdent(f.name)}`).join(" AND ");
    where.push(`NOT (d.${quoteIdent(FILE_COL)} IN (${applies.map((t) => quoteString(local(t.file.filePath))).join(", ")}) AND EXISTS (SELECT 1 FROM ${read} AS e WHERE ${cond}))`);
  }
  sql = `SELECT ${columns.map((f) => `d.${quoteIdent(f.name)}`).join(", ")}${fileOut} FROM (${sql}) AS d${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
  return sql;
}

function uniqueDeletes(tasks: readonly FileScanTask[], content: number): { file: FileScanTask["file"]; dataSequenceNumber: bigint }[] {
  const seen = new Map<string, { file: FileScanTask["file"]; dataSequenceNumber: bigint }>();
  for (const t of tasks) for (const d of t.deletes) if (Number(d.file.content) === content && !seen.has(d.file.filePath)) seen.set(d.file.filePath, d);
  return [...seen.values()];
}

function columnsById(schema: Schema, id: number): NestedField | undefined {
  return schema.fields.find((f) => f.id === id);
}

/** The `schema = MAP {…}` argument of read_parquet for top-level fields. */
export function schemaMap(fields: readonly NestedField[]): string {
  return `MAP {${fields.map((f) => `${f.id}: {name: ${quoteString(f.name)}, type: ${quoteString(duckDbType(f.type))}, default_value: NULL}`).join(", ")}}`;
}

const idCache = new Map<string, boolean>();

/** Whether a Parquet file carries field ids (cached per path). */
export async function hasFieldIds(session: DuckDbSession, file: string): Promise<boolean> {
  const cached = idCache.get(file);
  if (cached !== undefined) return cached;
  const r = await session.query(`SELECT count(field_id) FROM parquet_schema(${quoteString(file)})`);
  const has = Number(r.columns[0]?.[0] ?? 0) > 0;
  idCache.set(file, has);
  return has;
}

/** Reads files without field ids: each table field by its name-mapping names (or its own name when there is no mapping). */
async function byNameSql(session: DuckDbSession, files: readonly string[], columns: readonly NestedField[], mappingJson: string | undefined): Promise<string> {
  const names = new Map<number, string[]>();
  if (mappingJson !== undefined) {
    try {
      let parsed = JSON.parse(mappingJson) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Array.isArray((parsed as { fields?: unknown }).fields)) parsed = (parsed as { fields: unknown }).fields;
      for (const e of parsed as { "field-id"?: number; names?: string[] }[]) if (e["field-id"] !== undefined) names.set(e["field-id"], e.names ?? []);
    } catch { /* an unreadable mapping maps nothing */ }
  }
  const parts: string[] = [];
  for (const file of files) {
    const r = await session.query(`SELECT name FROM parquet_schema(${quoteString(file)})`);
    const present = new Set((r.columns[0] ?? []).map(String));
    const cols = columns.map((f) => {
      const candidates = mappingJson !== undefined ? (names.get(f.id) ?? []) : [f.name];
      const hit = candidates.find((n) => present.has(n));
      const expr = hit === undefined ? "NULL" : quoteIdent(hit);
      return `CAST(${expr} AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`;
    });
    parts.push(`SELECT ${cols.join(", ")}, ${quoteIdent(FILE_COL)}, ${ROW_COL} FROM read_parquet(${stringList([file])}, filename = ${quoteString(FILE_COL)}, file_row_number = true)`);
  }
  return parts.join(" UNION ALL ");
}
