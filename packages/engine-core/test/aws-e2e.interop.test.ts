import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/index.js";
import { motoPeer, pythonPeer, runPython, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { createBucket } from "./util/aws-moto.js";

// Needs the S3/Glue integration of Engine.open and runLoad (see the AWS backend report); enable
// with ENGINE_AWS_E2E=1 once `catalog: { type: "glue" }` and s3:// warehouses are wired.
describe.skipIf(process.env.ENGINE_AWS_E2E !== "1")("Engine on S3 + Glue (moto)", () => {
  let moto: MotoPeer;
  let bucket: string;
  beforeAll(async () => {
    moto = await motoPeer();
    bucket = uniqueName("e2e").replaceAll("_", "-");
    await createBucket(moto, bucket);
  });

  it("loads into an s3:// warehouse with the Glue catalog, queries it back, and PyIceberg's GlueCatalog reads the same rows", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "aws-e2e-"));
    writeFileSync(path.join(dir, "orders.csv"), "order_id,amount,order_ts\n1,10.50,2024-01-05T10:00:00Z\n2,3.25,2024-01-06T11:00:00Z\n2,3.50,2024-01-06T12:00:00Z\n3,7.00,2024-01-06T13:00:00Z\n");
    const db = uniqueName("sales");
    const engine = await Engine.open({
      warehouse: `s3://${bucket}/wh`,
      catalog: { type: "glue", region: moto.region, endpoint: moto.endpoint, properties: { "s3.endpoint": moto.endpoint, "s3.path-style-access": "true", "s3.region": moto.region, "s3.access-key-id": moto.accessKeyId, "s3.secret-access-key": moto.secretAccessKey, "client.access-key-id": moto.accessKeyId, "client.secret-access-key": moto.secretAccessKey } },
    } as never);
    try {
      const spec = {
        table: `${db}.orders`, source: { format: "csv", path: path.join(dir, "orders.csv"), options: { header: true } },
        columns: [{ name: "order_id", type: "long", required: true }, { name: "amount", type: "decimal(12,2)" }, { name: "order_ts", type: "timestamptz" }],
        key: ["order_id"], dedupe: { keep: "latest", orderBy: ["order_ts"] }, partition: ["day(order_ts)"], write: { mode: "append" },
      };
      const r = await engine.load(spec);
      expect(r.rowsWritten).toBe(3);
      expect(r.dataFiles.every((f) => f.filePath.startsWith(`s3://${bucket}/wh/${db}.db/orders/data/`))).toBe(true);
      const q = await engine.query(`select order_id, cast(amount as varchar) a from ${db}.orders order by order_id`);
      expect(q.table.toArray().map((x) => x.toJSON())).toEqual([{ order_id: 1n, a: "10.50" }, { order_id: 2n, a: "3.50" }, { order_id: 3n, a: "7.00" }]);
    } finally {
      engine.close();
    }
    await pythonPeer();
    const motoVenv = moto.python.replace(/\/bin\/python[0-9.]*$/, "");
    const rows = await runPython<{ rows: [number, string][] }>(`
import sys, glob
sys.path.extend(glob.glob(args["motoVenv"] + "/lib/python3*/site-packages"))
from pyiceberg.catalog.glue import GlueCatalog
cat = GlueCatalog("glue", **args["props"])
t = cat.load_table((args["db"], "orders")).scan().to_arrow().sort_by("order_id")
result = {"rows": [[r["order_id"], str(r["amount"])] for r in t.to_pylist()]}
`, {
      motoVenv, db,
      props: { "glue.endpoint": moto.endpoint, "glue.region": moto.region, "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey, "s3.endpoint": moto.endpoint, "s3.region": moto.region, "s3.access-key-id": moto.accessKeyId, "s3.secret-access-key": moto.secretAccessKey },
    }, { env: moto.env });
    expect(rows.rows).toEqual([[1, "10.50"], [2, "3.50"], [3, "7.00"]]);
  });
});
