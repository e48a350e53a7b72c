import { promises as fsp, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AlreadyExistsError, CommitAbortedError, CommitFailedError, CommitStateUnknownError, FastAppend, FileSystemCatalog, LocalFileIO, NoSuchTableError, Table, and, applyTransform, eq, gtEq, lt,
  parseTransform, readAvroFile, type TableIdentifier,
} from "../src/index.js";
import { dataFile, SCHEMA, SPEC } from "./util/fixtures.js";

const fresh = (): FileSystemCatalog => new FileSystemCatalog({ warehouse: mkdtempSync(path.join(tmpdir(), "iceberg-fs-")) });
const ID: TableIdentifier = { namespace: ["sales"], name: "orders" };
const day = (iso: string): number => applyTransform(parseTransform("day"), { kind: "primitive", name: "date" }, Math.floor(Date.parse(iso) / 86_400_000)) as number;

describe("FileSystemCatalog", () => {
  it("creates a table as v1.metadata.json with a version hint, and refuses to create it twice", async () => {
    const catalog = fresh();
    const table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: SPEC.fields });
    const meta = path.join(catalog.warehouse, "sales/orders/metadata");
    expect(readdirSync(meta).sort()).toEqual(["v1.metadata.json", "version-hint.text"]);
    expect(readFileSync(path.join(meta, "version-hint.text"), "utf8")).toBe("1");
    expect(table.metadata.formatVersion).toBe(2);
    expect(table.metadata.lastPartitionId).toBe(1003);
    await expect(catalog.createTable(ID, { schema: SCHEMA })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await catalog.listNamespaces()).toEqual([["sales"]]);
    expect(await catalog.listTables(["sales"])).toEqual([ID]);
    await expect(catalog.loadTable({ namespace: ["sales"], name: "nope" })).rejects.toBeInstanceOf(NoSuchTableError);
  });

  it("appends, reloads and keeps history, snapshot log, metadata log and summaries", async () => {
    const catalog = fresh();
    let table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: SPEC.fields });
    table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/a.parquet`, [day("2024-01-05"), 1, null, null], 10n)).setProperty("engine.load-id", "L1").commit();
    table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/b.parquet`, [day("2024-01-06"), 2, null, null], 5n))
      .appendFile(dataFile(`${table.location()}/data/c.parquet`, [day("2024-01-06"), 2, null, null], 7n)).commit();
    const reloaded = await catalog.loadTable(ID);
    expect(reloaded.metadataLocation.endsWith("v3.metadata.json")).toBe(true);
    expect(reloaded.metadata).toEqual(table.metadata);
    const [s1, s2] = reloaded.snapshots();
    expect(s1!.summary["engine.load-id"]).toBe("L1");
    expect(s2!.parentSnapshotId).toBe(s1!.snapshotId);
    expect([s1!.sequenceNumber, s2!.sequenceNumber]).toEqual([1n, 2n]);
    expect(s2!.summary).toMatchObject({
      operation: "append", "added-data-files": "2", "added-records": "12", "changed-partition-count": "1",
      "total-records": "22", "total-data-files": "3", "total-delete-files": "0", "total-position-deletes": "0", "total-equality-deletes": "0",
    });
    expect(s1!.snapshotId > 0n).toBe(true);
    expect(reloaded.history().map((h) => h.snapshotId)).toEqual([s1!.snapshotId, s2!.snapshotId]);
    expect(reloaded.metadata.metadataLog.map((m) => path.basename(m.metadataFile))).toEqual(["v1.metadata.json", "v2.metadata.json"]);
    expect(reloaded.metadata.refs["main"]).toEqual({ snapshotId: s2!.snapshotId, type: "branch" });
    expect(path.basename(s2!.manifestList!)).toMatch(new RegExp(`^snap-${s2!.snapshotId}-1-[0-9a-f-]{36}\\.avro$`));
    const list = readAvroFile(readFileSync(s2!.manifestList!));
    expect(list.records.length).toBe(2); // new manifest + the parent's
    const tasks = await reloaded.newScan().planFiles();
    expect(tasks.map((t) => path.basename(t.file.filePath)).sort()).toEqual(["a.parquet", "b.parquet", "c.parquet"]);
    expect(tasks.find((t) => t.file.filePath.endsWith("a.parquet"))!.dataSequenceNumber).toBe(1n);
    // Readable as a static table (what PyIceberg's StaticTable does with the same files).
    const st = await Table.fromMetadataFile(reloaded.metadataLocation, { io: new LocalFileIO() });
    expect((await st.newScan().planFiles()).length).toBe(3);
  });

  it("time-travels by snapshot id, timestamp and ref, using the snapshot's schema", async () => {
    const catalog = fresh();
    let table = await catalog.createTable(ID, { schema: SCHEMA });
    table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/a.parquet`, [], 10n)).commit();
    const first = table.currentSnapshot()!;
    await new Promise((r) => setTimeout(r, 5));
    table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/b.parquet`, [], 5n)).commit();
    await catalog.commitTable(ID, [], [{ action: "set-snapshot-ref", refName: "v1-tag", snapshotId: first.snapshotId, type: "tag" }]);
    table = await table.refresh();
    const count = async (o: object) => (await table.newScan(o).planFiles()).length;
    expect(await count({ snapshotId: first.snapshotId })).toBe(1);
    expect(await count({ asOfTimestampMs: first.timestampMs })).toBe(1);
    expect(await count({ ref: "v1-tag" })).toBe(1);
    expect(await count({})).toBe(2);
    expect(table.newScan({ ref: "v1-tag" }).schema().schemaId).toBe(0);
    expect(() => table.snapshotAsOf(first.timestampMs - 1n)).toThrow(/expected a snapshot at or before/);
    expect(() => table.snapshotByRef("nope")).toThrow(/ref nope/);
  });

  it("rejects a commit whose requirement no longer holds", async () => {
    const catalog = fresh();
    await catalog.createTable(ID, { schema: SCHEMA });
    await expect(catalog.commitTable(ID, [{ type: "assert-ref-snapshot-id", ref: "main", snapshotId: 5n }], [])).rejects.toBeInstanceOf(CommitFailedError);
    await expect(catalog.commitTable(ID, [{ type: "assert-current-schema-id", currentSchemaId: 3 }], [])).rejects.toThrow(/expected current-schema-id 3, got 0/);
    await catalog.commitTable(ID, [{ type: "assert-current-schema-id", currentSchemaId: 0 }], [{ action: "set-properties", updates: { k: "v" } }]);
    expect((await catalog.loadTable(ID)).properties()).toEqual({ k: "v" });
  });

  it("lets exactly one of two concurrent committers win each version; retried appends all land", async () => {
    const catalog = fresh();
    const created = await catalog.createTable(ID, { schema: SCHEMA });
    // Two raw commits racing on the same base version: one must fail.
    const results = await Promise.allSettled([
      catalog.commitTable(ID, [], [{ action: "set-properties", updates: { a: "1" } }]),
      catalog.commitTable(ID, [], [{ action: "set-properties", updates: { b: "1" } }]),
    ]);
    const won = results.filter((r) => r.status === "fulfilled").length;
    expect(won).toBeGreaterThanOrEqual(1);
    if (won === 1) expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(CommitFailedError);
    // Six appenders from the same stale table: all must land through refresh + retry.
    const n = 6;
    await Promise.all(Array.from({ length: n }, (_, i) =>
      new FastAppend(created, { numRetries: 30, minWaitMs: 5, maxWaitMs: 100 })
        .appendFile(dataFile(`${created.location()}/data/f${i}.parquet`, [], BigInt(i + 1))).commit()));
    const table = await catalog.loadTable(ID);
    const tasks = await table.newScan().planFiles();
    expect(tasks.map((t) => path.basename(t.file.filePath)).sort()).toEqual(Array.from({ length: n }, (_, i) => `f${i}.parquet`));
    expect(table.snapshots().length).toBe(n);
    expect(table.snapshots().map((s) => s.sequenceNumber)).toEqual(Array.from({ length: n }, (_, i) => BigInt(i + 1)));
    expect(table.currentSnapshot()!.summary["total-records"]).toBe(String((n * (n + 1)) / 2));
    const versions = readdirSync(path.join(catalog.warehouse, "sales/orders/metadata")).filter((f) => /^v\d+\.metadata\.json$/.test(f));
    expect(versions.length).toBe(1 + won + n);
  });

  it("prunes files outside a day predicate by partition and by column bounds", async () => {
    const catalog = fresh();
    let table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: [SPEC.fields[0]!] });
    for (const d of ["2024-01-04", "2024-01-05", "2024-01-06"]) {
      table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/${d}.parquet`, [day(d)], 1n)).commit();
    }
    const names = async (filter: Parameters<Table["newScan"]>[0]) =>
      (await table.newScan(filter).planFiles()).map((t) => path.basename(t.file.filePath)).sort();
    expect(await names({ filter: and(gtEq("ts", "2024-01-05T00:00:00Z"), lt("ts", "2024-01-06T00:00:00Z")) })).toEqual(["2024-01-05.parquet"]);
    expect(await names({ filter: gtEq("ts", "2024-01-05T12:00:00Z") })).toEqual(["2024-01-05.parquet", "2024-01-06.parquet"]);
    // Column bounds of id are [1, 9] in every file.
    expect(await names({ filter: eq("id", 100) })).toEqual([]);
    expect(await names({ filter: eq("id", 5) })).toHaveLength(3);
  });
});

describe("LocalFileIO.createExclusive", () => {
  it("lets one of many concurrent writers create a file and the others get AlreadyExistsError", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "iceberg-io-"));
    const io = new LocalFileIO();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => io.newOutputFile(path.join(dir, "x.json")).createExclusive(Buffer.from(`writer ${i}`))));
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
    expect(readdirSync(dir)).toEqual(["x.json"]);
    expect(new TextDecoder().decode(await io.newInputFile(`file://${dir}/x.json`).read())).toMatch(/^writer \d$/);
  });
});

describe("FileSystemCatalog.commitTable failures", () => {
  afterEach(() => { vi.restoreAllMocks(); });
  const enospc = (): NodeJS.ErrnoException => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  const metadataFiles = (catalog: FileSystemCatalog): string[] => readdirSync(path.join(catalog.warehouse, "sales/orders/metadata")).sort();

  it("reports no space for the new metadata file as CommitAbortedError (nothing committed), does not retry, and removes the commit's files", async () => {
    const catalog = fresh();
    const table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: SPEC.fields });
    const writeFile = fsp.writeFile;
    const spy = vi.spyOn(fsp, "writeFile").mockImplementation(async (file, ...rest) => {
      if (/\.v2\.metadata\.json\.[^/]*\.tmp$/.test(String(file))) throw enospc();
      return writeFile(file, ...rest);
    });
    const error = await table.newAppend().appendFile(dataFile(`${table.location()}/data/a.parquet`, [day("2024-01-05"), 1, null, null])).commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommitAbortedError);
    expect(error).toBeInstanceOf(CommitFailedError);
    expect(error).not.toBeInstanceOf(CommitStateUnknownError);
    expect((error as Error).message).toMatch(/^catalog: sales\.orders: writing metadata v2 failed before its atomic swap, nothing was committed: .*no space left on device/);
    expect(spy.mock.calls.filter(([f]) => /\.v2\.metadata\.json\./.test(String(f)))).toHaveLength(1);
    // The manifest and manifest list were removed; the table is still at v1 with no snapshot.
    expect(metadataFiles(catalog)).toEqual(["v1.metadata.json", "version-hint.text"]);
    expect((await catalog.loadTable(ID)).snapshots()).toEqual([]);
  });

  it("reports a failure of the swap itself (link) as CommitStateUnknownError and keeps the commit's files", async () => {
    const catalog = fresh();
    const table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: SPEC.fields });
    vi.spyOn(fsp, "link").mockRejectedValueOnce(Object.assign(new Error("EIO: i/o error, link"), { code: "EIO" }));
    const error = await table.newAppend().appendFile(dataFile(`${table.location()}/data/a.parquet`, [day("2024-01-05"), 1, null, null])).commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommitStateUnknownError);
    expect((error as Error).message).toMatch(/outcome unknown: EIO/);
    expect(metadataFiles(catalog).filter((f) => f.endsWith(".avro"))).toHaveLength(2);
  });
  it("keeps what it committed for the next commit, equal to a fresh parse of the file, and never serves a recreated table's old metadata", async () => {
    const catalog = fresh();
    let table = await catalog.createTable(ID, { schema: SCHEMA, partitionFields: SPEC.fields });
    for (let i = 0; i < 5; i++) {
      table = await table.newAppend().appendFile(dataFile(`${table.location()}/data/f${i}.parquet`, [day("2024-01-05"), i, null, null], BigInt(i + 1))).commit();
    }
    // Another catalog on the same folder has no cache: it parses every file.
    const other = new FileSystemCatalog({ warehouse: catalog.warehouse });
    const cached = await catalog.loadTable(ID);
    const parsed = await other.loadTable(ID);
    expect(cached.metadataLocation).toBe(parsed.metadataLocation);
    expect(cached.metadata).toEqual(parsed.metadata);
    expect(cached.snapshots()).toHaveLength(5);
    // `other` holds the parsed v6 of this table. Drop it and build a new table under the same name
    // up to v6 again: `other` must read the new file, not its old parse.
    await catalog.dropTable(ID);
    let again = await catalog.createTable(ID, { schema: SCHEMA });
    for (let i = 0; i < 5; i++) again = await again.newAppend().appendFile(dataFile(`${again.location()}/data/g${i}.parquet`, [], 1n)).commit();
    expect(again.metadataLocation).toBe(parsed.metadataLocation);
    const seen = await other.loadTable(ID);
    expect(seen.metadata.tableUuid).toBe(again.metadata.tableUuid);
    expect(seen.metadata.tableUuid).not.toBe(parsed.metadata.tableUuid);
    expect(seen.metadata.partitionSpecs[0]!.fields).toEqual([]);
  });

  it("writes compact metadata JSON, as the Java library does", async () => {
    const catalog = fresh();
    await catalog.createTable(ID, { schema: SCHEMA });
    const text = readFileSync(path.join(catalog.warehouse, "sales/orders/metadata/v1.metadata.json"), "utf8");
    expect(text).not.toContain("\n");
    expect(JSON.parse(text)["format-version"]).toBe(2);
  });
});
