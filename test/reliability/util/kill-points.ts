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
