import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { loadResultOf, type LoadResult } from "../load/load-result.js";
import { runLoad, type RunLoadOptions } from "../load/run-load.js";
import type { TableSpec } from "../spec/table-spec.js";
import { LoadChecks, type LoadFailureReport } from "./load-checks.js";

/** Options of `runCheckedLoad`: a load's options plus the failure hook and the run time. */
export interface CheckedLoadOptions extends RunLoadOptions {
  /** Called with the failure report when the load fails (after the audit rows are written). */
  readonly onFailure?: (report: LoadFailureReport) => void | Promise<void>;
  /** The run time freshness rules measure against (default: now). */
  readonly now?: Date;
  /** Append outcomes to `_engine.validation_results` (default true). */
  readonly audit?: boolean;
}

/**
 * `runLoad` with the spec's validation rules and bad-input policy in its `pre`/`post` phases,
 * then the audit rows (`_engine.validation_results`, written whether the load committed or
 * failed) and, on failure, `onFailure` and the spec's `alerts.webhook`. Rethrows the load's error.
 *
 * ```ts
 * const result = await runCheckedLoad(db, catalog, spec, { warehouse, onFailure: (r) => console.error(r.error.message) });
 * ```
 */
export async function runCheckedLoad(session: DuckDbSession, catalog: Catalog, spec: TableSpec, options: CheckedLoadOptions): Promise<LoadResult> {
  const { onFailure, now, audit, ...load } = options;
  const checks = new LoadChecks(session, catalog, spec, {
    warehouse: options.warehouse,
    ...(onFailure ? { onFailure } : {}),
    ...(now ? { now } : {}),
    ...(audit !== undefined ? { audit } : {}),
  });
  let result: LoadResult;
  try {
    result = await runLoad(session, catalog, spec, { ...load, phases: checks.phases });
  } catch (error) {
    const loadId = loadResultOf(error)?.loadId;
    await checks.finish({ error, ...(loadId ? { loadId } : {}) });
    throw error;
  }
  await checks.finish({ loadId: result.loadId, ...(result.status === "committed" && result.snapshotId !== undefined ? { snapshotId: result.snapshotId } : {}) });
  return result;
}
