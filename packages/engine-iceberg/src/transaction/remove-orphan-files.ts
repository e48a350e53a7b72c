import type { FileIO } from "../io/file-io.js";
import { loadManifest, snapshotManifests } from "../scan/snapshot-manifests.js";
import type { Table } from "../table/table.js";

/** Options of `removeOrphanFiles`. */
export interface RemoveOrphanFilesOptions {
  /** Only files last modified before this are removed (default: now − 3 days); newer ones may belong to an in-flight commit. */
  readonly olderThanMs?: number | bigint | Date;
  /** List orphans without deleting them. */
  readonly dryRun?: boolean;
  /** Where to look (default: the table location). */
  readonly location?: string;
}

/** What `removeOrphanFiles` found (and, unless a dry run, deleted). */
export interface RemoveOrphanFilesResult {
  readonly orphanFiles: readonly string[];
}

const normalizer = (io: FileIO) => (location: string): string => io.localPath(location) ?? location.replace(/^s3[an]:\/\//, "s3://");

/** Every file the table's metadata references: metadata files (current and logged), version hint, statistics, manifest lists, manifests, data and delete files. */
export async function referencedFiles(table: Table): Promise<Set<string>> {
  const { io, remap, metadata: md } = table;
  const norm = normalizer(io);
  const out = new Set<string>();
  const add = (p: string): void => { out.add(norm(remap(p))); };
  add(table.metadataLocation);
  add(`${md.location.replace(/\/+$/, "")}/metadata/version-hint.text`);
  for (const e of md.metadataLog) add(e.metadataFile);
  for (const s of md.statistics ?? []) add(s.statisticsPath);
  for (const s of md.partitionStatistics ?? []) add(s.statisticsPath);
  const seen = new Set<string>();
  for (const snap of md.snapshots) {
    if (snap.manifestList !== undefined) add(snap.manifestList);
    for (const mf of await snapshotManifests(snap, io, remap)) {
      add(mf.manifestPath);
      if (seen.has(mf.manifestPath)) continue;
      seen.add(mf.manifestPath);
      // Any entry counts, DELETED ones too: such a file may still be read by a time-travel query elsewhere.
      for (const e of (await loadManifest(mf, io, remap)).entries) add(e.dataFile.filePath);
    }
  }
  return out;
}

/**
 * Deletes files under the table location that no metadata references (leftovers of failed
 * commits and crashed writers). Files newer than `olderThanMs` are never touched.
 *
 * ```ts
 * const { orphanFiles } = await removeOrphanFiles(table, { olderThanMs: Date.now() - 3 * 86_400_000 });
 * ```
 */
export async function removeOrphanFiles(table: Table, options: RemoveOrphanFilesOptions = {}): Promise<RemoveOrphanFilesResult> {
  const threshold = options.olderThanMs === undefined ? Date.now() - 3 * 86_400_000
    : options.olderThanMs instanceof Date ? options.olderThanMs.getTime() : Number(options.olderThanMs);
  const fresh = await table.refresh().catch(() => table);
  const referenced = await referencedFiles(fresh);
  const norm = normalizer(fresh.io);
  const orphanFiles: string[] = [];
  for await (const f of fresh.io.list(options.location ?? fresh.metadata.location)) {
    if (f.lastModifiedMs >= threshold) continue;
    if (!referenced.has(norm(f.location))) orphanFiles.push(f.location);
  }
  if (!options.dryRun && orphanFiles.length > 0) await fresh.io.delete(orphanFiles);
  return { orphanFiles };
}
