import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3FileIO } from "@engine/iceberg/io/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbSession, Engine, type EngineOptions } from "../src/index.js";
import { checksumObjects, motoPeer, peerSkipped, pythonPeer, runPython, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { athenaQueriesSeen, createBucket, motoAws, motoProps, seedAthenaResults, startFaultProxy, type FaultProxy } from "./util/aws-moto.js";

// Engine on AWS, end to end against moto: an s3:// warehouse, the Glue catalog, loads that upload
// what DuckDB writes, queries that read S3 files through the local cache, and PyIceberg's own
// GlueCatalog reading the result.

const HEADER = "order_id,customer,amount,order_ts,updated_at\n";
const BATCH_1 = [
  "1,alice,10.50,2024-01-05T10:00:00Z,2024-01-05T10:00:00Z",
  "2,bob,3.25,2024-01-06T11:00:00Z,2024-01-06T11:00:00Z",
  "2,bob,3.50,2024-01-06T11:00:00Z,2024-01-06T12:00:00Z", // a later duplicate: dedupe keeps it
  "3,carol,7.00,2024-01-06T13:00:00Z,2024-01-06T13:00:00Z",
  "4,dan,1.00,2024-01-07T09:00:00Z,2024-01-07T09:00:00Z",
];
const BATCH_2 = [
  "2,bob,4.00,2024-01-06T11:00:00Z,2024-01-08T00:00:00Z", // update in place
  "3,carol,6.00,2024-01-06T13:00:00Z,2024-01-07T00:00:00Z", // older duplicate within the batch
  "3,carol,7.25,2024-01-08T13:00:00Z,2024-01-08T01:00:00Z", // update that moves to another day
  "5,erin,9.99,2024-01-08T08:00:00Z,2024-01-08T08:00:00Z", // insert
  "1,alice,0.01,2024-01-05T10:00:00Z,2024-01-01T00:00:00Z", // older than the table's row: ignored
];
const BATCH_3 = [
  "4,dan,2.00,2024-01-07T09:00:00Z,2024-01-09T00:00:00Z",
  "6,fay,5.00,2024-01-09T10:00:00Z,2024-01-09T10:00:00Z",
  "7,gus,6.00,2024-01-10T10:00:00Z,2024-01-10T10:00:00Z",
];

const spec = (table: string, file: string) => ({
  table, source: { format: "csv", path: file, options: { header: true } },
  columns: [
    { name: "order_id", type: "long", required: true }, { name: "customer", type: "string" }, { name: "amount", type: "decimal(12,2)" },
    { name: "order_ts", type: "timestamptz" }, { name: "updated_at", type: "timestamptz" },
  ],
  key: ["order_id"], dedupe: { keep: "latest", orderBy: ["updated_at"] }, partition: ["day(order_ts)"], write: { mode: "merge" },
});

// Timestamps as epoch microseconds and decimals as text: the same JSON on every side.
const ROWS_SQL = (from: string) => `SELECT order_id, customer, CAST(amount AS VARCHAR) AS amount, epoch_us(order_ts) AS order_ts, epoch_us(updated_at) AS updated_at FROM ${from}`;

let moto: MotoPeer;
let bucket: string;
let dir: string;

/** Engine options for the bucket's warehouse through `s3Endpoint` (moto itself, or a fault proxy in front of it); Glue talks to moto directly. */
function awsOptions(s3Endpoint = moto.endpoint): EngineOptions {
  return {
    warehouse: `s3://${bucket}/wh`,
    catalog: { type: "glue", region: moto.region, endpoint: moto.endpoint, properties: { "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey } },
    s3: { endpoint: s3Endpoint, region: moto.region, pathStyle: true, accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  };
}

function csv(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, HEADER + lines.map((l) => `${l}\n`).join(""));
  return file;
}

/** The rows a merge of the files gives, computed in DuckDB from the CSVs alone: per key, the row with the latest updated_at. */
async function expectedRows(files: readonly string[]): Promise<Record<string, unknown>[]> {
  const db = await DuckDbSession.create();
  try {
    const read = `read_csv([${files.map((f) => `'${f}'`).join(", ")}], header = true, columns = {'order_id': 'BIGINT', 'customer': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'order_ts': 'TIMESTAMPTZ', 'updated_at': 'TIMESTAMPTZ'})`;
    const r = await db.query(`${ROWS_SQL(`(SELECT * FROM ${read} QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1)`)} ORDER BY order_id`);
    return r.rowObjectsJson().map(jsonRow);
  } finally {
    db.close();
  }
}

async function engineRows(engine: Engine, table: string): Promise<Record<string, unknown>[]> {
  return (await engine.query(`${ROWS_SQL(table)} ORDER BY order_id`)).rows().map(jsonRow);
}

const jsonRow = (r: Record<string, unknown>): Record<string, unknown> => ({
  order_id: Number(r["order_id"]), customer: r["customer"], amount: String(r["amount"]), order_ts: Number(r["order_ts"]), updated_at: Number(r["updated_at"]),
});

/** Every object under a table's data folder, and the data files its current snapshot references. */
async function dataObjects(engine: Engine, table: string): Promise<{ stored: string[]; live: string[]; snapshotId: bigint | undefined }> {
  const t = await engine.openTable(table);
  const stored: string[] = [];
  for await (const f of new S3FileIO(motoProps(moto)).list(`${t.location()}/data`)) stored.push(f.location);
  const live = (await t.newScan().planFiles()).map((x) => x.file.filePath);
  return { stored: stored.sort(), live: live.sort(), snapshotId: t.currentSnapshot()?.snapshotId };
}

describe.skipIf(peerSkipped("moto"))("Engine on S3 + Glue (moto)", () => {
  beforeAll(async () => {
    moto = await motoPeer();
    bucket = uniqueName("e2e").replaceAll("_", "-");
    await createBucket(moto, bucket);
    dir = mkdtempSync(path.join(tmpdir(), "aws-e2e-"));
  });

  it("loads and merges into an s3:// warehouse with the Glue catalog; a fresh engine and PyIceberg's GlueCatalog read the same rows", async () => {
    const db = uniqueName("sales");
    const table = `${db}.orders`;
    const first = csv("orders-1.csv", BATCH_1);
    const second = csv("orders-2.csv", BATCH_2);
    const engine = await Engine.open(awsOptions());
    try {
      const r1 = await engine.load(spec(table, first));
      expect(r1).toMatchObject({ status: "committed", rowsInserted: 4, duplicatesDropped: 1 });
      expect(r1.dataFiles.length).toBe(3); // three days
      expect(r1.dataFiles.every((f) => f.filePath.startsWith(`s3://${bucket}/wh/${db}.db/orders/data/`))).toBe(true);
      const r2 = await engine.load(spec(table, second));
      expect(r2).toMatchObject({ status: "committed", rowsInserted: 1, rowsUpdated: 2, rowsStale: 1, duplicatesDropped: 1 });
      expect(r2.filesRemoved).toBeGreaterThan(0);
      expect(await engineRows(engine, table)).toEqual(await expectedRows([first, second]));
      const objects = await dataObjects(engine, table);
      expect(objects.live.every((f) => objects.stored.includes(f))).toBe(true);
    } finally {
      engine.close();
    }

    // A second engine starts with an empty cache: its query downloads every live file from S3
    // into a folder under duckdb.tempDirectory, which close removes.
    const temp = mkdtempSync(path.join(tmpdir(), "aws-e2e-cache-"));
    const reader = await Engine.open({ ...awsOptions(), duckdb: { tempDirectory: temp } });
    let ours: Record<string, unknown>[];
    try {
      ours = await engineRows(reader, table);
      expect(await reader.tables()).toContain(table);
      const [cache] = readdirSync(temp).filter((f) => f.startsWith("engine-cache-"));
      expect(readdirSync(path.join(temp, cache!)).filter((f) => f.endsWith(".parquet"))).toHaveLength((await dataObjects(reader, table)).live.length);
    } finally {
      reader.close();
    }
    expect(readdirSync(temp).filter((f) => f.startsWith("engine-cache-"))).toEqual([]);
    expect(ours).toEqual(await expectedRows([first, second]));

    await pythonPeer();
    const motoVenv = moto.python.replace(/\/bin\/python[0-9.]*$/, "");
    const theirs = await runPython<Record<string, unknown>[]>(`
import sys, glob, datetime
sys.path.extend(glob.glob(args["motoVenv"] + "/lib/python3*/site-packages"))
from pyiceberg.catalog.glue import GlueCatalog
cat = GlueCatalog("glue", **args["props"])
t = cat.load_table((args["db"], "orders")).scan().to_arrow()
epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
us = lambda ts: (ts - epoch) // datetime.timedelta(microseconds=1)
result = [{"order_id": r["order_id"], "customer": r["customer"], "amount": str(r["amount"]), "order_ts": us(r["order_ts"]), "updated_at": us(r["updated_at"])} for r in t.to_pylist()]
`, {
      motoVenv, db,
      props: { "glue.endpoint": moto.endpoint, "glue.region": moto.region, "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey, "s3.endpoint": moto.endpoint, "s3.region": moto.region, "s3.access-key-id": moto.accessKeyId, "s3.secret-access-key": moto.secretAccessKey },
    }, { env: moto.env });
    expect(checksumObjects(theirs)).toEqual(checksumObjects(ours));
    expect(theirs).toHaveLength(5);
  });

  describe("with S3 requests failing through a fault proxy", () => {
    let proxy: FaultProxy;
    // Which requests the proxy may fail: every one, data-file uploads after the first, or table metadata writes (the commit).
    let mode: "all" | "later-uploads" | "commit" = "all";
    let uploads = 0;
    beforeAll(async () => {
      proxy = await startFaultProxy(moto.endpoint, 0, (req) => {
        if (mode === "all") return true;
        if (mode === "commit") return req.method === "PUT" && /\.metadata\.json(\?|$)/.test(req.url ?? "");
        if (req.method !== "PUT" || !/\/data\//.test(req.url ?? "")) return false;
        return ++uploads > 1;
      });
    });
    afterAll(async () => { await proxy?.close(); });

    it("a load either succeeds through retries or fails with the table unchanged and its uploads deleted", async () => {
      const table = `${uniqueName("flaky")}.orders`;
      const first = csv("flaky-1.csv", BATCH_1);
      const second = csv("flaky-2.csv", BATCH_2);
      const clean = await Engine.open(awsOptions());
      const flaky = await Engine.open(awsOptions(proxy.url));
      try {
        await clean.load(spec(table, first));
        const before = await dataObjects(clean, table);

        // One S3 request in five fails with 500/503: the SDK's retries carry the load through.
        mode = "all";
        proxy.rate = 0.2;
        const faultsBefore = proxy.stats.faults;
        let failed: unknown;
        try {
          await flaky.load(spec(table, second));
        } catch (error) {
          failed = error;
        } finally {
          proxy.rate = 0;
        }
        expect(proxy.stats.faults).toBeGreaterThan(faultsBefore);
        const after = await dataObjects(clean, table);
        if (failed === undefined) {
          expect(after.snapshotId).not.toBe(before.snapshotId);
          expect(await engineRows(clean, table)).toEqual(await expectedRows([first, second]));
        } else {
          expect(after.snapshotId).toBe(before.snapshotId);
          expect(after.stored).toEqual(before.stored);
        }

        // Every upload after the first fails for good: the load fails, and deletes the one that landed.
        const settled = await dataObjects(clean, table);
        mode = "later-uploads";
        uploads = 0;
        proxy.rate = 1;
        try {
          await expect(flaky.load(spec(table, csv("flaky-3.csv", BATCH_3)))).rejects.toThrow(/upload/i);
        } finally {
          proxy.rate = 0;
          mode = "all";
        }
        expect(uploads).toBeGreaterThan(1);
        const end = await dataObjects(clean, table);
        expect(end.snapshotId).toBe(settled.snapshotId);
        expect(end.stored).toEqual(settled.stored);
        expect(end.live).toEqual(settled.live);
        expect(await engineRows(clean, table)).toEqual(await engineRows(flaky, table));

        // The commit's metadata write fails for good after every data file landed: they are deleted again.
        mode = "commit";
        proxy.rate = 1;
        try {
          await expect(flaky.load(spec(table, csv("flaky-4.csv", BATCH_3)))).rejects.toThrow(/metadata\.json/);
        } finally {
          proxy.rate = 0;
          mode = "all";
        }
        const last = await dataObjects(clean, table);
        expect(last).toEqual(end);
      } finally {
        clean.close();
        flaky.close();
      }
    });
  });

  it("routes a spec with engine: athena to Athena with the engine's Glue catalog, staging under the warehouse", async () => {
    // moto records Athena's SQL but runs none of it; this region's canned results are this test's alone.
    const region = "sa-east-1";
    const db = uniqueName("ath");
    const file = csv("athena.csv", BATCH_1);
    const base = awsOptions();
    const engine = await Engine.open({
      ...base, catalog: { type: "glue", region, endpoint: moto.endpoint, properties: { "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey } },
      athena: { endpoint: moto.endpoint, region },
    });
    try {
      await seedAthenaResults(moto, region, [{}, { header: true, columns: [["_col0", "bigint"]], rows: [["0"]] }, {}, {}]);
      const r = await engine.load({ ...spec(`${db}.orders`, file), engine: "athena", write: { mode: "append" } });
      expect(r.status).toBe("committed");
      expect(r.message).toMatch(/^athena: /);
      const seen = (await athenaQueriesSeen(motoAws(moto, region))).filter((q) => q.database === db);
      expect(seen.map((q) => q.sql.split(/\s/)[0])).toEqual(["CREATE", "SELECT", "INSERT", "DROP"]);
      expect(seen[0]!.sql).toContain(`LOCATION 's3://${bucket}/wh/_engine/staging/`);
      expect(seen[2]!.sql).toMatch(new RegExp(`^INSERT INTO "${db}"."orders"`));
      // The table Athena writes was created in the engine's catalog, where the engine lists it.
      expect(await engine.tables()).toContain(`${db}.orders`);
      expect((await engine.openTable(`${db}.orders`)).location()).toBe(`s3://${bucket}/wh/${db}.db/orders`);
    } finally {
      engine.close();
    }
  });
});
