import { EntryStatus, type ManifestEntry } from "../manifest/data-file.js";
import type { ManifestFile } from "../manifest/manifest-file.js";

// Java's ManifestMergeManager: manifests of one spec and content are bin-packed from the end
// (oldest first) into bins of `commit.manifest.target-size-bytes`; a bin holding the newest
// manifest is merged only once it has `commit.manifest.min-count-to-merge` manifests, so
// appends stay cheap while the manifest count stays bounded.

/** Table properties (Java's names) and defaults that control manifest merging. */
export const MANIFEST_MERGE_ENABLED = "commit.manifest-merge.enabled";
/** Minimum number of manifests in the newest bin before it is merged (default 100). */
export const MANIFEST_MIN_MERGE_COUNT = "commit.manifest.min-count-to-merge";
/** Target size of a merged manifest in bytes (default 8 MiB). */
export const MANIFEST_TARGET_SIZE_BYTES = "commit.manifest.target-size-bytes";

/** Merge settings read from table properties. */
export interface MergeSettings { readonly enabled: boolean; readonly minCount: number; readonly targetSizeBytes: number }

/** Reads merge settings from table properties with Java's defaults (true, 100, 8 MiB). */
export function mergeSettings(props: Readonly<Record<string, string>>): MergeSettings {
  const num = (k: string, d: number): number => {
    const v = props[k];
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n > 0 ? n : d;
  };
  return {
    enabled: (props[MANIFEST_MERGE_ENABLED] ?? "true").toLowerCase() !== "false",
    minCount: num(MANIFEST_MIN_MERGE_COUNT, 100),
    targetSizeBytes: num(MANIFEST_TARGET_SIZE_BYTES, 8 * 1024 * 1024),
  };
}

/** Bin-packs items from the end, so that the first bin gets what is left over (Java's ListPacker.packEnd, lookback 1). */
export function packEnd<T>(items: readonly T[], weight: (t: T) => number, target: number): T[][] {
  const bins: T[][] = [];
  let cur: T[] = [];
  let w = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    const iw = weight(it);
    if (cur.length > 0 && w + iw > target) { bins.push(cur); cur = []; w = 0; }
    cur.push(it);
    w += iw;
  }
  if (cur.length > 0) bins.push(cur);
  return bins.reverse().map((b) => b.reverse());
}

/**
 * Plans which manifests to merge: groups by (spec, content) keep their order; returns, in order,
 * either a manifest to keep or a bin of manifests to merge into one.
 */
export function planMerge(manifests: readonly ManifestFile[], settings: MergeSettings): (ManifestFile | ManifestFile[])[] {
  if (!settings.enabled || manifests.length === 0) return [...manifests];
  // Java merges data and delete manifests separately; each has its own newest ("first") manifest.
  const firsts = new Set([manifests.find((m) => m.content === 0), manifests.find((m) => m.content === 1)]);
  const groups = new Map<string, ManifestFile[]>();
  for (const m of manifests) {
    const k = `${m.content}:${m.partitionSpecId}`;
    const g = groups.get(k);
    if (g) g.push(m); else groups.set(k, [m]);
  }
  const out: (ManifestFile | ManifestFile[])[] = [];
  for (const group of groups.values()) {
    for (const bin of packEnd(group, (m) => Number(m.manifestLength), settings.targetSizeBytes)) {
      if (bin.length === 1) out.push(bin[0]!);
      else if (bin.some((m) => firsts.has(m)) && bin.length < settings.minCount) out.push(...bin);
      else out.push(bin);
    }
  }
  return out;
}

/**
 * The entries a merged manifest keeps from one input. Spec: entries carried over become EXISTING
 * with their original snapshot id and sequence numbers; DELETED entries of older snapshots are
 * dropped; entries of the committing snapshot keep their status (ADDED inherits the new sequence number).
 */
export function carryOver(entries: readonly ManifestEntry[], fromThisSnapshot: boolean): ManifestEntry[] {
  if (fromThisSnapshot) return [...entries];
  const out: ManifestEntry[] = [];
  for (const e of entries) {
    if (e.status === EntryStatus.Deleted) continue;
    out.push({ ...e, status: EntryStatus.Existing });
  }
  return out;
}
