import { randomUUID } from "node:crypto";
import path from "node:path";
import { mkdir, readdir, rm } from "node:fs/promises";
import type { Catalog, DataFile, PartitionField, Schema, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { sha256Hex, stableJson } from "../internal/hash.js";
import { specHash } from "../spec/index.js";
import { quoteIdent } from "../internal/sql.js";
import { openSource, type SourceRead } from "../source/read-sql.js";
import { sourceErrorFrom } from "../source/errors.js";
import { stageMemoryData } from "../source/memory.js";
import type { TableSpec } from "../spec/table-spec.js";
import { dataFilesFromStats, type CopyStatsRow } from "./data-files.js";
import { DuckDbLoadCompiler, RELATIONS } from "./duckdb-compiler.js";
import { LoadError } from "./errors.js";
import { planLoad } from "./planner.js";
import { partitionFieldsFromSpec, schemaFromSpec } from "./schema.js";
import { duckDbType } from "../duckdb/types.js";
import type { CastColumn } from "./plan.js";

/** The snapshot property that records which load produced a snapshot. */
export const LOAD_ID_PROPERTY = "engine.load-id";

/** What one load did. */
export interface LoadResult {
  readonly table: string;
  /** The new snapshot; absent when nothing was committed (no rows). */
  readonly snapshotId?: bigint;
  readonly loadId: string;
  readonly rowsRead: number;
  readonly duplicatesDropped: number;
  readonly rowsWritten: number;
  readonly filesWritten: number;
  readonly bytesWritten: number;
  readonly durationMs: number;
  readonly stages: readonly { readonly name: string; readonly ms: number }[];
  /** The data files committed. */
  readonly dataFiles: readonly DataFile[];
}

/** Options of one load. */
export interface RunLoadOptions {
  /** Replaces the spec's source path. */
  readonly source?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** In-memory rows (array of objects or Arrow table) instead of files. */
  readonly data?: unknown;
  /** Where new tables go: `<warehouse>/<namespace…>/<name>`. */
  readonly warehouse: string;
  readonly compiler?: DuckDbLoadCompiler;
}

/**
 * Runs one load with DuckDB: stage, transform, cast, dedupe, partition, one COPY to Parquet,
 * then one Iceberg append commit. Files written by a load that fails before its commit are
 * deleted, and the table stays at its previous snapshot.
 */
export async function runLoad(session: DuckDbSession, catalog: Catalog, spec: TableSpec, options: RunLoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const stages: { name: string; ms: number }[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await fn(); } finally { stages.push({ name, ms: Math.round(performance.now() - t0) }); }
  };
  if (spec.write.mode !== "append") {
    throw new LoadError(`load: write mode ${spec.write.mode} is not supported yet (expected append)`, { code: "NOT_SUPPORTED" });
  }
  const id = { namespace: spec.namespace, name: spec.name };
  const memory = options.data !== undefined ? await stageMemoryData(options.data) : undefined;
  let dataPath: string | undefined;
  const filePrefix = `${new Date().toISOString().replace(/[-:T.Z]/g, "").slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  let committed = false;
  try {
    const existing = (await catalog.tableExists(id)) ? await catalog.loadTable(id) : undefined;
    const schema: Schema = existing ? existing.schema() : schemaFromSpec(spec);
    const partitionFields: readonly PartitionField[] = existing ? existing.spec().fields : partitionFieldsFromSpec(spec, schema);
    const location = existing ? existing.metadata.location : `${options.warehouse.replace(/\/+$/, "")}/${[...spec.namespace, spec.name].join("/")}`;
    const io = existing?.io;
    const local = io ? io.localPath(`${location}/data`) : localPathOf(`${location}/data`);
    if (local === undefined) throw new LoadError(`load: ${location} is not on a local filesystem; uploading data files is not supported yet`, { code: "NOT_SUPPORTED" });
    dataPath = local;

    const source = await timed("source", () => openSource(session, memory ? { format: "json", path: memory.file, options: {} } : spec.source, {
      ...(options.source !== undefined && !memory ? { override: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(spec.file ? { specFile: spec.file } : {}),
      ...(spec.transform ? {} : { columnTypes: readTypes(spec, schema, memory ? "json" : spec.source.format) }),
    }));
    const compiler = options.compiler ?? new DuckDbLoadCompiler();
    let inputColumns = source.columns;
    if (spec.transform) {
      await session.run(compiler.visitStage({ kind: "stage", format: source.format, relation: source.sql, columns: source.columns }).sql);
      await session.run(compiler.visitTransform({ kind: "transform", sql: spec.transform.sql }).sql);
      const described = await session.query(`DESCRIBE SELECT * FROM ${quoteIdent(RELATIONS.transformed)}`);
      inputColumns = (described.columns[0] ?? []).map(String);
    }
    const plan = planLoad(spec, { source, inputColumns, schema, partitionFields, dataPath, filePrefix });
    const compiled = compiler.compile(plan);

    for (const step of compiled.steps.filter((s) => s.name !== "write")) {
      await timed(step.name, async () => {
        try {
          await session.run(step.sql);
        } catch (error) {
          throw sourceErrorFrom(error, source.dialect)
            ?? (step.name === "cast" ? await diagnoseCast(session, plan.cast.columns, spec.transform ? RELATIONS.transformed : RELATIONS.source, error) : undefined)
            ?? new LoadError(`load: ${step.name} failed: ${message(error)}`, { cause: error, context: { sql: step.sql } });
        }
      });
    }
    const rowsRead = Number((await session.query(`SELECT count(*) FROM ${quoteIdent(compiled.rowsRelation)}`)).columns[0]?.[0] ?? 0);
    if (compiled.requiredCheck) {
      const nulls = await session.query(compiled.requiredCheck);
      nulls.columnNames.forEach((name, i) => {
        const n = Number(nulls.columns[i]?.[0] ?? 0);
        if (n > 0) throw new LoadError(`load: column ${name} is required but ${n} row${n === 1 ? " has" : "s have"} no value`, { code: "REQUIRED_NULL", context: { column: name, rows: n } });
      });
    }
    const writeStep = compiled.steps.find((s) => s.name === "write")!;
    const stats = await timed("write", async () => {
      if (rowsRead === 0) return [];
      await mkdir(dataRootOf(dataPath), { recursive: true });
      try {
        return (await session.query(writeStep.sql)).rowObjectsJson() as unknown as CopyStatsRow[];
      } catch (error) {
        throw new LoadError(`load: writing Parquet failed: ${message(error)}`, { cause: error, context: { sql: writeStep.sql } });
      }
    });
    const dataRoot = dataPath;
    const dataFiles = dataFilesFromStats(stats, {
      fields: schema.fields,
      partition: plan.partition?.fields ?? [],
      specId: existing ? existing.spec().specId : 0,
      toLocation: (p) => `${location}/data/${path.relative(dataRoot, p).split(path.sep).join("/")}`,
    });
    const rowsWritten = dataFiles.reduce((n, f) => n + Number(f.recordCount), 0);
    const loadId = computeLoadId(spec, source, options.params);

    const snapshotId = await timed("commit", async () => {
      if (dataFiles.length === 0) return undefined;
      let table: Table;
      if (existing) {
        table = existing;
      } else {
        if (!(await catalog.namespaceExists(spec.namespace))) await catalog.createNamespace(spec.namespace);
        table = await catalog.createTable(id, { schema, partitionFields, properties: { ...spec.properties }, location });
      }
      let append = table.newAppend();
      for (const f of dataFiles) append = append.appendFile(f);
      append = append.setProperty(LOAD_ID_PROPERTY, loadId);
      const after = await append.commit();
      committed = true;
      return snapshotIdOf(after);
    });
    return {
      table: spec.table,
      ...(snapshotId !== undefined ? { snapshotId } : {}),
      loadId,
      rowsRead,
      duplicatesDropped: rowsRead - rowsWritten,
      rowsWritten,
      filesWritten: dataFiles.length,
      bytesWritten: dataFiles.reduce((n, f) => n + Number(f.fileSizeInBytes), 0),
      durationMs: Math.round(performance.now() - started),
      stages,
      dataFiles,
    };
  } finally {
    if (!committed && dataPath !== undefined) await removeFilesWithPrefix(dataPath, filePrefix);
    await session.run(`DROP TABLE IF EXISTS ${quoteIdent(RELATIONS.rows)}; DROP VIEW IF EXISTS ${quoteIdent(RELATIONS.transformed)}; DROP VIEW IF EXISTS ${quoteIdent(RELATIONS.source)}`).catch(() => undefined);
    await memory?.dispose();
  }
}

function snapshotIdOf(after: unknown): bigint | undefined {
  const a = after as { currentSnapshot?: () => { snapshotId: bigint } | undefined; snapshotId?: bigint; metadata?: { currentSnapshotId?: bigint } };
  if (typeof a?.snapshotId === "bigint") return a.snapshotId;
  if (typeof a?.currentSnapshot === "function") return a.currentSnapshot()?.snapshotId;
  return a?.metadata?.currentSnapshotId;
}

/** The DuckDB types the reader should use for each source column, by source name (CSV: VARCHAR for nested/binary). */
function readTypes(spec: TableSpec, schema: Schema, format: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of schema.fields) {
    const col = spec.columns.find((c) => c.name === field.name);
    const from = col?.from ?? field.name;
    if (!/^[^()"'\s]+$/.test(from)) continue;
    const simple = field.type.kind === "primitive" || field.type.kind === "decimal";
    const t = field.type.kind === "primitive" && (field.type.name === "binary" || field.type.name === "timestamp_ns" || field.type.name === "timestamptz_ns");
    out[from] = format === "csv" && (!simple || t) ? "VARCHAR" : duckDbType(field.type);
  }
  return out;
}

/** Finds which column could not be cast and says so with an example value. */
async function diagnoseCast(session: DuckDbSession, columns: readonly CastColumn[], from: string, error: unknown): Promise<LoadError | undefined> {
  for (const c of columns) {
    if (c.from === undefined) continue;
    const src = c.isExpression ? `(${c.from})` : quoteIdent(c.from);
    const t = duckDbType(c.type);
    try {
      const r = await session.query(`SELECT count(*) AS n, CAST(any_value(${src}) AS VARCHAR) AS example FROM ${quoteIdent(from)} WHERE ${src} IS NOT NULL AND TRY_CAST(${src} AS ${t}) IS NULL`);
      const n = Number(r.columns[0]?.[0] ?? 0);
      if (n > 0) {
        const example = String(r.columns[1]?.[0]);
        return new LoadError(`load: column ${c.name}: cannot cast ${JSON.stringify(example)} to ${t.toLowerCase()} (${n} row${n === 1 ? "" : "s"})`, { code: "CAST_FAILED", context: { column: c.name, example, rows: n }, cause: error });
      }
    } catch (inner) {
      const se = sourceErrorFrom(inner);
      if (se) return se as unknown as LoadError;
    }
  }
  return undefined;
}

/** sha256 of the spec, the source files' (path, size, mtime) and the parameters. */
export function computeLoadId(spec: TableSpec, source: SourceRead, params?: Readonly<Record<string, string>>): string {
  return sha256Hex(stableJson({ spec: specHash(spec), files: source.files.map((f) => [f.path, f.size, f.mtimeMs]), params: params ?? {} }));
}

async function removeFilesWithPrefix(root: string, prefix: string): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(entries
    .filter((e) => e.isFile() && e.name.startsWith(`${prefix}-`))
    .map((e) => rm(path.join(e.parentPath, e.name), { force: true })));
}

function dataRootOf(p: string | undefined): string {
  if (p === undefined) throw new LoadError("load: no data folder");
  return p;
}

function localPathOf(location: string): string | undefined {
  if (location.startsWith("file://")) return location.slice("file://".length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return undefined;
  return path.resolve(location);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^duckdb: /, "") : String(error);
}

