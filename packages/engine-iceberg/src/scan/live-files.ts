import { EntryStatus, type DataFile } from "../manifest/data-file.js";
import type { Snapshot } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { loadManifest, snapshotManifests } from "./snapshot-manifests.js";

/** A live (ADDED or EXISTING) file of a snapshot with its data sequence number. */
export interface LiveFile {
  readonly file: DataFile;
  readonly dataSequenceNumber: bigint;
  /** The snapshot that added the file. */
  readonly snapshotId: bigint | undefined;
}

/** Every live data and delete file of a snapshot (default: the current one), unpruned and with original paths. */
export async function liveFiles(table: Table, snapshot: Snapshot | undefined = table.currentSnapshot()): Promise<LiveFile[]> {
  if (!snapshot) return [];
  const out: LiveFile[] = [];
  for (const mf of await snapshotManifests(snapshot, table.io, table.remap)) {
    const m = await loadManifest(mf, table.io, table.remap);
    for (const e of m.entries) {
      if (e.status === EntryStatus.Deleted) continue;
      out.push({ file: e.dataFile, dataSequenceNumber: e.sequenceNumber ?? 0n, snapshotId: e.snapshotId });
    }
  }
  return out;
}
