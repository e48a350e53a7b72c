import { CommitConflictError } from "../errors.js";
import type { Expression } from "../expr/expression.js";
import { EntryStatus, FileContent, type DataFile } from "../manifest/data-file.js";
import { rowFilterMatcher } from "../scan/row-filter-match.js";
import { loadManifest, snapshotManifests } from "../scan/snapshot-manifests.js";
import type { Snapshot } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";

// Optimistic concurrency (Java's MergingSnapshotProducer.validate*): before each commit attempt,
// the snapshots committed since the one the action started from are inspected for changes that
// would make this commit wrong. Such a conflict is final: retrying cannot fix it.

/** The snapshots of a branch committed after `startingSnapshotId` (newest first); throws when the history between them is gone. */
export function snapshotsSince(base: Table, branchHead: bigint | undefined, startingSnapshotId: bigint | undefined, what: string): Snapshot[] {
  const out: Snapshot[] = [];
  let id = branchHead;
  while (id !== undefined && id !== startingSnapshotId) {
    const s = base.snapshot(id);
    if (!s) {
      throw new CommitConflictError(`${what}: expected the history from snapshot ${startingSnapshotId ?? "(empty table)"} to the current one, got a gap at ${id} (expired?)`, {
        context: { startingSnapshotId: startingSnapshotId?.toString(), missing: id.toString() },
      });
    }
    out.push(s);
    id = s.parentSnapshotId;
  }
  if (id !== startingSnapshotId) {
    throw new CommitConflictError(`${what}: expected snapshot ${startingSnapshotId} to be an ancestor of the current snapshot, got none (expired or rolled back)`, {
      context: { startingSnapshotId: startingSnapshotId?.toString() },
    });
  }
  return out;
}

/** Files a snapshot itself added (status ADDED) or deleted (status DELETED), read from the manifests it wrote. */
export async function changedFiles(base: Table, snapshot: Snapshot, status: EntryStatus.Added | EntryStatus.Deleted): Promise<DataFile[]> {
  const out: DataFile[] = [];
  for (const mf of await snapshotManifests(snapshot, base.io, base.remap)) {
    if (mf.addedSnapshotId !== snapshot.snapshotId) continue;
    if (status === EntryStatus.Added && mf.addedFilesCount === 0 && mf.existingFilesCount + mf.deletedFilesCount > 0) continue;
    if (status === EntryStatus.Deleted && mf.deletedFilesCount === 0 && mf.addedFilesCount + mf.existingFilesCount > 0) continue;
    const m = await loadManifest(mf, base.io, base.remap);
    for (const e of m.entries) if (e.status === status && e.snapshotId === snapshot.snapshotId) out.push(e.dataFile);
  }
  return out;
}

/** A matcher that says whether a file may hold rows matching a row filter (inclusive: partition projection, then metrics). */
export function fileMatcher(base: Table, filter: Expression): (f: DataFile) => boolean {
  const m = rowFilterMatcher(base, filter);
  return (f) => m.match(f) !== "none";
}

/** Throws CommitConflictError when a snapshot since the start added a file of `content` that `conflicts` (what: the action's name). */
export async function validateNoAddedFiles(
  base: Table, since: readonly Snapshot[], content: "data" | "deletes", conflicts: (f: DataFile) => boolean, what: string,
): Promise<void> {
  for (const s of since) {
    // Java: only appends and overwrites add data; only overwrites and deletes add delete files
    // (a `replace` rewrites rows that already existed, so it never conflicts this way).
    const ops = content === "data" ? ["append", "overwrite"] : ["overwrite", "delete"];
    if (!ops.includes(s.summary.operation)) continue;
    for (const f of await changedFiles(base, s, EntryStatus.Added)) {
      if ((f.content === FileContent.Data) !== (content === "data")) continue;
      if (conflicts(f)) {
        throw new CommitConflictError(`${what}: expected no conflicting ${content === "data" ? "data" : "delete"} files since the starting snapshot, got ${f.filePath} added by snapshot ${s.snapshotId} (${s.summary.operation})`, {
          context: { file: f.filePath, snapshotId: s.snapshotId.toString() },
        });
      }
    }
  }
}
