/** Options of `runRetention`. */
export interface RetentionOptions {
  /** The time retention counts back from: epoch ms, a Date or an ISO 8601 text; default now. */
  readonly now?: number | Date | string;
  /** The clock for `startedAt`/`finishedAt` (default `Date.now`). */
  readonly clock?: () => number;
}

/** What verification found in one file: rows older than the cutoff still stored in it. */
export interface RetentionFinding {
  readonly file: string;
  readonly rows: number;
}

/** Per table: what retention did. */
export interface TableRetention {
  readonly table: string;
  /** The date/timestamp column retention counts from. */
  readonly column: string;
  /** The spec's retention, e.g. "365d". */
  readonly retention: string;
  /** Rows whose column is before this instant (ISO 8601, UTC) were deleted; for a date column, days before its date. */
  readonly cutoff: string;
  readonly location: string;
  readonly snapshotBefore: string | null;
  readonly snapshotAfter: string | null;
  /** Live rows deleted. */
  readonly rowsDeleted: number;
  /** Old data file → its rewrite (null: dropped, every row was older). */
  readonly filesRewritten: readonly { readonly from: string; readonly to: string | null }[];
  readonly deleteFilesRemoved: readonly string[];
  /** Snapshots removed because they still referenced files with expired rows. */
  readonly snapshotsExpired: readonly string[];
  /** Every file deleted from storage (old data, delete files, manifests, manifest lists, orphans). */
  readonly filesRemoved: readonly string[];
  /** Refs other than `main` that keep old snapshots (and so old rows) alive. */
  readonly blockingRefs: readonly string[];
  /** Every Parquet file under the table location, decoded: none may still hold a row older than the cutoff. */
  readonly verification: { readonly outcome: "clean" | "found"; readonly parquetFilesDecoded: number; readonly findings: readonly RetentionFinding[] };
}

/**
 * The retention report: what `runRetention` deleted, expired and verified, in the shape of an
 * erasure certificate. `purged` only when no file under any table location still holds a row
 * older than its cutoff and no ref kept an old snapshot alive.
 */
export interface RetentionReport {
  readonly kind: "engine.pii.retention-report";
  readonly version: 1;
  readonly status: "purged" | "failed";
  /** The instant retention counted back from (ISO 8601). */
  readonly now: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly tables: readonly TableRetention[];
}
