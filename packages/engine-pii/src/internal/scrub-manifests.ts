// Step 2: a manifest that drops files keeps them as DELETED entries — with their column bounds,
// which can be the subject's own values. This commits a `replace` snapshot whose manifests are
// the current ones minus every DELETED entry (Java's RewriteManifests does the same); once the
// erasure snapshot is expired, nothing references the manifests that remembered the old files.
// @engine/iceberg has no RewriteManifests action yet; this is the minimal form of one.

import { randomBytes, randomUUID } from "node:crypto";
import {
  commitMetadataChange, EntryStatus, readManifest, readManifestList, writeManifest, writeManifestList,
  type ManifestEntry, type ManifestFile, type Snapshot, type SnapshotSummary, type Table,
} from "@engine/iceberg";

const TOTALS = ["total-records", "total-files-size", "total-data-files", "total-delete-files", "total-position-deletes", "total-equality-deletes"];

function newSnapshotId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn;
    if (id !== 0n) return id;
  }
}

/** Commits a snapshot without DELETED manifest entries, when the current one has any; returns the table after. */
export async function scrubDeletedEntries(table: Table, erasureId: string): Promise<Table> {
  const parent = table.currentSnapshot();
  if (!parent?.manifestList) return table;
  const { io, remap } = table;
  const lists = readManifestList(await io.newInputFile(remap(parent.manifestList)).read(), { file: parent.manifestList });
  if (!lists.some((m) => m.deletedFilesCount > 0)) return table;

  const md = table.metadata;
  const v1 = md.formatVersion === 1;
  const snapshotId = newSnapshotId();
  const seq = v1 ? 0n : md.lastSequenceNumber + 1n;
  const dir = `${md.location.replace(/\/+$/, "")}/metadata`;
  const uuid = randomUUID();
  const written: string[] = [];
  try {
    const manifests: ManifestFile[] = [];
    let i = 0;
    for (const mf of lists) {
      if (mf.deletedFilesCount === 0) { manifests.push(mf); continue; }
      const m = readManifest(await io.newInputFile(remap(mf.manifestPath)).read(), { file: mf.manifestPath, manifestFile: mf });
      // Spec: entries carried into a rewritten manifest keep their snapshot id and sequence numbers.
      const entries: ManifestEntry[] = m.entries.filter((e) => e.status !== EntryStatus.Deleted).map((e) => ({ ...e, status: EntryStatus.Existing }));
      if (entries.length === 0) continue;
      const manifestPath = `${dir}/${uuid}-scrub-m${i++}.avro`;
      const out = writeManifest({
        formatVersion: md.formatVersion, path: manifestPath, spec: table.specById(mf.partitionSpecId), schema: table.schema(),
        snapshotId, sequenceNumber: seq, content: mf.content, entries,
      });
      await io.newOutputFile(manifestPath).write(out.data);
      written.push(manifestPath);
      manifests.push(out.manifestFile);
    }
    const listPath = `${dir}/snap-${snapshotId}-1-${uuid}.avro`;
    await io.newOutputFile(listPath).write(writeManifestList({
      formatVersion: md.formatVersion, snapshotId, parentSnapshotId: parent.snapshotId, sequenceNumber: seq, manifests,
    }));
    written.push(listPath);
    const summary: Record<string, string> = { operation: "replace", "engine.pii.scrub": erasureId };
    for (const k of TOTALS) if (parent.summary[k] !== undefined) summary[k] = parent.summary[k]!;
    const snapshot: Snapshot = {
      snapshotId, parentSnapshotId: parent.snapshotId, sequenceNumber: seq,
      timestampMs: BigInt(Math.max(Date.now(), Number(md.lastUpdatedMs))),
      manifestList: listPath, summary: summary as unknown as SnapshotSummary, schemaId: md.currentSchemaId,
    };
    return await commitMetadataChange(table, "pii scrub", () => ({
      requirements: [{ type: "assert-ref-snapshot-id", ref: "main", snapshotId: parent.snapshotId }],
      updates: [
        { action: "add-snapshot", snapshot },
        { action: "set-snapshot-ref", refName: "main", snapshotId, type: "branch" },
      ],
    }));
  } catch (error) {
    await io.delete(written).catch(() => undefined);
    throw error;
  }
}
