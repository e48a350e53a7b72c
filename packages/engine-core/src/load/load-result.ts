// What a load reports: counts per kind of row, files, the snapshot, validation outcomes and the
// time each stage took. The CLI prints it and `--json` writes it (bigints as strings).

import type { DataFile } from "@engine/iceberg";
import type { WriteMode } from "../spec/table-spec.js";
import type { ValidationOutcome } from "../validate/outcome.js";

export type { ValidationOutcome };

/** How a load ended: a new snapshot, skipped (this load id is already in the table's ancestry), or failed. */
export type LoadStatus = "committed" | "skipped" | "failed";

/** The time one stage of a load took. */
export interface StageTiming {
  readonly name: string;
  readonly ms: number;
}

/** What one load did. */
export interface LoadResult {
  readonly table: string;
  readonly status: LoadStatus;
  readonly mode: WriteMode;
  /** The new snapshot (committed), or the earlier snapshot of the same load (skipped); absent when nothing was written. */
  readonly snapshotId?: bigint;
  readonly loadId: string;
  /** Rows staged from the source (after transform, before dedupe). */
  readonly rowsRead: number;
  /** Rows dropped by dedupe (including `against: table`). */
  readonly duplicatesDropped: number;
  /** Rows set aside by validation (quarantine). */
  readonly rowsRejected: number;
  /** Rows new to the table. */
  readonly rowsInserted: number;
  /** Rows that replaced a table row with the same key (merge). */
  readonly rowsUpdated: number;
  /** Table rows removed: by a delete marker (merge), or replaced wholesale (overwrite, replace-partitions). */
  readonly rowsDeleted: number;
  /** merge: incoming rows older than the table's row with the same key, left unapplied. */
  readonly rowsStale: number;
  /** Rows in the data files written (inserted + updated + rows carried over from rewritten files). */
  readonly rowsWritten: number;
  readonly filesWritten: number;
  readonly bytesWritten: number;
  /** Data files no longer live after the commit (replaced or rewritten). */
  readonly filesRemoved: number;
  readonly validations: readonly ValidationOutcome[];
  readonly durationMs: number;
  readonly stages: readonly StageTiming[];
  /** The data files committed. */
  readonly dataFiles: readonly DataFile[];
  /** Why nothing was written, for `skipped` (and failures). */
  readonly message?: string;
  /** The error of a failed load. */
  readonly error?: { readonly code: string; readonly message: string };
}

const failed = new WeakMap<object, LoadResult>();

/** Attaches the failure report of a load to the error it throws. */
export function attachLoadResult(error: unknown, result: LoadResult): void {
  if (error !== null && typeof error === "object") failed.set(error, result);
}

/**
 * The `status: "failed"` report of a load that threw `error` (stages run so far, the error's
 * code and message), or undefined when the error did not come from a load.
 *
 * ```ts
 * try { await engine.load(spec); } catch (e) { console.log(loadResultOf(e)?.stages); }
 * ```
 */
export function loadResultOf(error: unknown): LoadResult | undefined {
  return error !== null && typeof error === "object" ? failed.get(error) : undefined;
}
