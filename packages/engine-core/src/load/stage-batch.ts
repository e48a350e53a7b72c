// Staging: read the source, transform, cast and dedupe into `__engine_input`, inside DuckDB.
// Shared by `runLoad` (which then writes and commits), `dryRunLoad` (engine plan) and
// validation-only runs (engine validate). Nothing is written to the table here.

import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { highestFieldId, type Catalog, type FileIO, type NestedField, type PartitionField, type Schema, type Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { duckDbType } from "../duckdb/types.js";
import { quoteIdent } from "../internal/sql.js";
import { redactSql } from "../internal/redact-sql.js";
import { fileCacheOf } from "../query/file-cache.js";
import { scanSql } from "../query/scan-sql.js";
import { sourceErrorFrom } from "../source/errors.js";
import { stageMemoryData, type StagedMemoryData } from "../source/memory.js";
import { openSource, PROVENANCE_COLUMN, type SourceRead } from "../source/read-sql.js";
import type { TableSpec } from "../spec/table-spec.js";
import { DuckDbLoadCompiler, RELATIONS, type CompiledLoad } from "./duckdb-compiler.js";
import { LoadError } from "./errors.js";
import { computeLoadId, findLoadInAncestry } from "./idempotency.js";
import type { CastColumn, LoadPlan } from "./plan.js";
import { planLoad } from "./planner.js";
import { checkSchemaContract, type SchemaDiff } from "./schema-contract.js";
import { partitionFieldsFromSpec, schemaFromSpec } from "./schema.js";
import { catalogFileIO, newTableLocation } from "./table-location.js";
import { parseSpecType } from "../internal/type-parse.js";

/** Options of staging (the source side of `RunLoadOptions`). */
export interface StageOptions {
  /** Replaces the spec's source path. */
  readonly source?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** In-memory rows (array of objects or Arrow table) instead of files. */
  readonly data?: unknown;
  /** Where new tables go: `<warehouse>/<namespace…>/<name>`. */
  readonly warehouse: string;
  readonly compiler?: DuckDbLoadCompiler;
  /** Load even when this load id is already in the table's ancestry. */
  readonly force?: boolean;
  /** Called when a stage starts and ends (progress display). */
  readonly onStage?: (event: StageEvent) => void;
}

/** A stage of a load starting or ending. */
export interface StageEvent {
  readonly stage: string;
  readonly state: "start" | "end";
  /** Elapsed ms (end only). */
  readonly ms?: number;
}

/** Stage timings and progress events for one load. */
export class StageClock {
  readonly stages: { name: string; ms: number }[] = [];
  readonly started = performance.now();
  constructor(private readonly onStage?: (event: StageEvent) => void) {}
  /** Runs `fn` as the stage `name`. */
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    this.onStage?.({ stage: name, state: "start" });
    try {
      return await fn();
    } finally {
      const ms = Math.round(performance.now() - t0);
      this.stages.push({ name, ms });
      this.onStage?.({ stage: name, state: "end", ms });
    }
  }
  /** Ms since the load started. */
  elapsed(): number { return Math.round(performance.now() - this.started); }
}

/** A staged batch: `__engine_input` is ready (or the load is already in the table). */
export interface StagedBatch {
  readonly spec: TableSpec;
  readonly table: Table | undefined;
  /** The schema the batch is cast to (the table's, plus columns the spec adds under `evolve`). */
  readonly schema: Schema;
  readonly partitionFields: readonly PartitionField[];
  readonly schemaDiff: SchemaDiff;
  readonly location: string;
  /** Local folder the load's COPY writes to: `<location>/data`, or a scratch folder when `remote`. */
  readonly dataPath: string;
  /** The table location is not on the local filesystem: written files are uploaded through `io`. */
  readonly remote: boolean;
  /** The FileIO of the table location. */
  readonly io: FileIO;
  readonly source: SourceRead;
  readonly loadId: string;
  /** The snapshot that already holds this load (skipped unless forced). */
  readonly already?: { readonly snapshotId: bigint };
  readonly plan?: LoadPlan;
  readonly compiled?: CompiledLoad;
  readonly compiler: DuckDbLoadCompiler;
  /** Columns the cast step reads: the transform's output, or the source's columns. */
  readonly inputColumns: readonly string[];
  readonly rowsRead: number;
  /** Rows in `__engine_input` after dedupe. */
  readonly inputRows: number;
  /** Drops the temp relations, staged memory data and the scratch folder. */
  dispose(): Promise<void>;
}

/**
 * Opens the source, checks idempotency and the schema contract, then stages the batch:
 * stage → transform → cast (typed, required columns checked) → dedupe into `__engine_input`.
 * Stops right after opening the source when the load id is already in the table's ancestry
 * (and `force` is not set).
 */
export async function stageBatch(session: DuckDbSession, catalog: Catalog, spec: TableSpec, options: StageOptions, clock: StageClock, filePrefix: string): Promise<StagedBatch> {
  const id = { namespace: spec.namespace, name: spec.name };
  let memory: StagedMemoryData | undefined;
  let scratch: string | undefined;
  const dispose = async (): Promise<void> => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    await session.run([RELATIONS.merged, RELATIONS.input, RELATIONS.cast, RELATIONS.counts].map((r) => `DROP TABLE IF EXISTS ${quoteIdent(r)}`).join("; ")).catch(() => undefined);
    await session.run([RELATIONS.rows, RELATIONS.target, RELATIONS.existing, RELATIONS.transformed, RELATIONS.source].map((r) => `DROP VIEW IF EXISTS ${quoteIdent(r)}`).join("; ")).catch(() => undefined);
    await memory?.dispose();
  };
  try {
    memory = options.data !== undefined ? await stageMemoryData(options.data) : undefined;
    const table = (await catalog.tableExists(id)) ? await catalog.loadTable(id) : undefined;
    let schema: Schema;
    let schemaDiff: SchemaDiff = { added: [] };
    if (table) {
      schemaDiff = checkSchemaContract(spec, table.schema());
      // Columns to add get provisional ids after the table's highest; the real ids come from the schema update.
      let next = highestFieldId(table.schema());
      const extra: NestedField[] = schemaDiff.added.map((a) => ({ id: ++next, name: a.name, required: false, type: a.type }));
      schema = extra.length === 0 ? table.schema() : { ...table.schema(), fields: [...table.schema().fields, ...extra] };
    } else {
      schema = schemaFromSpec(spec);
    }
    const partitionFields: readonly PartitionField[] = table ? table.spec().fields : partitionFieldsFromSpec(spec, schema);
    const location = table ? table.metadata.location : await newTableLocation(catalog, id, options.warehouse);
    const io = table ? table.io : await catalogFileIO(catalog, location);
    // Remote tables: COPY writes into a local scratch folder and the write step uploads each file.
    const localData = io.localPath(`${location}/data`);
    if (localData === undefined) scratch = await fileCacheOf(session).scratchDir(filePrefix);
    const dataPath = localData ?? scratch!;

    const source = await clock.time("source", () => openSource(session, memory ? { format: "json", path: memory.file, options: {} } : spec.source, {
      ...(options.source !== undefined && !memory ? { override: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(spec.file ? { specFile: spec.file } : {}),
      ...(spec.transform ? {} : { columnTypes: readTypes(spec, schema, memory ? "json" : spec.source.format) }),
    }));
    const contentHash = memory ? createHash("sha256").update(await readFile(memory.file)).digest("hex") : undefined;
    const loadId = computeLoadId(spec, { files: memory ? [] : source.files, ...(contentHash ? { contentHash } : {}) }, options.params);
    const compiler = options.compiler ?? new DuckDbLoadCompiler();
    const base = { spec, table, schema, partitionFields, schemaDiff, location, dataPath, remote: localData === undefined, io, source, loadId, compiler, dispose };
    const prior = findLoadInAncestry(table, loadId);
    if (prior && !options.force) return { ...base, already: { snapshotId: prior.snapshotId }, inputColumns: source.columns, rowsRead: 0, inputRows: 0 };

    let inputColumns = source.columns;
    if (spec.transform) {
      await session.run(compiler.visitStage({ kind: "stage", format: source.format, relation: source.sql, columns: source.columns }).sql);
      await session.run(compiler.visitTransform({ kind: "transform", sql: spec.transform.sql }).sql);
      const described = await session.query(`DESCRIBE SELECT * FROM ${quoteIdent(RELATIONS.transformed)}`);
      inputColumns = (described.columns[0] ?? []).map(String);
    }
    const plan = planLoad(spec, { source, inputColumns, schema, partitionFields, dataPath, filePrefix });
    const compiled = compiler.compile(plan);
    const from = spec.transform ? RELATIONS.transformed : RELATIONS.source;
    for (const step of compiled.steps.filter((s) => s.name === "stage" || s.name === "transform" || s.name === "cast")) {
      await clock.time(step.name === "cast" ? "cast" : step.name, async () => {
        try {
          await session.run(step.sql);
        } catch (error) {
          throw sourceErrorFrom(error, source.dialect)
            ?? (step.name === "cast" ? await diagnoseCast(session, plan.cast.columns, from, source.format, error) : undefined)
            ?? new LoadError(`load: ${step.name} failed: ${message(error)}`, { cause: error, context: { sql: redactSql(step.sql) } });
        }
      });
    }
    if (plan.dedupe?.against) {
      const existing = table ? await scanSql(session, table) : `SELECT ${plan.dedupe.key.map((k) => `CAST(NULL AS ${duckDbType(schema.fields.find((f) => f.name === k)!.type)}) AS ${quoteIdent(k)}`).join(", ")} WHERE false`;
      await session.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(RELATIONS.existing)} AS ${existing}`);
    }
    // One pass: read, cast, dedupe and count (rows read, nulls in required columns) into `__engine_input`.
    const inputStep = compiled.steps.find((s) => s.name === "input")!;
    await clock.time("dedupe", async () => {
      try {
        await session.run(inputStep.sql);
      } catch (error) {
        throw sourceErrorFrom(error, source.dialect)
          ?? await diagnoseCast(session, plan.cast.columns, from, source.format, error)
          ?? new LoadError(`load: cast failed: ${message(error)}`, { cause: error, context: { sql: redactSql(inputStep.sql) } });
      }
    });
    const counts = (await session.query(compiled.inputCounts ?? `SELECT count(*) AS rows_read, count(*) AS input_rows FROM ${quoteIdent(RELATIONS.input)}`)).rowObjectsJson()[0] ?? {};
    const rowsRead = Number(counts["rows_read"] ?? 0);
    for (const c of plan.cast.columns.filter((col) => col.required)) {
      const n = Number(counts[c.name] ?? 0);
      if (n > 0) throw new LoadError(`load: column ${c.name} is required but ${n} row${n === 1 ? " has" : "s have"} no value`, { code: "REQUIRED_NULL", context: { column: c.name, rows: n } });
    }
    let inputRows = Number(counts["input_rows"] ?? 0);
    if (compiled.inputFinish) {
      await session.run(compiled.inputFinish);
      if (plan.dedupe?.against) inputRows = Number((await session.query(`SELECT count(*) FROM ${quoteIdent(RELATIONS.input)}`)).columns[0]?.[0] ?? 0);
    }
    return { ...base, plan, compiled, inputColumns, rowsRead, inputRows };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The DuckDB types the reader should use for each source column, by source name (CSV: VARCHAR for nested/binary). */
function readTypes(spec: TableSpec, schema: Schema, format: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of schema.fields) {
    const col = spec.columns.find((c) => c.name === field.name);
    const from = col?.from ?? field.name;
    if (!/^[^()"'\s]+$/.test(from)) continue;
    const type = col ? parseSpecType(col.type) : field.type;
    const simple = type.kind === "primitive" || type.kind === "decimal";
    const t = type.kind === "primitive" && (type.name === "binary" || type.name === "timestamp_ns" || type.name === "timestamptz_ns");
    out[from] = format === "csv" && (!simple || t) ? "VARCHAR" : duckDbType(field.type);
  }
  return out;
}

/** Finds which column could not be cast and says so with the value, its file and line. */
async function diagnoseCast(session: DuckDbSession, columns: readonly CastColumn[], from: string, format: string, error: unknown): Promise<LoadError | undefined> {
  const hasFile = format !== "parquet" || from === RELATIONS.source;
  for (const c of columns) {
    if (c.from === undefined) continue;
    const src = c.isExpression ? `(${c.from})` : quoteIdent(c.from);
    const t = duckDbType(c.type);
    try {
      // Line numbers count rows in read order within each file (+1 for a CSV header).
      const fileCol = hasFile && from === RELATIONS.source ? quoteIdent(PROVENANCE_COLUMN) : "NULL";
      const r = await session.query(
        `SELECT count(*) OVER () AS n, CAST(v AS VARCHAR) AS example, f AS file, line FROM (` +
        `SELECT ${src} AS v, ${fileCol} AS f, row_number() OVER (PARTITION BY ${fileCol}) AS line FROM ${quoteIdent(from)}) ` +
        `WHERE v IS NOT NULL AND TRY_CAST(v AS ${t}) IS NULL ORDER BY f, line LIMIT 1`,
      );
      const row = r.rowObjectsJson()[0];
      if (row) {
        const n = Number(row["n"]);
        const example = String(row["example"]);
        const file = row["file"] === null || row["file"] === undefined ? undefined : String(row["file"]);
        const line = file === undefined ? undefined : Number(row["line"]) + (format === "csv" ? 1 : 0);
        const where = file === undefined ? "" : ` at ${path.basename(file)}:${line}`;
        return new LoadError(`load: column ${c.name}: cannot cast ${JSON.stringify(example)} to ${t.toLowerCase()}${where} (${n} row${n === 1 ? "" : "s"})`, {
          code: "CAST_FAILED", cause: error, context: { column: c.name, example, rows: n, ...(file ? { file, line } : {}) },
        });
      }
    } catch (inner) {
      const se = sourceErrorFrom(inner);
      if (se) return se as unknown as LoadError;
    }
  }
  return undefined;
}

/** An error's message without DuckDB's prefix. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^duckdb: /, "") : String(error);
}
