// One load, end to end: stage the batch (stage-batch.ts), validate it (pre), write it the way
// the spec's write mode says (write-modes.ts, merge.ts), validate the table about to be
// committed (post), commit one snapshot tagged with the load id, and report.

import { randomUUID } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { AlreadyExistsError, CommitConflictError, CommitStateUnknownError, IcebergError, schemaToJson, type Catalog, type Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import { fileCacheOf } from "../query/file-cache.js";
import { checkSourceUnchanged } from "../source/fingerprint.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { ValidationOutcome } from "../validate/outcome.js";
import { LoadError } from "./errors.js";
import { LOAD_ID_PROPERTY } from "./idempotency.js";
import { attachLoadResult, type LoadResult } from "./load-result.js";
import { prepareMerge } from "./merge.js";
import type { LoadPhases } from "./phases.js";
import { planLoad } from "./planner.js";
import { evolveSchema } from "./schema-contract.js";
import { message, stageBatch, StageClock, type StageOptions, type StagedBatch } from "./stage-batch.js";
import { commitAppend, commitOverwrite, commitReplacePartitions } from "./table-actions.js";
import { tableAfterSql, type RemoteUpload, type WriteContext } from "./write-context.js";
import { prepareAppend, prepareOverwrite, prepareReplacePartitions, type PreparedWrite } from "./write-modes.js";

export { LOAD_ID_PROPERTY, computeLoadId } from "./idempotency.js";
export type { LoadResult } from "./load-result.js";

/** Options of one load. */
export interface RunLoadOptions extends StageOptions {
  /**
   * Validation hooks: `pre` on the staged batch before anything is written, `post` on the table
   * state about to be committed. The validation engine (src/validate/) provides them.
   */
  readonly phases?: LoadPhases;
  /** false: run everything up to the commit (validation included), then discard the written files. */
  readonly commit?: boolean;
}

/**
 * Runs one load with DuckDB: stage, transform, cast, dedupe, validate (pre), write Parquet,
 * validate (post), then one Iceberg commit (append, overwrite or replace-partitions) whose
 * summary records `engine.load-id`. A load already in the table's ancestry is skipped unless
 * `force`. Files written by a load that fails before its commit are deleted, and the table
 * stays at its previous snapshot. Tables on remote storage (s3://…) are written the same way:
 * COPY writes to a local scratch folder and each file is uploaded through the table's FileIO
 * before the commit names it.
 *
 * ```ts
 * const result = await runLoad(session, catalog, loadSpec("orders.yaml"), { warehouse: "wh" });
 * console.log(result.status, result.rowsInserted, result.rowsUpdated);
 * ```
 */
export async function runLoad(session: DuckDbSession, catalog: Catalog, spec: TableSpec, options: RunLoadOptions): Promise<LoadResult> {
  const clock = new StageClock(options.onStage);
  const filePrefix = newFilePrefix();
  let committed = false;
  let batch: StagedBatch | undefined;
  const validations: ValidationOutcome[] = [];
  let rowsRejected = 0;
  let dataPath: string | undefined;
  let upload: RemoteUpload | undefined;
  let commitUnknown = false;
  try {
    batch = await stageBatch(session, catalog, spec, options, clock, filePrefix);
    dataPath = batch.dataPath;
    if (batch.remote) upload = { io: batch.io, uploaded: [] };
    const empty = emptyResult(spec, batch, clock, validations);
    if (batch.already) {
      return { ...empty, status: "skipped", snapshotId: batch.already.snapshotId, message: `load ${batch.loadId.slice(0, 12)} is already in ${spec.table} (snapshot ${batch.already.snapshotId}); pass force to load again` };
    }
    let plan = batch.plan!;
    let table = batch.table;
    if (options.phases?.pre) {
      const pre = options.phases.pre;
      const outcome = await clock.time("validate-pre", async () => pre({ session, spec, plan, table, loadId: batch!.loadId, inputRelation: batch!.compiled!.inputRelation, rows: batch!.inputRows, source: batch!.source }));
      if (outcome) {
        validations.push(...(outcome.outcomes ?? []));
        rowsRejected += outcome.rowsRejected ?? 0;
      }
    }
    let schema = batch.schema;
    if (table && batch.schemaDiff.added.length > 0) {
      table = await clock.time("evolve-schema", () => evolveSchema(table!, batch!.schemaDiff));
      schema = table.schema();
      plan = planLoad(spec, { source: batch.source, inputColumns: batch.inputColumns, schema, partitionFields: table.spec().fields, dataPath: batch.dataPath, filePrefix });
    }
    const ctx: WriteContext = {
      session, plan, compiler: batch.compiler, table, schema, specId: table ? table.spec().specId : 0, location: batch.location, dataPath: batch.dataPath,
      ...(upload ? { upload } : {}),
    };
    const prepared = await clock.time("write", () => prepare(ctx));
    if (options.phases?.post) {
      const post = options.phases.post;
      const outcome = await clock.time("validate-post", async () => post({
        session, spec, plan, table, loadId: batch!.loadId, inputRelation: batch!.compiled!.inputRelation,
        added: prepared.added, removed: prepared.removed, tableAfterSql: () => tableAfterSql(ctx, prepared.removed, prepared.added),
      }));
      if (outcome) validations.push(...(outcome.outcomes ?? []));
    }
    if (options.commit === false) {
      return {
        ...empty, status: "skipped", rowsRejected, rowsInserted: prepared.rowsInserted, rowsUpdated: prepared.rowsUpdated, rowsDeleted: prepared.rowsDeleted,
        rowsStale: prepared.rowsStale, rowsWritten: prepared.added.reduce((n, f) => n + Number(f.recordCount), 0), filesWritten: prepared.added.length,
        bytesWritten: prepared.added.reduce((n, f) => n + Number(f.fileSizeInBytes), 0), filesRemoved: prepared.removed.length,
        durationMs: clock.elapsed(), message: "validate only: nothing was committed (the files written to check it were removed)",
      };
    }
    // The load id fingerprints the source files; rows read from a file that changed since are not that load.
    if (!batch.source.dispose) await checkSourceUnchanged(batch.source.files);
    const after = await clock.time("commit", () => commit(catalog, spec, batch!, table, prepared, options.force === true)).catch((error: unknown) => {
      // Another run of this very load committed first (e.g. an Airflow retry overlapping the first try).
      if (error instanceof LoadError && error.code === "ALREADY_LOADED") return error;
      // A filesystem error before the metadata swap (e.g. ENOSPC writing a manifest): nothing was committed.
      // (Failures of the swap itself arrive typed, as CommitStateUnknownError.)
      if (error instanceof Error && !(error instanceof EngineError) && !(error instanceof IcebergError)) {
        throw new LoadError(`load: commit failed, nothing was committed: ${error.message}`, { code: "COMMIT_FAILED", cause: error, context: { errno: (error as NodeJS.ErrnoException).code } });
      }
      throw error;
    });
    if (after instanceof LoadError) {
      return { ...empty, status: "skipped", snapshotId: after.context["snapshotId"] as bigint, message: `${after.message}; pass force to load again` };
    }
    committed = after !== undefined;
    return {
      ...empty,
      status: "committed",
      ...(after?.currentSnapshot() ? { snapshotId: after.currentSnapshot()!.snapshotId } : {}),
      rowsRejected,
      rowsInserted: prepared.rowsInserted,
      rowsUpdated: prepared.rowsUpdated,
      rowsDeleted: prepared.rowsDeleted,
      rowsStale: prepared.rowsStale,
      rowsWritten: prepared.added.reduce((n, f) => n + Number(f.recordCount), 0),
      filesWritten: prepared.added.length,
      bytesWritten: prepared.added.reduce((n, f) => n + Number(f.fileSizeInBytes), 0),
      filesRemoved: prepared.removed.length,
      durationMs: clock.elapsed(),
      dataFiles: prepared.added,
    };
  } catch (error) {
    // The commit may have landed: its files must stay (maintenance removes them if it did not).
    commitUnknown = error instanceof CommitStateUnknownError;
    attachLoadResult(error, {
      ...(batch ? emptyResult(spec, batch, clock, validations) : {
        table: spec.table, mode: spec.write.mode, loadId: "", rowsRead: 0, duplicatesDropped: 0, rowsRejected: 0, rowsInserted: 0, rowsUpdated: 0,
        rowsDeleted: 0, rowsStale: 0, rowsWritten: 0, filesWritten: 0, bytesWritten: 0, filesRemoved: 0, validations, durationMs: clock.elapsed(), stages: clock.stages, dataFiles: [],
      }),
      status: "failed",
      rowsRejected,
      error: { code: error instanceof EngineError ? error.code : "LOAD_FAILED", message: message(error) },
    });
    throw error;
  } finally {
    if (!committed && !commitUnknown) {
      if (upload) await removeUploads(upload, batch!.spec.table, fileCacheOf(session));
      else if (dataPath !== undefined) await removeFilesWithPrefix(dataPath, filePrefix);
    }
    await batch?.dispose();
  }
}

async function prepare(ctx: WriteContext): Promise<PreparedWrite> {
  switch (ctx.plan.write.mode) {
    case "append": return prepareAppend(ctx);
    case "overwrite": return prepareOverwrite(ctx);
    case "replace-partitions": return prepareReplacePartitions(ctx);
    case "merge": return prepareMerge(ctx);
  }
}

/** Commits the prepared write (creating the table on its first load); undefined when there is nothing to commit. */
async function commit(catalog: Catalog, spec: TableSpec, batch: StagedBatch, existing: Table | undefined, prepared: PreparedWrite, force: boolean): Promise<Table | undefined> {
  if (prepared.added.length === 0 && prepared.removed.length === 0) return undefined;
  const properties = { [LOAD_ID_PROPERTY]: batch.loadId };
  const table = existing ?? await createTableOnce(catalog, spec, batch);
  const changes = {
    added: prepared.added, removed: prepared.removed,
    ...(existing?.currentSnapshot() ? { baseSnapshotId: existing.currentSnapshot()!.snapshotId } : {}),
    ...(prepared.conflictFilter ? { conflictFilter: prepared.conflictFilter } : {}),
  };
  // Every attempt re-checks, on the fresh table, that no concurrent run committed this load already.
  const guard = force ? {} : { loadId: batch.loadId };
  // A load that read the table empty appends; unless it is an append, data committed meanwhile is a conflict.
  if (!existing?.currentSnapshot()) return commitAppend(table, changes, properties, { ...guard, requireEmpty: spec.write.mode !== "append" });
  if (spec.write.mode === "append") return commitAppend(table, changes, properties, guard);
  if (prepared.action === "replace-partitions") return commitReplacePartitions(table, changes, properties, guard);
  // Overwrite and merge validate against concurrent data in what they replaced, even when they only add.
  return commitOverwrite(table, changes, properties, guard);
}

/** Creates the table of a first load; if a concurrent load created it first, continues with theirs when it has the same schema and partitioning. */
async function createTableOnce(catalog: Catalog, spec: TableSpec, batch: StagedBatch): Promise<Table> {
  const id = { namespace: spec.namespace, name: spec.name };
  if (!(await catalog.namespaceExists(spec.namespace))) {
    await catalog.createNamespace(spec.namespace).catch((error: unknown) => { if (!(error instanceof AlreadyExistsError)) throw error; });
  }
  try {
    return await catalog.createTable(id, { schema: batch.schema, partitionFields: batch.partitionFields, properties: { ...spec.properties }, location: batch.location });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const theirs = await catalog.loadTable(id);
    const same = JSON.stringify(schemaToJson(theirs.schema()).fields) === JSON.stringify(schemaToJson(batch.schema).fields)
      && JSON.stringify(theirs.spec().fields) === JSON.stringify(batch.partitionFields);
    if (!same) throw new CommitConflictError(`load: ${spec.table} was created by a concurrent load with a different schema or partitioning; run the load again`, { cause: error });
    return theirs;
  }
}

function emptyResult(spec: TableSpec, batch: StagedBatch, clock: StageClock, validations: ValidationOutcome[]): LoadResult {
  return {
    table: spec.table, status: "committed", mode: spec.write.mode, loadId: batch.loadId,
    rowsRead: batch.rowsRead, duplicatesDropped: batch.rowsRead - batch.inputRows, rowsRejected: 0,
    rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0, rowsWritten: 0, filesWritten: 0, bytesWritten: 0, filesRemoved: 0,
    validations, durationMs: clock.elapsed(), stages: clock.stages, dataFiles: [],
  };
}

/** A unique prefix for one attempt's data files, so a failed attempt's files can be found. */
export function newFilePrefix(): string {
  return `${new Date().toISOString().replace(/[-:T.Z]/g, "").slice(0, 14)}-${randomUUID().slice(0, 8)}`;
}

/** Deletes what a load that did not commit uploaded; a failure here leaves orphans for maintenance, reported as a warning. */
async function removeUploads(upload: RemoteUpload, table: string, cache: { evict(locations: readonly string[]): Promise<void> }): Promise<void> {
  if (upload.uploaded.length === 0) return;
  await cache.evict(upload.uploaded).catch(() => undefined);
  try {
    await upload.io.delete(upload.uploaded);
  } catch (error) {
    process.emitWarning(`load: ${table}: could not delete ${upload.uploaded.length} uploaded file(s) of a load that did not commit (remove orphan files to reclaim them): ${message(error)}`);
  }
}

async function removeFilesWithPrefix(root: string, prefix: string): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(entries
    .filter((e) => e.isFile() && e.name.startsWith(`${prefix}-`))
    .map((e) => rm(path.join(e.parentPath, e.name), { force: true })));
}
