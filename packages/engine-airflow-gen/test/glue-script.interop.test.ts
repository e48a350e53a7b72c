// Three engines, one meaning: the PySpark script compiled for Glue, run in the test run's Spark
// (3.5 + Iceberg 1.10, its main() called with the shared SparkSession and a Hadoop catalog
// registered at run time), and the local engine (DuckDB) load the same spec and CSV batches.
// PyIceberg then reads both tables from their current metadata files and computes one checksum
// per table: equal checksums and row counts after every batch, for every write mode.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec, type WriteMode } from "@engine/core";
import { compileGlueScript } from "@engine/core/spark";
import { peerSkipped, runPython, sparkPeer, tempDir, uniqueName, type SparkPeer } from "../../../test/util/peers.js";
import { PY_SAFE_CHECKSUM } from "../../engine-core/test/util/interop.js";

const skip = peerSkipped("spark") || peerSkipped("python");

// Day 1: an exact duplicate (id 4), a newer version (id 2), a tie on updated_at broken by the
// other columns (id 6), NULLs in optional columns, rows over three days, one timestamp offset.
const BATCH_1 = [
  "id,customer,amount,order_ts,updated_at,status,op",
  "1,c1,10.50,2024-01-03 10:00:00,2024-01-03 10:00:00,new,",
  "2,c2,20.00,2024-01-04 11:00:00Z,2024-01-04 11:00:00,paid,",
  "2,c2,21.00,2024-01-04 11:00:00Z,2024-01-04 12:00:00,paid,",
  "3,,5.25,2024-01-05 00:30:00+02:00,,new,",
  "4,c4,,2024-01-05 23:59:59,2024-01-05 09:00:00,,",
  "4,c4,,2024-01-05 23:59:59,2024-01-05 09:00:00,,",
  "5,c5,7.00,2024-01-05 08:00:00,2024-01-05 09:00:00,shipped,",
  "6,c6,3.00,2024-01-05 08:00:00,2024-01-05 09:00:00,new,",
  "6,c6,2.00,2024-01-05 08:00:00,2024-01-05 09:00:00,new,",
].join("\n");

// Day 2: updates (1, 3), a late row older than the table's (2), a delete marker (5), an insert (7),
// a delete marker for a key the table lacks (8).
const BATCH_2 = [
  "id,customer,amount,order_ts,updated_at,status,op",
  "1,c1,11.50,2024-01-03 10:00:00,2024-01-06 10:00:00,paid,",
  "2,c2,1.00,2024-01-04 11:00:00Z,2024-01-01 00:00:00,new,",
  "3,c3,5.25,2024-01-05 00:30:00+02:00,2024-01-06 01:00:00,paid,",
  "5,c5,7.00,2024-01-05 08:00:00,2024-01-06 09:00:00,shipped,D",
  "7,c7,70.00,2024-01-06 08:00:00,2024-01-06 08:00:00,new,",
  "8,c8,1.00,2024-01-06 08:00:00,2024-01-06 08:00:00,new,D",
].join("\n");

function specFor(table: string, mode: WriteMode, dir: string): Record<string, unknown> {
  return {
    table,
    source: { format: "csv", path: path.join(dir, "{date}.csv"), options: { header: true } },
    columns: [
      { name: "id", type: "long", required: true },
      { name: "customer", type: "string" },
      { name: "amount", type: "decimal(12,2)" },
      { name: "order_ts", type: "timestamptz" },
      { name: "updated_at", type: "timestamp" },
      { name: "status", type: "string" },
    ],
    key: ["id"],
    dedupe: { keep: "latest", orderBy: ["updated_at"] },
    partition: ["day(order_ts)", "bucket(8, id)"],
    write: { mode, ...(mode === "merge" ? { deleteMarker: { column: "op", value: "D" } } : {}) },
    validate: [
      { columns: "subset" },
      { notNull: ["id"] },
      { unique: ["id"] },
      { range: { column: "amount", min: 0 } },
      { allowed: { column: "status", values: ["new", "paid", "shipped"] } },
      { pattern: { column: "customer", regex: "c\\d+" } },
      { length: { column: "customer", max: 10 } },
      { rowCount: { min: 1 }, severity: "warn" },
    ],
  };
}

/** PyIceberg: the table at its newest `v<N>.metadata.json`, read with StaticTable, as count + checksum. */
async function pyIcebergChecksum(tableDir: string): Promise<{ count: number; checksum: string }> {
  const meta = readdirSync(path.join(tableDir, "metadata")).filter((f) => /^v\d+\.metadata\.json$/.test(f));
  const newest = meta.sort((a, b) => Number(a.slice(1).split(".")[0]) - Number(b.slice(1).split(".")[0])).at(-1)!;
  return runPython(`${PY_SAFE_CHECKSUM}
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
result = checksum(t.scan().to_arrow())`, { metadata: path.join(tableDir, "metadata", newest) });
}

describe.skipIf(skip)("the Glue load script in Spark and the local engine give the same table", () => {
  let spark: SparkPeer;
  let engine: Engine;
  let dir: string;
  const catalog = uniqueName("glue_it");
  beforeAll(async () => {
    spark = await sparkPeer();
    dir = tempDir("engine-glue-it-");
    mkdirSync(path.join(dir, "in"));
    writeFileSync(path.join(dir, "in", "2024-01-05.csv"), `${BATCH_1}\n`);
    writeFileSync(path.join(dir, "in", "2024-01-06.csv"), `${BATCH_2}\n`);
    engine = await Engine.open({ warehouse: path.join(dir, "local") });
  });
  afterAll(() => engine?.close());

  for (const mode of ["append", "merge", "overwrite", "replace-partitions"] as const) {
    it(`${mode}: equal PyIceberg checksums after each batch`, async () => {
      const ns = uniqueName("gs");
      const table = `${ns}.orders_${mode.replace("-", "_")}`;
      const raw = specFor(table, mode, path.join(dir, "in"));
      // Code generation keeps {date}: the job fills it from --engine-logical-date.
      const script = compileGlueScript(parseSpec(raw, { params: "defer" }), { catalog: "glue_catalog" });
      expect(script).toContain(`"path": ${JSON.stringify(path.join(dir, "in", "{date}.csv"))}`);
      const sparkWarehouse = path.join(dir, "spark");
      const tableDir = (root: string) => path.join(root, ns, table.split(".")[1]!);
      // Rows after day 1, then after day 2 (replace-partitions depends on which buckets day 2 touches).
      const expected = { append: [6, 12], merge: [6, 6], overwrite: [6, 6], "replace-partitions": [6, undefined] }[mode];
      for (const [date, rows] of [["2024-01-05", expected[0]], ["2024-01-06", expected[1]]] as const) {
        const argv = ["--engine-catalog", catalog, "--engine-warehouse", sparkWarehouse, "--engine-logical-date", date];
        const sparkResult = await spark.run<{ status: string; loadId: string }>(`${script}\nresult = main(args["argv"], spark=spark)`, { argv });
        expect(sparkResult.status).toBe("committed");
        const local = await engine.load(raw, { params: { date } });
        expect(local.status).toBe("committed");
        const [fromSpark, fromLocal] = [await pyIcebergChecksum(tableDir(sparkWarehouse)), await pyIcebergChecksum(tableDir(path.join(dir, "local")))];
        expect(fromSpark, `${mode} after ${date}`).toEqual(fromLocal);
        if (rows !== undefined) expect(fromLocal.count).toBe(rows);
      }
      // Spark's snapshots carry the load id like ours; a rerun of the same batch is skipped.
      const again = await spark.run<{ status: string }>(`${script}\nresult = main(args["argv"], spark=spark)`, {
        argv: ["--engine-catalog", catalog, "--engine-warehouse", sparkWarehouse, "--engine-logical-date", "2024-01-06"],
      });
      expect(again.status).toBe("skipped");
    }, 600_000);
  }

  it("fails a load whose batch breaks an error rule, leaving the table as it was", async () => {
    const ns = uniqueName("gs");
    const raw = { ...specFor(`${ns}.bad`, "append", path.join(dir, "in")), validate: [{ allowed: { column: "status", values: ["new"] } }] };
    const script = compileGlueScript(parseSpec(raw, { params: "defer" }));
    const argv = ["--engine-catalog", catalog, "--engine-warehouse", path.join(dir, "spark"), "--engine-logical-date", "2024-01-05"];
    await expect(spark.run(`${script}\nresult = main(args["argv"], spark=spark)`, { argv })).rejects.toThrow(/validate\[0\] allowed\(status\): expected only 'new', found 2/);
    // Pre-load rules run before the table is created: nothing was written.
    expect(existsSync(path.join(dir, "spark", ns))).toBe(false);
  }, 300_000);
});
