import { beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyExistsError, CommitFailedError, FastAppend, NoSuchNamespaceError, NoSuchTableError, type Table, type TableIdentifier,
} from "../src/index.js";
import { GLUE_COMMIT_CLAIM, GlueCatalog, METADATA_LOCATION_PARAM } from "../src/catalog/glue/index.js";
import { S3FileIO } from "../src/io/s3/index.js";
import { motoPeer, pythonPeer, runPython, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { createBucket, motoProps, pageList, startJsonRewriteProxy } from "./util/aws-moto.js";
import { dataFile, SCHEMA, SPEC } from "./util/fixtures.js";

let moto: MotoPeer;
let bucket: string;
const catalogOf = (extra: Record<string, string> = {}, client?: unknown): GlueCatalog =>
  new GlueCatalog({
    warehouse: `s3://${bucket}/wh`, region: moto.region, endpoint: moto.endpoint, properties: { ...motoProps(moto), ...extra },
    ...(client ? { client: client as never } : {}),
  });

beforeAll(async () => {
  moto = await motoPeer();
  bucket = uniqueName("glue").replaceAll("_", "-");
  await createBucket(moto, bucket);
});

async function rawGlueTable(catalog: GlueCatalog, db: string, name: string) {
  const sdk = await import("@aws-sdk/client-glue");
  return (await (await catalog.client()).send(new sdk.GetTableCommand({ DatabaseName: db, Name: name }))).Table!;
}

const append = async (table: Table, name: string, rows = 10n): Promise<Table> =>
  new FastAppend(table, { minWaitMs: 5, maxWaitMs: 50 }).appendFile(dataFile(`${table.location()}/data/${name}.parquet`, [19000, 1, null, null], rows)).commit();

describe("GlueCatalog", () => {
  it("creates databases and Iceberg tables the way Java's and PyIceberg's GlueCatalog do", async () => {
    const catalog = catalogOf();
    const db = uniqueName("db");
    await catalog.createNamespace([db], { Description: "sales data", owner: "team-a" });
    await expect(catalog.createNamespace([db])).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await catalog.namespaceExists([db])).toBe(true);
    expect(await catalog.namespaceExists([`${db}_nope`])).toBe(false);
    expect(await catalog.listNamespaces()).toContainEqual([db]);
    const id: TableIdentifier = { namespace: [db], name: "orders" };
    const table = await catalog.createTable(id, { schema: SCHEMA, partitionFields: SPEC.fields, properties: { "write.format.default": "parquet" } });
    expect(table.location()).toBe(`s3://${bucket}/wh/${db}.db/orders`);
    expect(table.metadataLocation).toMatch(new RegExp(`^s3://${bucket}/wh/${db}\\.db/orders/metadata/00000-[0-9a-f-]{36}\\.metadata\\.json$`));
    await expect(catalog.createTable(id, { schema: SCHEMA })).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(catalog.createTable({ namespace: [`${db}_nope`], name: "x" }, { schema: SCHEMA })).rejects.toBeInstanceOf(NoSuchNamespaceError);

    const glue = await rawGlueTable(catalog, db, "orders");
    expect(glue.TableType).toBe("EXTERNAL_TABLE");
    expect(glue.Parameters).toMatchObject({ table_type: "ICEBERG", metadata_location: table.metadataLocation, "write.format.default": "parquet" });
    expect(glue.Parameters!["previous_metadata_location"]).toBeUndefined();
    expect(glue.StorageDescriptor!.Location).toBe(table.location());
    expect(glue.StorageDescriptor!.Columns).toEqual([
      { Name: "id", Type: "bigint", Parameters: { "iceberg.field.id": "1", "iceberg.field.optional": "false", "iceberg.field.current": "true" } },
      { Name: "name", Type: "string", Parameters: { "iceberg.field.id": "2", "iceberg.field.optional": "true", "iceberg.field.current": "true" } },
      { Name: "ts", Type: "timestamp", Parameters: { "iceberg.field.id": "3", "iceberg.field.optional": "true", "iceberg.field.current": "true" } },
      { Name: "amount", Type: "decimal(12,2)", Parameters: { "iceberg.field.id": "4", "iceberg.field.optional": "true", "iceberg.field.current": "true" } },
      { Name: "u", Type: "string", Parameters: { "iceberg.field.id": "5", "iceberg.field.optional": "true", "iceberg.field.current": "true" } },
    ]);
  });

  it("commits with UpdateTable, keeps the previous metadata location, loads, lists only Iceberg tables", async () => {
    const catalog = catalogOf();
    const db = uniqueName("db");
    await catalog.createNamespace([db]);
    const id = { namespace: [db], name: "events" };
    const t0 = await catalog.createTable(id, { schema: SCHEMA, partitionFields: SPEC.fields });
    const t1 = await append(t0, "a");
    const t2 = await append(t1, "b", 5n);
    expect(t2.metadataLocation).toMatch(/\/metadata\/00002-[0-9a-f-]{36}\.metadata\.json$/);
    const glue = await rawGlueTable(catalog, db, "events");
    expect(glue.Parameters).toMatchObject({ metadata_location: t2.metadataLocation, previous_metadata_location: t1.metadataLocation });
    const loaded = await catalog.loadTable(id);
    expect(loaded.metadata).toEqual(t2.metadata);
    expect(loaded.metadata.metadataLog.map((m) => m.metadataFile)).toEqual([t0.metadataLocation, t1.metadataLocation]);
    expect((await loaded.newScan().planFiles()).length).toBe(2);
    // A Hive table in the same database is not listed.
    const sdk = await import("@aws-sdk/client-glue");
    await (await catalog.client()).send(new sdk.CreateTableCommand({ DatabaseName: db, TableInput: { Name: "hive_t", TableType: "EXTERNAL_TABLE", Parameters: { classification: "csv" } } }));
    expect(await catalog.listTables([db])).toEqual([id]);
    expect(await catalog.tableExists({ namespace: [db], name: "hive_t" })).toBe(false);
    await expect(catalog.loadTable({ namespace: [db], name: "hive_t" })).rejects.toBeInstanceOf(NoSuchTableError);
    await expect(catalog.listTables([`${db}_nope`])).rejects.toBeInstanceOf(NoSuchNamespaceError);
  });

  it("lists every page of GetTables and GetDatabases (pages cut by a proxy: moto answers in one page)", async () => {
    const pager = await startJsonRewriteProxy(moto.endpoint, (op, req, res) =>
      op === "GetTables" ? pageList(res, "TableList", req, 20) : op === "GetDatabases" ? pageList(res, "DatabaseList", req, 2) : undefined);
    const catalog = new GlueCatalog({ warehouse: `s3://${bucket}/wh`, region: moto.region, endpoint: pager.url, properties: motoProps(moto) });
    const db = uniqueName("db");
    await catalog.createNamespace([db]);
    const names = Array.from({ length: 105 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    for (let i = 0; i < names.length; i += 15) {
      await Promise.all(names.slice(i, i + 15).map((name) => catalog.createTable({ namespace: [db], name }, { schema: SCHEMA })));
    }
    pager.calls.clear();
    expect((await catalog.listTables([db])).map((t) => t.name).sort()).toEqual(names);
    expect(pager.calls.get("GetTables")).toBe(6);
    for (const extra of ["x1", "x2", "x3"]) await catalog.createNamespace([`${db}_${extra}`]);
    const all = await catalog.listNamespaces();
    for (const extra of ["", "_x1", "_x2", "_x3"]) expect(all).toContainEqual([`${db}${extra}`]);
    expect(pager.calls.get("GetDatabases")).toBeGreaterThanOrEqual(2);
    await pager.close();
  });

  it("renames by create + delete and drops with or without purging files", async () => {
    const catalog = catalogOf();
    const db = uniqueName("db");
    await catalog.createNamespace([db]);
    const a = { namespace: [db], name: "a" };
    const b = { namespace: [db], name: "b" };
    const t = await append(await catalog.createTable(a, { schema: SCHEMA, partitionFields: SPEC.fields }), "f1");
    await catalog.renameTable(a, b);
    expect(await catalog.tableExists(a)).toBe(false);
    const moved = await catalog.loadTable(b);
    expect(moved.metadataLocation).toBe(t.metadataLocation);
    expect((await rawGlueTable(catalog, db, "b")).StorageDescriptor!.Columns!.length).toBe(5);
    await expect(catalog.renameTable(a, b)).rejects.toBeInstanceOf(NoSuchTableError);

    const io = new S3FileIO(motoProps(moto));
    await catalog.dropTable(b);
    expect(await io.newInputFile(t.metadataLocation).exists()).toBe(true);
    await expect(catalog.loadTable(b)).rejects.toBeInstanceOf(NoSuchTableError);

    const c = { namespace: [db], name: "c" };
    const tc = await append(await catalog.createTable(c, { schema: SCHEMA }), "f2");
    await io.newOutputFile(`${tc.location()}/data/f2.parquet`).write(new Uint8Array([1, 2, 3]));
    await catalog.dropTable(c, { purge: true });
    const left = [];
    for await (const f of io.list(tc.location())) left.push(f.location);
    expect(left).toEqual([]);
    await expect(catalog.dropTable(c)).rejects.toBeInstanceOf(NoSuchTableError);
  });

  it("fails a commit whose base metadata location went stale (moto ignores VersionId), and the append retries onto the winner", async () => {
    const db = uniqueName("db");
    const setup = catalogOf();
    await setup.createNamespace([db]);
    const id = { namespace: [db], name: "race" };
    await setup.createTable(id, { schema: SCHEMA, partitionFields: SPEC.fields });
    const rival = catalogOf();
    // A Glue client that lets a rival commit land between our commit's first GetTable and its re-check.
    const real = await setup.client();
    let getTables = 0;
    let rivalDone = false;
    const racing = {
      send: async (cmd: { constructor: { name: string } }) => {
        const out = await real.send(cmd as never);
        if (cmd.constructor.name === "GetTableCommand" && !rivalDone && ++getTables === 2) {
          rivalDone = true;
          await append(await rival.loadTable(id), "rival");
        }
        return out;
      },
    };
    const ours = catalogOf({}, racing);
    const base = await ours.loadTable(id);
    // The commit itself: CommitFailedError naming expected vs actual location.
    const direct = await ours.commitTable(id, [], [{ action: "set-properties", updates: { k: "v" } }]).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(CommitFailedError);
    expect(String((direct as Error).message)).toMatch(/expected metadata location .*00000-.*, got .*00001-/);
    // Through FastAppend: the failed attempt refreshes and retries, both batches land.
    rivalDone = false;
    getTables = 0;
    const after = await append(await ours.loadTable(id), "ours");
    const files = (await after.newScan().planFiles()).map((t) => t.file.filePath.split("/").pop()).sort();
    // One rival append landed during each of the two attempts above.
    expect(files).toEqual(["ours.parquet", "rival.parquet", "rival.parquet"]);
    expect(base.metadataLocation).toMatch(/00000-/);
    // The loser's metadata file was removed.
    const metas = [];
    for await (const f of new S3FileIO(motoProps(moto)).list(`${after.location()}/metadata`)) if (f.location.endsWith(".metadata.json")) metas.push(f.location);
    expect(metas.length).toBe(after.metadata.metadataLog.length + 1);
  });

  it("maps Glue's ConcurrentModificationException to a retryable CommitFailedError", async () => {
    const db = uniqueName("db");
    const setup = catalogOf();
    await setup.createNamespace([db]);
    const id = { namespace: [db], name: "cme" };
    await setup.createTable(id, { schema: SCHEMA });
    const real = await setup.client();
    const failing = {
      send: async (cmd: { constructor: { name: string } }) => {
        if (cmd.constructor.name === "UpdateTableCommand") throw Object.assign(new Error("Update table failed due to concurrent modifications."), { name: "ConcurrentModificationException", $metadata: { httpStatusCode: 400 } });
        return real.send(cmd as never);
      },
    };
    const err = await catalogOf({}, failing).commitTable(id, [], [{ action: "set-properties", updates: { k: "v" } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitFailedError);
    expect((await setup.loadTable(id)).metadataLocation).toMatch(/00000-/);
  });

  it("lets two truly concurrent appends both land: one wins, the other retries (with the commit claim moto needs)", async () => {
    const db = uniqueName("db");
    const catalog = catalogOf({ [GLUE_COMMIT_CLAIM]: "true" });
    await catalog.createNamespace([db]);
    const id = { namespace: [db], name: "conc" };
    const t0 = await catalog.createTable(id, { schema: SCHEMA, partitionFields: SPEC.fields });
    const other = catalogOf({ [GLUE_COMMIT_CLAIM]: "true" });
    const t0b = await other.loadTable(id);
    await Promise.all([append(t0, "x1"), append(t0b, "x2"), append(t0, "x3")]);
    const final = await catalog.loadTable(id);
    const files = (await final.newScan().planFiles()).map((t) => t.file.filePath.split("/").pop()).sort();
    expect(files).toEqual(["x1.parquet", "x2.parquet", "x3.parquet"]);
    expect(final.snapshots()).toHaveLength(3);
    expect(final.metadataLocation).toMatch(/00003-/);
    const glue = await rawGlueTable(catalog, db, "conc");
    expect(glue.Parameters![METADATA_LOCATION_PARAM]).toBe(final.metadataLocation);
  });
});

describe("GlueCatalog with PyIceberg's GlueCatalog on the same moto", () => {
  // PyIceberg's venv has no boto3; the moto venv's boto3/botocore are appended to its sys.path.
  const pyCatalog = `
import sys, glob
sys.path.extend(glob.glob(args["motoVenv"] + "/lib/python3*/site-packages"))
from pyiceberg.catalog.glue import GlueCatalog
cat = GlueCatalog("glue", **args["props"])
`;
  const pyProps = () => ({
    "glue.endpoint": moto.endpoint, "glue.region": moto.region, "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey,
    "s3.endpoint": moto.endpoint, "s3.region": moto.region, "s3.access-key-id": moto.accessKeyId, "s3.secret-access-key": moto.secretAccessKey,
    warehouse: `s3://${bucket}/pywh`,
  });

  it("PyIceberg loads our table and sees its snapshots and files; we load and append to PyIceberg's table", async () => {
    await pythonPeer();
    const catalog = catalogOf();
    const db = uniqueName("db");
    await catalog.createNamespace([db]);
    const id = { namespace: [db], name: "shared" };
    const t = await append(await append(await catalog.createTable(id, { schema: SCHEMA, partitionFields: SPEC.fields }), "p1", 3n), "p2", 4n);
    const motoVenv = moto.python.replace(/\/bin\/python[0-9.]*$/, "");
    const seen = await runPython<{ location: string; snapshots: number; files: string[]; fields: string[]; records: string }>(`${pyCatalog}
t = cat.load_table((args["db"], "shared"))
result = {
  "location": t.metadata_location,
  "snapshots": len(t.metadata.snapshots),
  "files": sorted(task.file.file_path.split("/")[-1] for task in t.scan().plan_files()),
  "fields": [f.name for f in t.schema().fields],
  "records": t.current_snapshot().summary["total-records"],
}
`, { props: pyProps(), db, motoVenv }, { env: moto.env });
    expect(seen).toEqual({ location: t.metadataLocation, snapshots: 2, files: ["p1.parquet", "p2.parquet"], fields: ["id", "name", "ts", "amount", "u"], records: "7" });

    const made = await runPython<{ location: string }>(`${pyCatalog}
from pyiceberg.schema import Schema
from pyiceberg.types import NestedField, LongType, StringType
t = cat.create_table((args["db"], "from_py"), Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "s", StringType())))
result = {"location": t.metadata_location}
`, { props: pyProps(), db, motoVenv }, { env: moto.env });
    const pyTable = await catalog.loadTable({ namespace: [db], name: "from_py" });
    expect(pyTable.metadataLocation).toBe(made.location);
    await new FastAppend(pyTable).appendFile({ ...dataFile(`${pyTable.location()}/data/ours.parquet`, [], 2n), partition: [] }).commit();
    const back = await runPython<{ files: string[]; previous: string; records: string }>(`${pyCatalog}
t = cat.load_table((args["db"], "from_py"))
g = cat.glue.get_table(DatabaseName=args["db"], Name="from_py")["Table"]
result = {"files": [task.file.file_path.split("/")[-1] for task in t.scan().plan_files()], "previous": g["Parameters"]["previous_metadata_location"], "records": t.current_snapshot().summary["total-records"]}
`, { props: pyProps(), db, motoVenv }, { env: moto.env });
    expect(back).toEqual({ files: ["ours.parquet"], previous: made.location, records: "2" });
  });
});
