import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FileContent, InvalidChangeError, readManifest, readManifestList, toLocalPath, type DataFile, type Table } from "../src/index.js";
import { regionFile, regionTable } from "./util/tables.js";

const eqDelete = (table: Table, region: string, ids: number[] = [1]): DataFile => ({ ...regionFile(table, region, { content: FileContent.EqualityDeletes }), equalityIds: ids });
const posDelete = (table: Table, region: string, target?: string): DataFile => ({
  ...regionFile(table, region, { content: FileContent.PositionDeletes, rows: 3 }),
  ...(target ? { referencedDataFile: target } : {}),
});

describe("RowDelta", () => {
  it("refuses delete files on a v1 table, equality deletes without valid equality_ids, and files of the wrong kind or partition", async () => {
    const { table: v1 } = await regionTable({ formatVersion: 1 });
    expect(() => v1.newRowDelta().addDeletes(posDelete(v1, "eu"))).toThrow(/expected a format v2 table for delete files, got format v1/);
    const { table } = await regionTable();
    const rd = table.newRowDelta();
    expect(() => rd.addDeletes({ ...regionFile(table, "eu", { content: FileContent.EqualityDeletes }) })).toThrow(/expected equality_ids/);
    expect(() => rd.addDeletes(eqDelete(table, "eu", [1, 99]))).toThrow(/unknown field id\(s\) 99/);
    expect(() => rd.addDeletes({ ...posDelete(table, "eu"), equalityIds: [1] })).toThrow(/expected no equality_ids on a position delete file/);
    expect(() => rd.addDeletes(regionFile(table, "eu"))).toThrow(InvalidChangeError);
    expect(() => rd.addRows(posDelete(table, "eu"))).toThrow(/expected a data file/);
    expect(() => rd.addDeletes({ ...posDelete(table, "eu"), partition: [] })).toThrow(/expected a partition tuple of 1 value\(s\) for spec 0, got 0/);
    expect(() => rd.addDeletes({ ...posDelete(table, "eu"), specId: 7 })).toThrow(/expected the spec id of a partition spec of the table, got 7/);
  });

  it("names the operation as Java does and counts each kind of delete file in the summary", async () => {
    const { table: t0 } = await regionTable();
    const data = regionFile(t0, "eu", { rows: 10 });
    let table = await t0.newRowDelta().addRows(data).commit();
    expect(table.currentSnapshot()!.summary).toMatchObject({ operation: "append", "added-data-files": "1", "total-delete-files": "0" });

    table = await table.newRowDelta().addDeletes(posDelete(table, "eu", data.filePath)).addDeletes(posDelete(table, "eu")).validateDataFilesExist([data.filePath]).commit();
    const pos = table.currentSnapshot()!.summary;
    expect(pos).toMatchObject({
      operation: "delete", "added-delete-files": "2", "added-position-delete-files": "2", "added-position-deletes": "6",
      "total-delete-files": "2", "total-position-deletes": "6", "total-equality-deletes": "0", "total-records": "10", "total-data-files": "1",
    });
    expect(pos).not.toHaveProperty("added-equality-delete-files");
    expect(pos).not.toHaveProperty("added-records");

    table = await table.newRowDelta().addDeletes(eqDelete(table, "us")).addRows(regionFile(table, "us", { rows: 4 })).commit();
    expect(table.currentSnapshot()!.summary).toMatchObject({
      operation: "overwrite", "added-data-files": "1", "added-records": "4",
      "added-delete-files": "1", "added-equality-delete-files": "1", "added-equality-deletes": "10",
      "total-delete-files": "3", "total-equality-deletes": "10", "total-position-deletes": "6", "total-records": "14",
    });
  });

  it("writes delete files to delete manifests (content 1 in the list) with sequence numbers, equality_ids and referenced_data_file", async () => {
    const { table: t0 } = await regionTable();
    const data = regionFile(t0, "eu");
    let table = await t0.newRowDelta().addRows(data).commit();
    table = await table.newRowDelta().addDeletes(posDelete(table, "eu", data.filePath)).addDeletes(eqDelete(table, "eu", [1, 3])).addRows(regionFile(table, "eu")).commit();
    const snap = table.currentSnapshot()!;
    expect(snap.sequenceNumber).toBe(2n);
    const list = readManifestList(readFileSync(toLocalPath(snap.manifestList!)));
    const own = list.filter((m) => m.addedSnapshotId === snap.snapshotId);
    expect(own.map((m) => [m.content, m.sequenceNumber, m.minSequenceNumber, m.addedFilesCount]).sort()).toEqual([[0, 2n, 2n, 1], [1, 2n, 2n, 2]]);
    const deletes = own.find((m) => m.content === 1)!;
    const manifest = readManifest(readFileSync(toLocalPath(deletes.manifestPath)), { manifestFile: deletes });
    expect(manifest.content).toBe(1);
    const byContent = new Map(manifest.entries.map((e) => [e.dataFile.content, e]));
    expect(byContent.get(FileContent.PositionDeletes)!.dataFile.referencedDataFile).toBe(data.filePath);
    expect(byContent.get(FileContent.PositionDeletes)!.sequenceNumber).toBe(2n);
    expect(byContent.get(FileContent.EqualityDeletes)!.dataFile.equalityIds).toEqual([1, 3]);
    expect(byContent.get(FileContent.EqualityDeletes)!.dataFile.referencedDataFile).toBeUndefined();
    // The equality delete (sequence 2) applies to the first data file (1) only, not to the one added with it.
    const tasks = await table.newScan().planFiles();
    const deletesOf = (p: string) => tasks.find((t) => t.file.filePath === p)!.deletes.map((d) => d.file.content).sort();
    expect(deletesOf(data.filePath)).toEqual([FileContent.PositionDeletes, FileContent.EqualityDeletes]);
    expect(tasks.filter((t) => t.file.filePath !== data.filePath).map((t) => t.deletes.length)).toEqual([0]);
  });
});
