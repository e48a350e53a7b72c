import { readManifest, type Manifest } from "../manifest/manifest-reader.js";
import { readManifestList } from "../manifest/manifest-list.js";
import type { ManifestFile } from "../manifest/manifest-file.js";
import type { FileIO } from "../io/file-io.js";
import type { Snapshot } from "../spec/snapshot.js";

/** The manifests of a snapshot: its manifest list, or (v1) its inline `manifests`, read as v1 manifest-list entries. */
export async function snapshotManifests(snapshot: Snapshot, io: FileIO, remap: (p: string) => string = (p) => p): Promise<ManifestFile[]> {
  if (snapshot.manifestList !== undefined) {
    const loc = remap(snapshot.manifestList);
    return readManifestList(await io.newInputFile(loc).read(), { file: loc });
  }
  // Spec (v1): "manifests — a list of manifest file locations" instead of a manifest list;
  // such manifests read with sequence number 0 and the snapshot as adder.
  return Promise.all((snapshot.manifests ?? []).map(async (path): Promise<ManifestFile> => {
    const loc = remap(path);
    const data = await io.newInputFile(loc).read();
    const m = readManifest(data, { file: loc });
    let added = 0, existing = 0, deleted = 0;
    for (const e of m.entries) { if (e.status === 1) added++; else if (e.status === 0) existing++; else deleted++; }
    return {
      manifestPath: path, manifestLength: BigInt(data.length), partitionSpecId: m.specId, content: 0,
      sequenceNumber: 0n, minSequenceNumber: 0n, addedSnapshotId: snapshot.snapshotId,
      addedFilesCount: added, existingFilesCount: existing, deletedFilesCount: deleted,
      addedRowsCount: 0n, existingRowsCount: 0n, deletedRowsCount: 0n,
    };
  }));
}

/** Reads one manifest of a manifest list, applying inheritance from its list entry. */
export async function loadManifest(mf: ManifestFile, io: FileIO, remap: (p: string) => string = (p) => p): Promise<Manifest> {
  const loc = remap(mf.manifestPath);
  return readManifest(await io.newInputFile(loc).read(), { file: loc, manifestFile: mf });
}
