import { utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { expireSnapshots, InvalidChangeError, liveFiles, readManifestList, removeOrphanFiles, type Table } from "../src/index.js";
import { livePaths, regionFile, regionTable } from "./util/tables.js";

async function filesUnder(table: Table): Promise<string[]> {
  const out: string[] = [];
  for await (const f of table.io.list(table.location())) out.push(path.resolve(f.location));
  return out.sort();
}

/** Every file the remaining snapshots read: metadata files, manifest lists, manifests and live content files. */
async function neededFiles(table: Table): Promise<Set<string>> {
  const out = new Set<string>([path.resolve(table.metadataLocation), ...table.metadata.metadataLog.map((m) => path.resolve(m.metadataFile))]);
  for (const s of table.snapshots()) {
    out.add(path.resolve(s.manifestList!));
    for (const mf of readManifestList(await table.io.newInputFile(s.manifestList!).read())) out.add(path.resolve(mf.manifestPath));
    for (const l of await liveFiles(table, s)) out.add(path.resolve(l.file.filePath));
  }
  return out;
}

async function history(): Promise<Table> {
  const { table: t0 } = await regionTable();
  let table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "eu1.parquet" })).commit();
  table = await table.newAppend().appendFile(regionFile(table, "us", { name: "us1.parquet" })).commit();
  table = await table.newOverwrite().overwriteByFilter({ kind: "predicate", op: "eq", column: "region", values: ["eu"] })
    .addFile(regionFile(table, "eu", { name: "eu2.parquet" })).commit();
  table = await table.newReplacePartitions().addFile(regionFile(table, "us", { name: "us2.parquet" })).commit();
  return table.newAppend().appendFile(regionFile(table, "ap", { name: "ap1.parquet" })).commit();
}

describe("expireSnapshots", () => {
  it("expires all but the last snapshots, deletes only unreachable files, and time travel to an expired snapshot errors", async () => {
    let table = await history();
    const snaps = table.snapshots();
    expect(snaps.length).toBe(5);
    const result = await expireSnapshots(table, { olderThanMs: Date.now() + 1000, retainLast: 2 });
    table = result.table;
    expect(result.expiredSnapshotIds).toEqual(snaps.slice(0, 3).map((s) => s.snapshotId));
    expect(table.snapshots().map((s) => s.snapshotId)).toEqual(snaps.slice(3).map((s) => s.snapshotId));
    expect(result.dataFiles.map((p) => path.basename(p)).sort()).toEqual(["eu1.parquet", "us1.parquet"]);
    expect(result.manifestLists.length).toBe(3);
    // Nothing remains that no live snapshot references, and every referenced file exists.
    const needed = await neededFiles(table);
    const onDisk = await filesUnder(table);
    const extra = onDisk.filter((f) => !needed.has(f) && !f.endsWith("version-hint.text"));
    expect(extra).toEqual([]);
    for (const f of needed) expect(onDisk).toContain(f);
    for (const s of table.snapshots()) for (const l of await liveFiles(table, s)) expect(onDisk).toContain(path.resolve(l.file.filePath));
    expect(await livePaths(table)).toEqual(["ap1.parquet", "eu2.parquet", "us2.parquet"]);
    expect(() => table.newScan({ snapshotId: snaps[0]!.snapshotId })).toThrow(/snapshot .*expected a snapshot of the table/);
    expect(() => table.snapshotAsOf(snaps[1]!.timestampMs)).toThrow();
  });

  it("never expires ref heads or min-snapshots-to-keep, lists without deleting on deleteFiles:false, and rejects expiring a tag head", async () => {
    let table = await history();
    const snaps = table.snapshots();
    table = await table.manageSnapshots().createTag("keep", snaps[0]!.snapshotId).commit();
    table = await table.updateProperties().set("history.expire.min-snapshots-to-keep", "3").commit();
    await expect(expireSnapshots(table, { snapshotIds: [snaps[0]!.snapshotId] })).rejects.toBeInstanceOf(InvalidChangeError);
    const r = await expireSnapshots(table, { olderThanMs: Date.now() + 1000, deleteFiles: false });
    expect(r.expiredSnapshotIds).toEqual([snaps[1]!.snapshotId]);
    // Snapshot 0 is tagged and 2..4 are the 3 kept ancestors of main: only snapshot 1 expires, and nothing is deleted.
    for (const p of [...r.dataFiles, ...r.manifests, ...r.manifestLists]) expect(await table.io.newInputFile(p).exists()).toBe(true);
    expect(r.table.snapshot(snaps[0]!.snapshotId)).toBeDefined();
    const dry = await expireSnapshots(r.table, { snapshotIds: [snaps[2]!.snapshotId], dryRun: true });
    expect(dry.expiredSnapshotIds).toEqual([snaps[2]!.snapshotId]);
    expect(dry.table.snapshots().length).toBe(4);
  });
});

describe("removeOrphanFiles", () => {
  it("deletes old unreferenced files only, leaving every referenced and every recent file", async () => {
    const table = await history();
    const loc = table.location();
    const old = Date.now() / 1000 - 7 * 86400;
    const orphanData = path.join(loc, "data/region=eu/crashed-writer.parquet");
    const orphanManifest = path.join(loc, "metadata/failed-commit-m0.avro");
    const recent = path.join(loc, "data/region=eu/in-flight.parquet");
    for (const f of [orphanData, orphanManifest, recent]) writeFileSync(f, "x");
    for (const f of [orphanData, orphanManifest]) utimesSync(f, old, old);
    // Referenced files are old too: age alone must not get them deleted.
    for (const f of await filesUnder(table)) if (f !== recent) utimesSync(f, old, old);
    const dry = await removeOrphanFiles(table, { olderThanMs: Date.now() - 86_400_000, dryRun: true });
    expect(dry.orphanFiles.map((f) => path.resolve(f)).sort()).toEqual([orphanManifest, orphanData].sort());
    expect((await filesUnder(table)).length).toBeGreaterThan(0);
    await removeOrphanFiles(table, { olderThanMs: Date.now() - 86_400_000 });
    const onDisk = await filesUnder(table);
    expect(onDisk).not.toContain(orphanData);
    expect(onDisk).toContain(recent);
    for (const f of await neededFiles(table)) expect(onDisk).toContain(f);
    expect(await livePaths(await table.refresh())).toEqual(["ap1.parquet", "eu2.parquet", "us2.parquet"]);
  });
});
