// Step 3: expire every snapshot whose manifests still name a file the erasure removed (in any
// entry status), then delete what no remaining snapshot references, then orphans older than the
// erasure. A branch or tag head that names such a file cannot be expired: it is reported.

import { expireSnapshots, FileContent, liveFiles, readManifest, readManifestList, removeOrphanFiles, type Table } from "@engine/iceberg";

export interface ExpireOutcome {
  readonly table: Table;
  readonly expired: readonly bigint[];
  readonly filesRemoved: readonly string[];
  readonly blockingRefs: readonly string[];
}

/**
 * `removedPaths`: files the erasure removed (journal); `holdsSubject` is asked about every other
 * data file an old snapshot still names but the current one does not, so that a run that crashed
 * before writing its journal still expires what it must.
 */
export async function expireReferencing(
  table: Table, removedPaths: ReadonlySet<string>, holdsSubject: (location: string) => Promise<boolean>, orphansOlderThanMs: number,
): Promise<ExpireOutcome> {
  const { io, remap } = table;
  const current = new Set((await liveFiles(table)).map((f) => f.file.filePath));
  const judged = new Map<string, boolean>();
  const isRemoved = async (filePath: string, content: FileContent): Promise<boolean> => {
    if (removedPaths.has(filePath)) return true;
    if (current.has(filePath) || content !== FileContent.Data) return false;
    let v = judged.get(filePath);
    if (v === undefined) { v = await holdsSubject(filePath); judged.set(filePath, v); }
    return v;
  };
  const manifestHits = new Map<string, boolean>();
  const names = async (manifestPath: string, mf: Parameters<typeof readManifest>[1]): Promise<boolean> => {
    let hit = manifestHits.get(manifestPath);
    if (hit === undefined) {
      const m = readManifest(await io.newInputFile(remap(manifestPath)).read(), mf);
      hit = false;
      for (const e of m.entries) if (await isRemoved(e.dataFile.filePath, e.dataFile.content)) { hit = true; break; }
      manifestHits.set(manifestPath, hit);
    }
    return hit;
  };
  const heads = new Map<bigint, string[]>();
  for (const [name, ref] of Object.entries(table.metadata.refs)) heads.set(ref.snapshotId, [...(heads.get(ref.snapshotId) ?? []), name]);
  const toExpire: bigint[] = [];
  const blockingRefs: string[] = [];
  for (const s of table.snapshots()) {
    if (!s.manifestList) continue;
    let hit = false;
    for (const mf of readManifestList(await io.newInputFile(remap(s.manifestList)).read(), { file: s.manifestList })) {
      if (await names(mf.manifestPath, { file: mf.manifestPath, manifestFile: mf })) { hit = true; break; }
    }
    if (!hit) continue;
    const refs = heads.get(s.snapshotId);
    if (refs) blockingRefs.push(...refs);
    else toExpire.push(s.snapshotId);
  }
  let after = table;
  const filesRemoved: string[] = [];
  if (toExpire.length > 0) {
    const r = await expireSnapshots(table, { snapshotIds: toExpire });
    after = r.table;
    filesRemoved.push(...r.dataFiles, ...r.deleteFiles, ...r.manifests, ...r.manifestLists);
  }
  const orphans = await removeOrphanFiles(after, { olderThanMs: orphansOlderThanMs });
  filesRemoved.push(...orphans.orphanFiles);
  return { table: after, expired: toExpire, filesRemoved, blockingRefs };
}
