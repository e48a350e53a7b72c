import { statSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import {
  CommitConflictError, DEFAULT_NAME_MAPPING, FileContent, NoSuchTableError, RestCatalog, eq, expireSnapshots, liveFiles, nameMappingFromSchema, nameMappingToJson, parseTransform,
  readManifestList, type DataFile, type Table,
} from "../src/index.js";
import { peerSkipped, restCatalogPeer, runPython, uniqueName } from "../../../test/util/peers.js";
import { REGION_SCHEMA } from "./util/tables.js";

// Our RestCatalog against the Apache Iceberg REST fixture (RESTCatalogServer over a JdbcCatalog),
// checked by PyIceberg through the same REST catalog.

/** Writes a Parquet file with Iceberg field ids (PARQUET:field_id) using PyArrow; returns its row count. */
async function writeParquet(file: string, rows: { id: number; region: string; n: number }[], options: { fieldIds?: boolean } = {}): Promise<number> {
  return runPython(`
import pyarrow as pa, pyarrow.parquet as pq
ids = args["fieldIds"]
md = lambda i: {b"PARQUET:field_id": str(i).encode()} if ids else None
schema = pa.schema([
  pa.field("id", pa.int64(), nullable=False, metadata=md(1)),
  pa.field("region", pa.string(), metadata=md(2)),
  pa.field("n", pa.int32(), metadata=md(3)),
])
rows = args["rows"]
t = pa.table({"id": [r["id"] for r in rows], "region": [r["region"] for r in rows], "n": [r["n"] for r in rows]}, schema=schema)
pq.write_table(t, args["file"])
result = t.num_rows`, { file, rows, fieldIds: options.fieldIds !== false });
}

function describeFile(table: Table, location: string, local: string, region: string, rows: number): DataFile {
  return {
    content: FileContent.Data, filePath: location, fileFormat: "PARQUET", partition: [region], recordCount: BigInt(rows),
    fileSizeInBytes: BigInt(statSync(local).size), specId: table.spec().specId,
  };
}

describe.skipIf(peerSkipped("rest-catalog") || peerSkipped("python"))("RestCatalog against the Apache Iceberg REST fixture", () => {
  let uri: string;
  beforeAll(async () => {
    uri = (await restCatalogPeer()).url;
  }, 600_000);

  it("creates a namespace and table, appends and overwrites through our producers; PyIceberg reads the rows and appends back", async () => {
    const catalog = new RestCatalog({ uri });
    const ns = [uniqueName("ns")];
    await catalog.createNamespace(ns, { owner: "engine" });
    expect(await catalog.namespaceExists(ns)).toBe(true);
    const id = { namespace: ns, name: "orders" };
    let table = await catalog.createTable(id, {
      schema: REGION_SCHEMA, partitionFields: [{ sourceId: 2, fieldId: 1000, name: "region", transform: parseTransform("identity") }],
    });
    const add = async (t: Table, name: string, region: string, rows: { id: number; region: string; n: number }[]): Promise<DataFile> => {
      const location = `${t.location()}/data/region=${region}/${name}`;
      const local = t.io.localPath(location)!;
      mkdirSync(local.slice(0, local.lastIndexOf("/")), { recursive: true });
      const n = await writeParquet(local, rows);
      return describeFile(t, location, local, region, n);
    };
    const eu = await add(table, "eu-1.parquet", "eu", [{ id: 1, region: "eu", n: 10 }, { id: 2, region: "eu", n: 20 }]);
    const us = await add(table, "us-1.parquet", "us", [{ id: 3, region: "us", n: 30 }]);
    table = await table.newAppend().appendFile(eu).appendFile(us).setProperty("engine.load-id", "L1").commit();
    const eu2 = await add(table, "eu-2.parquet", "eu", [{ id: 4, region: "eu", n: 40 }]);
    table = await table.newOverwrite().overwriteByFilter(eq("region", "eu")).addFile(eu2).commit();
    expect((await catalog.loadTable(id)).metadataLocation).toBe(table.metadataLocation);

    const seen = await runPython<{ rows: [number, string, number][]; ops: string[]; loadId: string; files: number; appended: number }>(`
from pyiceberg.catalog import load_catalog
import pyarrow as pa
cat = load_catalog("rest", **{"type": "rest", "uri": args["uri"]})
t = cat.load_table((*args["ns"], "orders"))
rows = sorted(t.scan().to_arrow().to_pylist(), key=lambda r: r["id"])
ops = [s.summary.operation.value for s in t.metadata.snapshots]
load_id = t.metadata.snapshots[0].summary["engine.load-id"]
files = len(t.inspect.files())
t.append(pa.table({"id": pa.array([5], pa.int64()), "region": ["ap"], "n": pa.array([50], pa.int32())}, schema=t.schema().as_arrow()))
result = {"rows": [[r["id"], r["region"], r["n"]] for r in rows], "ops": ops, "loadId": load_id, "files": files, "appended": len(t.scan().to_arrow())}
`, { uri, ns });
    expect(seen.rows).toEqual([[3, "us", 30], [4, "eu", 40]]);
    expect(seen.ops).toEqual(["append", "overwrite"]);
    expect(seen.loadId).toBe("L1");
    expect(seen.files).toBe(2);
    expect(seen.appended).toBe(3);

    // PyIceberg's commit is visible to us, and our next append goes on top of it.
    const after = await catalog.loadTable(id);
    expect(after.snapshots().length).toBe(3);
    expect((await after.newScan().planFiles()).length).toBe(3);
    const us2 = await add(after, "us-2.parquet", "us", [{ id: 6, region: "us", n: 60 }]);
    const last = await after.newAppend().appendFile(us2).commit();
    expect(last.currentSnapshot()!.summary["total-records"]).toBe("4");
    const total = await runPython<number>(`
from pyiceberg.catalog import load_catalog
t = load_catalog("rest", **{"type": "rest", "uri": args["uri"]}).load_table((*args["ns"], "orders"))
result = len(t.scan().to_arrow())`, { uri, ns });
    expect(total).toBe(4);
  }, 600_000);

  it("PyIceberg reads what merged manifests, deletes, rewrites and expiry leave, and resolves files without field ids by our name mapping", async () => {
    const catalog = new RestCatalog({ uri });
    const ns = [uniqueName("ns")];
    await catalog.createNamespace(ns);
    const id = { namespace: ns, name: "events" };
    let table = await catalog.createTable(id, {
      schema: REGION_SCHEMA, partitionFields: [{ sourceId: 2, fieldId: 1000, name: "region", transform: parseTransform("identity") }],
      properties: { "commit.manifest.min-count-to-merge": "3" },
    });
    table = await table.updateProperties().set(DEFAULT_NAME_MAPPING, nameMappingToJson(nameMappingFromSchema(table.schema()))).commit();
    const files: DataFile[] = [];
    for (let i = 0; i < 7; i++) {
      const region = i % 2 === 0 ? "eu" : "us";
      const location = `${table.location()}/data/region=${region}/f${i}.parquet`;
      const local = table.io.localPath(location)!;
      mkdirSync(local.slice(0, local.lastIndexOf("/")), { recursive: true });
      // f4 and f6 (which stay live) have no Parquet field ids: readers must use schema.name-mapping.default.
      const n = await writeParquet(local, [{ id: i, region, n: i * 10 }], { fieldIds: i < 4 });
      const f = describeFile(table, location, local, region, n);
      files.push(f);
      table = await table.newAppend().appendFile(f).commit();
    }
    expect(readManifestList(await table.io.newInputFile(table.currentSnapshot()!.manifestList!).read()).length).toBeLessThanOrEqual(3);
    table = await table.newDelete().deleteFromRowFilter(eq("region", "us")).commit();
    // Compact f0 + f2 into one file.
    const location = `${table.location()}/data/region=eu/f0-f2.parquet`;
    const local = table.io.localPath(location)!;
    const n = await writeParquet(local, [{ id: 0, region: "eu", n: 0 }, { id: 2, region: "eu", n: 20 }]);
    table = await table.newRewriteFiles().rewriteFiles([files[0]!, files[2]!], [describeFile(table, location, local, "eu", n)]).commit();
    const expired = await expireSnapshots(table, { olderThanMs: Date.now() + 1000, retainLast: 1 });
    expect(expired.expiredSnapshotIds.length).toBe(table.snapshots().length - 1);
    table = expired.table;
    expect((await liveFiles(table)).length).toBe(3);
    const seen = await runPython<{ rows: [number, string, number][]; snapshots: number; op: string }>(`
from pyiceberg.catalog import load_catalog
t = load_catalog("rest", **{"type": "rest", "uri": args["uri"]}).load_table((*args["ns"], "events"))
rows = sorted(t.scan().to_arrow().to_pylist(), key=lambda r: r["id"])
result = {"rows": [[r["id"], r["region"], r["n"]] for r in rows], "snapshots": len(t.metadata.snapshots), "op": t.current_snapshot().summary.operation.value}
`, { uri, ns });
    expect(seen).toEqual({ rows: [[0, "eu", 0], [2, "eu", 20], [4, "eu", 40], [6, "eu", 60]], snapshots: 1, op: "replace" });
  }, 600_000);

  it("retries appends over the fixture's real 409s and fails a conflicting overwrite with CommitConflictError", async () => {
    const catalog = new RestCatalog({ uri });
    const ns = [uniqueName("ns")];
    await catalog.createNamespace(ns);
    const id = { namespace: ns, name: "races" };
    const created = await catalog.createTable(id, {
      schema: REGION_SCHEMA, partitionFields: [{ sourceId: 2, fieldId: 1000, name: "region", transform: parseTransform("identity") }],
    });
    const file = (t: Table, region: string, name: string): DataFile => ({
      content: FileContent.Data, filePath: `${t.location()}/data/region=${region}/${name}`, fileFormat: "PARQUET", partition: [region],
      recordCount: 1n, fileSizeInBytes: 10n, specId: t.spec().specId,
    });
    // Four appends from the same stale table: the fixture rejects all but one per round; all must land.
    await Promise.all([0, 1, 2, 3].map((i) => created.newAppend({ minWaitMs: 5, maxWaitMs: 50, numRetries: 20 }).appendFile(file(created, "eu", `a${i}.parquet`)).commit()));
    const table = await catalog.loadTable(id);
    expect(table.snapshots().length).toBe(4);
    expect(table.currentSnapshot()!.summary["total-data-files"]).toBe("4");
    const overwrite = table.newOverwrite({ minWaitMs: 5 }).overwriteByFilter(eq("region", "eu")).addFile(file(table, "eu", "new.parquet"));
    await table.newAppend().appendFile(file(table, "eu", "late.parquet")).commit();
    await expect(overwrite.commit()).rejects.toBeInstanceOf(CommitConflictError);
    await expect(catalog.loadTable({ namespace: ns, name: "missing" })).rejects.toBeInstanceOf(NoSuchTableError);
  }, 600_000);
});
