import { InvalidChangeError } from "../errors.js";
import { FileContent } from "../manifest/data-file.js";
import { loadManifest, snapshotManifests } from "../scan/snapshot-manifests.js";
import type { Snapshot } from "../spec/snapshot.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import type { Table } from "../table/table.js";
import { commitMetadataChange } from "./metadata-commit.js";
import type { TableRequirement } from "./updates.js";

/** Table property: snapshots of a branch always kept (Java's name; default 1). */
export const MIN_SNAPSHOTS_TO_KEEP = "history.expire.min-snapshots-to-keep";
/** Table property: default age after which snapshots expire (Java's name; default 5 days). */
export const MAX_SNAPSHOT_AGE_MS = "history.expire.max-snapshot-age-ms";

/** Options of `expireSnapshots`. */
export interface ExpireSnapshotsOptions {
  /** Expire snapshots older than this (default: now − `history.expire.max-snapshot-age-ms`, unless only `snapshotIds` is given). */
  readonly olderThanMs?: number | bigint | Date;
  /** Keep at least this many ancestors of each branch head (default `history.expire.min-snapshots-to-keep` or 1). */
  readonly retainLast?: number;
  /** Expire these snapshots too (never a branch or tag head). */
  readonly snapshotIds?: readonly bigint[];
  /** Delete the files no remaining snapshot references (default true); false only lists them. */
  readonly deleteFiles?: boolean;
  /** Commit nothing and delete nothing; list what would be expired and removed. */
  readonly dryRun?: boolean;
}

/** What `expireSnapshots` removed (or, with `deleteFiles: false` / `dryRun`, would remove). */
export interface ExpireSnapshotsResult {
  readonly expiredSnapshotIds: readonly bigint[];
  readonly manifestLists: readonly string[];
  readonly manifests: readonly string[];
  readonly dataFiles: readonly string[];
  readonly deleteFiles: readonly string[];
  /** The table after the commit (unchanged for a dry run or when nothing expired). */
  readonly table: Table;
}

const toMs = (v: number | bigint | Date): bigint => (v instanceof Date ? BigInt(v.getTime()) : BigInt(v));

/** The snapshot ids to expire from metadata: neither a ref head, nor within a branch's retained ancestors, nor newer than the threshold. */
export function snapshotsToExpire(md: TableMetadata, options: ExpireSnapshotsOptions, nowMs: bigint = BigInt(Date.now())): bigint[] {
  const prop = (k: string, d: bigint): bigint => (/^\d+$/.test(md.properties[k] ?? "") ? BigInt(md.properties[k]!) : d);
  const onlyIds = options.olderThanMs === undefined && options.retainLast === undefined && options.snapshotIds !== undefined;
  const threshold = options.olderThanMs !== undefined ? toMs(options.olderThanMs)
    : onlyIds ? -1n : nowMs - prop(MAX_SNAPSHOT_AGE_MS, 5n * 24n * 3600n * 1000n);
  const byId = new Map(md.snapshots.map((s) => [s.snapshotId, s]));
  const retained = new Set<bigint>();
  for (const ref of Object.values(md.refs)) {
    retained.add(ref.snapshotId);
    if (ref.type !== "branch") continue;
    const minKeep = Math.max(ref.minSnapshotsToKeep ?? Number(prop(MIN_SNAPSHOTS_TO_KEEP, 1n)), options.retainLast ?? 0);
    // Java: ancestors are kept while fewer than min-snapshots-to-keep or not older than the threshold.
    let count = 0;
    for (let s: Snapshot | undefined = byId.get(ref.snapshotId); s; s = s.parentSnapshotId === undefined ? undefined : byId.get(s.parentSnapshotId)) {
      if (count < minKeep || s.timestampMs >= threshold) { retained.add(s.snapshotId); count++; }
      else break;
    }
  }
  const heads = new Map(Object.entries(md.refs).map(([n, r]) => [r.snapshotId, n]));
  for (const id of options.snapshotIds ?? []) {
    const ref = heads.get(id);
    if (ref !== undefined) throw new InvalidChangeError(`expire: snapshot ${id}: expected a snapshot no branch or tag points to, got the head of ${ref}`);
  }
  const explicit = new Set(options.snapshotIds ?? []);
  return md.snapshots
    .filter((s) => !heads.has(s.snapshotId) && (explicit.has(s.snapshotId) || (!retained.has(s.snapshotId) && s.timestampMs < threshold)))
    .map((s) => s.snapshotId);
}

/**
 * Expires snapshots (commits `remove-snapshots`), then deletes the manifest lists, manifests and
 * data/delete files that no remaining snapshot references. Reachability is computed from the
 * remaining snapshots, so a file any of them still reads is never deleted.
 *
 * ```ts
 * const { expiredSnapshotIds, dataFiles } = await expireSnapshots(table, { olderThanMs: Date.now() - 86_400_000, retainLast: 5 });
 * ```
 */
export async function expireSnapshots(table: Table, options: ExpireSnapshotsOptions = {}): Promise<ExpireSnapshotsResult> {
  let before = table;
  let expired: bigint[] = [];
  let after = table;
  if (options.dryRun) {
    expired = snapshotsToExpire(table.metadata, options);
  } else {
    after = await commitMetadataChange(table, "expire-snapshots", (base) => {
      before = base;
      expired = snapshotsToExpire(base.metadata, options);
      if (expired.length === 0) return { requirements: [], updates: [] };
      // Any concurrent move of a ref changes what is reachable: recompute on the refreshed table.
      const requirements: TableRequirement[] = Object.entries(base.metadata.refs).map(([ref, r]) => ({ type: "assert-ref-snapshot-id", ref, snapshotId: r.snapshotId }));
      return { requirements, updates: [{ action: "remove-snapshots", snapshotIds: expired }] };
    }, { retry: true });
  }
  const gone = new Set(expired);
  const remaining = before.metadata.snapshots.filter((s) => !gone.has(s.snapshotId));
  const removedSnaps = before.metadata.snapshots.filter((s) => gone.has(s.snapshotId));
  const { io, remap } = before;

  const keptLists = new Set(remaining.map((s) => s.manifestList).filter((x): x is string => x !== undefined));
  const keptManifests = new Map<string, Awaited<ReturnType<typeof snapshotManifests>>[number]>();
  for (const s of remaining) for (const m of await snapshotManifests(s, io, remap)) keptManifests.set(m.manifestPath, m);
  const manifestLists = removedSnaps.map((s) => s.manifestList).filter((x): x is string => x !== undefined && !keptLists.has(x));
  const candidates = new Map<string, Awaited<ReturnType<typeof snapshotManifests>>[number]>();
  for (const s of removedSnaps) {
    for (const m of await snapshotManifests(s, io, remap)) if (!keptManifests.has(m.manifestPath)) candidates.set(m.manifestPath, m);
  }
  const candidateFiles = new Map<string, FileContent>();
  for (const m of candidates.values()) {
    for (const e of (await loadManifest(m, io, remap)).entries) candidateFiles.set(e.dataFile.filePath, e.dataFile.content);
  }
  if (candidateFiles.size > 0) {
    // Spec: a file is live in a snapshot when one of its manifests has it ADDED or EXISTING.
    for (const m of keptManifests.values()) {
      for (const e of (await loadManifest(m, io, remap)).entries) if (e.status !== 2) candidateFiles.delete(e.dataFile.filePath);
    }
  }
  const dataFiles = [...candidateFiles].filter(([, c]) => c === FileContent.Data).map(([p]) => p);
  const deleteFiles = [...candidateFiles].filter(([, c]) => c !== FileContent.Data).map(([p]) => p);
  const manifests = [...candidates.keys()];
  if (!options.dryRun && options.deleteFiles !== false && expired.length > 0) {
    // Content first, then manifests, then lists: an interrupted run leaves only unreferenced files behind.
    for (const batch of [dataFiles, deleteFiles, manifests, manifestLists]) await io.delete(batch.map(remap));
  }
  return { expiredSnapshotIds: expired, manifestLists, manifests, dataFiles, deleteFiles, table: after };
}
