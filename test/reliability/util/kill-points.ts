// The named points where a load child (load-child.ts) SIGKILLs itself.

/** Named points where the child kills itself. */
export const KILL_POINTS = [
  "staging",        // source opened, batch being cast/deduped in DuckDB
  "parquet",        // a few ms into the COPY … TO parquet
  "after-parquet",  // data files written, nothing of the commit yet
  "manifest",       // first manifest written
  "manifest-list",  // manifest list written, metadata not yet
  "before-swap",    // new vN.metadata.json written to its temp file, link(2) not done
  "after-swap",     // link(2) done: committed, version hint not updated
  "hint",           // version hint temp written, not yet renamed
  "audit-swap",     // the audit table's metadata swap (after the load committed)
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/**
 * Named points where an erasure child (`eraseSubjects` in load-child.ts) kills itself: the erase
 * stages reported to `onStage`, and the fs calls of its commits (the rewrite commit is the first
 * metadata swap, the manifest scrub the second, the expiry the third).
 */
export const ERASE_KILL_POINTS = [
  "erase-planned",   // journal written, nothing rewritten
  "manifest",        // first manifest of the rewrite written
  "manifest-list",   // the rewrite's manifest list written, metadata not yet
  "before-swap",     // the rewrite's vN.metadata.json in its temp file, link(2) not done
  "after-swap",      // link(2) done: the rewrite is committed, version hint not updated
  "hint",            // the rewrite's version-hint temp written, not yet renamed
  "scrub-swap",      // before the link(2) of the manifest scrub (DELETED entries dropped)
  "erase-committed", // rewrite and scrub committed, journal says so, nothing expired
  "expire-swap",     // before the link(2) of the expiry
  "expire-delete",   // expiry committed, first old file being deleted
  "erase-expired",   // old snapshots expired and their files deleted, not verified
  "erase-verified",  // verified clean, journal not yet removed
] as const;
export type EraseKillPoint = (typeof ERASE_KILL_POINTS)[number];
/** Erase points after which the rewrite is committed (the rows without the subject are visible). */
export const ERASE_AFTER_COMMIT: ReadonlySet<EraseKillPoint> = new Set(ERASE_KILL_POINTS.slice(ERASE_KILL_POINTS.indexOf("after-swap")));

/**
 * Named points of a load into a Glue table on S3 (moto), found by watching the AWS SDK commands
 * the child sends. The remote specs have no validation rules, so no audit table is written.
 */
export const GLUE_KILL_POINTS = [
  "staging",        // source opened, batch being cast/deduped in DuckDB
  "parquet",        // a few ms into the COPY … TO parquet (local scratch)
  "upload",         // the first data file stored in S3, the others not yet
  "after-parquet",  // every data file uploaded, nothing of the commit yet
  "manifest",       // first manifest stored
  "manifest-list",  // manifest list stored, metadata not yet
  "metadata-put",   // the new <n>-<uuid>.metadata.json stored, Glue UpdateTable not sent
  "before-swap",    // Glue UpdateTable about to be sent
  "swap-in-flight", // UpdateTable sent, killed 0–4 ms later: either outcome is allowed
  "after-swap",     // UpdateTable answered: committed
] as const;

/** Named points of a load into a REST catalog table (local warehouse), found by watching fs calls and `fetch`. */
export const REST_KILL_POINTS = [
  "staging",
  "parquet",
  "after-parquet",
  "manifest",
  "manifest-list",
  "before-swap",    // the commit POST (…/tables/<name>) about to be sent
  "swap-in-flight", // commit POST sent, killed 0–4 ms later: either outcome is allowed
  "after-swap",     // commit POST answered: committed (the server wrote the metadata)
] as const;
export type RemoteKillPoint = (typeof GLUE_KILL_POINTS)[number] | (typeof REST_KILL_POINTS)[number];
/** Remote points after which the load must be committed; `swap-in-flight` may go either way. */
export const REMOTE_AFTER_COMMIT: ReadonlySet<RemoteKillPoint> = new Set(["after-swap"]);
