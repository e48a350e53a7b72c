import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CommitConflictError, CommitFailedError, CommitStateUnknownError, EntryStatus, FastAppend, FileContent, IcebergError, and, eq, gtEq, liveFiles, lt,
  planDelete, readManifest, readManifestList, type Catalog, type Table,
} from "../src/index.js";
import { ID, livePaths, regionFile, regionTable } from "./util/tables.js";

const base = (f: { filePath: string }): string => path.basename(f.filePath);

describe("FastAppend", () => {
  it("keeps the manifest count bounded over 300 appends by merging, with entries EXISTING and original sequence numbers", async () => {
    const { table: t0 } = await regionTable({ properties: { "commit.manifest.min-count-to-merge": "8" } });
    let table = t0;
    let maxManifests = 0;
    for (let i = 0; i < 300; i++) {
      table = await table.newAppend().appendFile(regionFile(table, `r${i % 3}`, { name: `a${i}.parquet` })).commit();
      const list = readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read());
      maxManifests = Math.max(maxManifests, list.length);
    }
    // 3 partitions in one spec share one group: at most min-count manifests ever.
    expect(maxManifests).toBeLessThanOrEqual(8);
    const live = await liveFiles(table);
    expect(live.length).toBe(300);
    // Data sequence numbers survive merging: file aN was added by snapshot N+1.
    for (const l of live) expect(l.dataSequenceNumber).toBe(BigInt(Number(/a(\d+)/.exec(l.file.filePath)![1]) + 1));
    const s = table.currentSnapshot()!;
    expect(s.summary["total-data-files"]).toBe("300");
    expect(s.summary["total-records"]).toBe("3000");
    // A merged manifest written by the last merge has EXISTING entries that keep their snapshot ids.
    const list = readManifestList(await table.io.newInputFile(s.manifestList!).read());
    const merged = list.find((m) => m.existingFilesCount > 0)!;
    const m = readManifest(await table.io.newInputFile(merged.manifestPath).read(), { manifestFile: merged });
    expect(new Set(m.entries.map((e) => e.status))).toContain(EntryStatus.Existing);
    expect(new Set(m.entries.map((e) => e.snapshotId)).size).toBeGreaterThan(1);
  }, 120_000);

  it("merges at the default of 100 manifests and never when commit.manifest-merge.enabled=false", async () => {
    const { table: t0 } = await regionTable({ partitioned: false });
    let table = t0;
    let max = 0;
    for (let i = 0; i < 120; i++) {
      table = await table.newAppend().appendFile(regionFile(table, null, { name: `d${i}.parquet` })).commit();
      max = Math.max(max, readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read()).length);
    }
    expect(max).toBeLessThanOrEqual(100);
    expect(readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read()).length).toBeLessThan(100);
    table = await table.updateProperties().set("commit.manifest-merge.enabled", "false").commit();
    for (let i = 0; i < 3; i++) table = await table.newAppend().appendFile(regionFile(table, null)).commit();
    const before = readManifestList(await table.io.newInputFile(table.snapshot(table.currentSnapshot()!.parentSnapshotId!)!.manifestList!).read()).length;
    expect(readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read()).length).toBe(before + 1);
  }, 120_000);

  it("writes data and delete files to separate manifests", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend().appendFile(regionFile(t0, "eu")).appendFile(regionFile(t0, "eu", { content: FileContent.PositionDeletes })).commit();
    const list = readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read());
    expect(list.map((m) => m.content).sort()).toEqual([0, 1]);
  });
});

describe("OverwriteFiles", () => {
  it("removes files wholly matching the filter, adds new ones and writes an overwrite summary", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "eu1.parquet", rows: 5 })).appendFile(regionFile(t0, "us", { name: "us1.parquet", rows: 7 })).commit();
    table = await table.newOverwrite().overwriteByFilter(eq("region", "eu")).addFile(regionFile(table, "eu", { name: "eu2.parquet", rows: 3 })).commit();
    expect(await livePaths(table)).toEqual(["eu2.parquet", "us1.parquet"]);
    const s = table.currentSnapshot()!;
    expect(s.summary).toMatchObject({
      operation: "overwrite", "added-data-files": "1", "deleted-data-files": "1", "added-records": "3", "deleted-records": "5",
      "total-data-files": "2", "total-records": "10", "changed-partition-count": "1",
    });
    expect(s.sequenceNumber).toBe(2n);
    expect(s.parentSnapshotId).toBe(table.snapshots()[0]!.snapshotId);
    // The removed file is recorded as DELETED with its original sequence number.
    const deleted: { status: EntryStatus; seq?: bigint; path: string }[] = [];
    for (const mf of readManifestList(await table.io.newInputFile(s.manifestList!).read())) {
      for (const e of readManifest(await table.io.newInputFile(mf.manifestPath).read(), { manifestFile: mf }).entries) {
        if (e.status === EntryStatus.Deleted) deleted.push({ status: e.status, ...(e.sequenceNumber !== undefined ? { seq: e.sequenceNumber } : {}), path: base(e.dataFile) });
      }
    }
    expect(deleted).toEqual([{ status: EntryStatus.Deleted, seq: 1n, path: "eu1.parquet" }]);
  });

  it("fails when a concurrent commit added data matching the conflict filter, without retrying", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend().appendFile(regionFile(t0, "eu")).commit();
    const overwrite = table.newOverwrite().overwriteByFilter(eq("region", "eu")).addFile(regionFile(table, "eu", { name: "new-eu.parquet" }));
    await table.newAppend().appendFile(regionFile(table, "eu", { name: "concurrent-eu.parquet" })).commit();
    const err = await overwrite.commit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitConflictError);
    expect(err).toBeInstanceOf(CommitFailedError);
    expect(String((err as Error).message)).toMatch(/concurrent-eu\.parquet/);
    const now = await table.refresh();
    expect(await livePaths(now)).toContain("concurrent-eu.parquet");
    expect(now.snapshots().length).toBe(2);
  });

  it("retries and succeeds when the concurrent append went to another partition", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "eu1.parquet" })).commit();
    const overwrite = table.newOverwrite({ minWaitMs: 1 }).overwriteByFilter(eq("region", "eu")).addFile(regionFile(table, "eu", { name: "eu2.parquet" }));
    await table.newAppend().appendFile(regionFile(table, "us", { name: "us1.parquet" })).commit();
    const after = await overwrite.commit();
    expect(await livePaths(after)).toEqual(["eu2.parquet", "us1.parquet"]);
    expect(after.currentSnapshot()!.sequenceNumber).toBe(3n);
    expect(after.currentSnapshot()!.summary["total-data-files"]).toBe("2");
  });

  it("fails with DELETE_NEEDS_REWRITE when a file matches only partly, and swaps rewritten files in atomically", async () => {
    const { table: t0 } = await regionTable({ partitioned: false });
    let table = await t0.newAppend()
      .appendFile(regionFile(t0, null, { name: "low.parquet", lo: 1, hi: 50 }))
      .appendFile(regionFile(t0, null, { name: "mixed.parquet", lo: 40, hi: 200 }))
      .appendFile(regionFile(t0, null, { name: "high.parquet", lo: 150, hi: 300 })).commit();
    const filter = lt("id", 100);
    await expect(table.newOverwrite().overwriteByFilter(filter).commit()).rejects.toMatchObject({ code: "DELETE_NEEDS_REWRITE" });
    const plan = await planDelete(table, filter);
    expect(plan.dropWhole.map(base)).toEqual(["low.parquet"]);
    expect(plan.rewrite.map(base)).toEqual(["mixed.parquet"]);
    const rewritten = regionFile(table, null, { name: "mixed-rewritten.parquet", lo: 100, hi: 200 });
    let ow = table.newOverwrite().overwriteByFilter(filter).validateFromSnapshot(plan.snapshotId);
    for (const f of plan.rewrite) ow = ow.deleteFile(f);
    table = await ow.addFile(rewritten).commit();
    expect(await livePaths(table)).toEqual(["high.parquet", "mixed-rewritten.parquet"]);
  });
});

describe("DeleteFiles", () => {
  it("drops files proven to match by identity partition or by metrics and records an operation=delete summary", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.newAppend()
      .appendFile(regionFile(t0, "eu", { name: "eu.parquet", rows: 4 }))
      .appendFile(regionFile(t0, "us", { name: "us-small-ids.parquet", lo: 1, hi: 9, rows: 6 }))
      .appendFile(regionFile(t0, "us", { name: "us-big-ids.parquet", lo: 1000, hi: 2000 })).commit();
    table = await table.newDelete().deleteFromRowFilter(eq("region", "eu")).commit();
    expect(await livePaths(table)).toEqual(["us-big-ids.parquet", "us-small-ids.parquet"]);
    expect(table.currentSnapshot()!.summary).toMatchObject({ operation: "delete", "deleted-data-files": "1", "deleted-records": "4", "total-data-files": "2" });
    table = await table.newDelete().deleteFromRowFilter(and(eq("region", "us"), lt("id", 10))).commit();
    expect(await livePaths(table)).toEqual(["us-big-ids.parquet"]);
    await expect(table.newDelete().deleteFromRowFilter(gtEq("id", 1500)).commit()).rejects.toBeInstanceOf(IcebergError);
    // Deleting a file by path that is no longer live is a conflict.
    await expect(table.newDelete().deleteFile(path.join(table.location(), "data/region=eu/eu.parquet")).commit()).rejects.toBeInstanceOf(CommitConflictError);
  });

  it("planDelete lists only files that may hold matching rows", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend()
      .appendFile(regionFile(t0, "eu", { name: "eu.parquet", lo: 1, hi: 10 }))
      .appendFile(regionFile(t0, "us", { name: "us-a.parquet", lo: 1, hi: 10 }))
      .appendFile(regionFile(t0, "us", { name: "us-b.parquet", lo: 5, hi: 50 }))
      .appendFile(regionFile(t0, "us", { name: "us-c.parquet", lo: 100, hi: 500 })).commit();
    const plan = await planDelete(table, and(eq("region", "us"), lt("id", 20)));
    expect(plan.dropWhole.map(base)).toEqual(["us-a.parquet"]);
    expect(plan.rewrite.map(base)).toEqual(["us-b.parquet"]);
    expect(plan.rewriteTasks.length).toBe(1);
  });
});

describe("ReplacePartitions", () => {
  it("replaces exactly the partitions of the added files and marks the summary", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.newAppend()
      .appendFile(regionFile(t0, "eu", { name: "eu1.parquet" })).appendFile(regionFile(t0, "eu", { name: "eu2.parquet" }))
      .appendFile(regionFile(t0, "us", { name: "us1.parquet" })).appendFile(regionFile(t0, null, { name: "null1.parquet" })).commit();
    table = await table.newReplacePartitions().addFile(regionFile(table, "eu", { name: "eu3.parquet", rows: 1 })).addFile(regionFile(table, "ap", { name: "ap1.parquet", rows: 1 })).commit();
    expect(await livePaths(table)).toEqual(["ap1.parquet", "eu3.parquet", "null1.parquet", "us1.parquet"]);
    expect(table.currentSnapshot()!.summary).toMatchObject({
      operation: "overwrite", "replace-partitions": "true", "added-data-files": "2", "deleted-data-files": "2", "total-data-files": "4", "changed-partition-count": "2",
    });
  });

  it("fails on a concurrent add to a replaced partition but retries over one elsewhere", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend().appendFile(regionFile(t0, "eu")).commit();
    const conflicting = table.newReplacePartitions().addFile(regionFile(table, "eu"));
    const fine = table.newReplacePartitions({ minWaitMs: 1 }).addFile(regionFile(table, "us", { name: "us-replaced.parquet" }));
    await table.newAppend().appendFile(regionFile(table, "eu", { name: "eu-concurrent.parquet" })).commit();
    await expect(conflicting.commit()).rejects.toBeInstanceOf(CommitConflictError);
    const after = await fine.commit();
    expect(await livePaths(after)).toContain("us-replaced.parquet");
    expect(await livePaths(after)).toContain("eu-concurrent.parquet");
  });
});

describe("RewriteFiles", () => {
  it("replaces files by their compaction with operation=replace, keeping the starting sequence number", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "a.parquet", rows: 2 })).commit();
    table = await table.newAppend().appendFile(regionFile(table, "eu", { name: "b.parquet", rows: 3 })).commit();
    const [a, b] = (await liveFiles(table)).map((l) => l.file).sort((x, y) => base(x).localeCompare(base(y)));
    table = await table.newRewriteFiles().rewriteFiles([a!, b!], [regionFile(table, "eu", { name: "ab.parquet", rows: 5 })]).commit();
    const live = await liveFiles(table);
    expect(live.map((l) => base(l.file))).toEqual(["ab.parquet"]);
    expect(live[0]!.dataSequenceNumber).toBe(2n);
    expect(table.currentSnapshot()!.sequenceNumber).toBe(3n);
    expect(table.currentSnapshot()!.summary).toMatchObject({ operation: "replace", "added-data-files": "1", "deleted-data-files": "2", "total-records": "5", "total-data-files": "1" });
  });

  it("fails when a replaced file was removed concurrently, or a delete file for it was added", async () => {
    const { table: t0 } = await regionTable();
    const table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "a.parquet" })).appendFile(regionFile(t0, "us", { name: "u.parquet" })).commit();
    const [a, u] = (await liveFiles(table)).map((l) => l.file).sort((x, y) => base(x).localeCompare(base(y)));
    const r1 = table.newRewriteFiles().rewriteFiles([a!], [regionFile(table, "eu", { name: "a2.parquet" })]);
    const r2 = table.newRewriteFiles().rewriteFiles([u!], [regionFile(table, "us", { name: "u2.parquet" })]);
    let next = await table.newDelete().deleteFile(a!).commit();
    await expect(r1.commit()).rejects.toBeInstanceOf(CommitConflictError);
    next = await next.newRowDelta().addDeletes(regionFile(next, "us", { content: FileContent.PositionDeletes, name: "u-deletes.parquet" })).validateDataFilesExist([u!.filePath]).commit();
    expect(next.currentSnapshot()!.summary).toMatchObject({ operation: "delete", "added-delete-files": "1", "added-position-delete-files": "1", "added-position-deletes": "10" });
    await expect(r2.commit()).rejects.toThrow(/u-deletes\.parquet/);
  });
});

describe("SnapshotProducer commit outcomes", () => {
  const wrap = (catalog: Catalog, commit: Catalog["commitTable"]): Catalog => new Proxy(catalog, {
    get: (t, k, r) => (k === "commitTable" ? commit : Reflect.get(t, k, r)),
  });

  it("turns an unclassified failure of the swap into CommitStateUnknownError and keeps the written files", async () => {
    const { catalog, table: t0 } = await regionTable();
    const flaky = wrap(catalog, async (id, reqs, ups) => { await catalog.commitTable(id, reqs, ups); throw new Error("socket hang up"); });
    const table = t0.withMetadata(t0.metadata, t0.metadataLocation);
    const staged = new FastAppend(Object.assign(Object.create(Object.getPrototypeOf(table)), table, { catalog: flaky }) as Table).appendFile(regionFile(table, "eu"));
    await expect(staged.commit()).rejects.toBeInstanceOf(CommitStateUnknownError);
    // The commit did land; its manifest list and manifests must still be there.
    const landed = await catalog.loadTable(ID);
    expect(await livePaths(landed)).toHaveLength(1);
  });

  it("retries an append after a lost race and cleans up the files of the failed attempt", async () => {
    const { catalog, table } = await regionTable();
    let failures = 1;
    const racy = wrap(catalog, async (id, reqs, ups) => {
      if (failures-- > 0) throw new CommitFailedError("commit: lost a race");
      return catalog.commitTable(id, reqs, ups);
    });
    const t = Object.assign(Object.create(Object.getPrototypeOf(table)), table, { catalog: racy }) as Table;
    const after = await new FastAppend(t, { minWaitMs: 1 }).appendFile(regionFile(table, "eu")).commit();
    expect(after.snapshots().length).toBe(1);
    const metaFiles: { location: string }[] = [];
    for await (const f of table.io.list(`${table.location()}/metadata`)) metaFiles.push(f);
    // one manifest, one manifest list (the first attempt's list was deleted), metadata v1, v2 and the hint
    expect(metaFiles.filter((f) => f.location.endsWith(".avro")).length).toBe(2);
  });
});
