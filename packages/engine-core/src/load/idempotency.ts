// Idempotent loads: every snapshot a load commits carries `engine.load-id`, a hash of what
// determines its result; a load whose id is already in the table's ancestry is skipped.

import type { Snapshot, Table } from "@engine/iceberg";
import { sha256Hex, stableJson } from "../internal/hash.js";
import { specHash } from "../spec/spec-hash.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { SourceFile } from "../source/paths.js";

/** The snapshot property that records which load produced a snapshot. */
export const LOAD_ID_PROPERTY = "engine.load-id";

/**
 * sha256 of the spec (its canonical hash), the source files' (path, size, mtime) — or, for
 * in-memory data, a hash of the rows — and the parameters.
 */
export function computeLoadId(spec: TableSpec, source: { readonly files: readonly SourceFile[]; readonly contentHash?: string }, params?: Readonly<Record<string, string>>): string {
  return sha256Hex(stableJson({
    spec: specHash(spec),
    files: source.files.map((f) => [f.path, f.size, f.mtimeMs]),
    ...(source.contentHash !== undefined ? { content: source.contentHash } : {}),
    params: params ?? {},
  }));
}

/** The snapshot in the current branch's ancestry (newest first) that recorded `loadId`, if any. */
export function findLoadInAncestry(table: Table | undefined, loadId: string): Snapshot | undefined {
  let snap = table?.currentSnapshot();
  const seen = new Set<bigint>();
  while (snap && !seen.has(snap.snapshotId)) {
    if (snap.summary[LOAD_ID_PROPERTY] === loadId) return snap;
    seen.add(snap.snapshotId);
    snap = snap.parentSnapshotId === undefined ? undefined : table!.snapshot(snap.parentSnapshotId);
  }
  return undefined;
}
