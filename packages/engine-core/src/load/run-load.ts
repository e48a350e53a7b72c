// One load, end to end: stage the batch (stage-batch.ts), validate it (pre), write it the way
// the spec's write mode says (write-modes.ts, merge.ts), validate the table about to be
// committed (post), commit one snapshot tagged with the load id, and report.

import { randomUUID } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Catalog, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { ValidationOutcome } from "../validate/outcome.js";
import { LOAD_ID_PROPERTY } from "./idempotency.js";
import { attachLoadResult, type LoadResult } from "./load-result.js";
import { prepareMerge } from "./merge.js";
import type { LoadPhases } from "./phases.js";
import { planLoad } from "./planner.js";
import { evolveSchema } from "./schema-contract.js";
import { message, stageBatch, StageClock, type StageOptions, type StagedBatch } from "./stage-batch.js";
import { commitAppend, commitOverwrite, commitReplacePartitions } from "./table-actions.js";
import { tableAfterSql, type WriteContext } from "./write-context.js";
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
 * stays at its previous snapshot.
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
  try {
    batch = await stageBatch(session, catalog, spec, options, clock, filePrefix);
    dataPath = batch.dataPath;
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
    const after = await clock.time("commit", () => commit(catalog, spec, batch!, table, prepared));
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
    if (!committed && dataPath !== undefined) await removeFilesWithPrefix(dataPath, filePrefix);
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
async function commit(catalog: Catalog, spec: TableSpec, batch: StagedBatch, existing: Table | undefined, prepared: PreparedWrite): Promise<Table | undefined> {
  if (prepared.added.length === 0 && prepared.removed.length === 0) return undefined;
  const properties = { [LOAD_ID_PROPERTY]: batch.loadId };
  let table = existing;
  if (!table) {
    const id = { namespace: spec.namespace, name: spec.name };
    if (!(await catalog.namespaceExists(spec.namespace))) await catalog.createNamespace(spec.namespace);
    table = await catalog.createTable(id, { schema: batch.schema, partitionFields: batch.partitionFields, properties: { ...spec.properties }, location: batch.location });
  }
  const changes = {
    added: prepared.added, removed: prepared.removed,
    ...(existing?.currentSnapshot() ? { baseSnapshotId: existing.currentSnapshot()!.snapshotId } : {}),
    ...(prepared.conflictFilter ? { conflictFilter: prepared.conflictFilter } : {}),
  };
  if (prepared.action === "append" || prepared.removed.length === 0 && prepared.action !== "replace-partitions") return commitAppend(table, changes, properties);
  if (prepared.action === "replace-partitions") return commitReplacePartitions(table, changes, properties);
  return commitOverwrite(table, changes, properties);
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

async function removeFilesWithPrefix(root: string, prefix: string): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(entries
    .filter((e) => e.isFile() && e.name.startsWith(`${prefix}-`))
    .map((e) => rm(path.join(e.parentPath, e.name), { force: true })));
}
