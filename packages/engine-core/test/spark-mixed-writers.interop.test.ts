// Issue 3, "Must show" 3: three writers take turns on ONE table in Spark's Hadoop warehouse —
// Spark appends, Engine appends (FileSystemCatalog over the same folder), PyIceberg deletes by a
// filter, Engine overwrites a region — and after every step Spark and PyIceberg read exactly the
// rows Spark computes for that step from the same generator (count and checksum by the peers).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { peerSkipped, runPython, sparkPeer, uniqueName, type SparkPeer } from "../../../test/util/peers.js";
import { PY_SAFE_CHECKSUM } from "./util/interop.js";

const skip = peerSkipped("spark") || peerSkipped("python");
const REGIONS = ["eu", "us", "kr"];
/** The rows of ids [from, to) — in Spark SQL and in JS, the same generator. */
const sparkRows = (from: number, to: number, tag = "n") =>
  `SELECT id, concat('${tag}', id) AS name, element_at(array('eu', 'us', 'kr'), CAST(id % 3 + 1 AS INT)) AS region FROM range(${from}, ${to})`;
const jsRows = (from: number, to: number, tag = "n") =>
  Array.from({ length: to - from }, (_, i) => ({ id: from + i, name: `${tag}${from + i}`, region: REGIONS[(from + i) % 3]! }));

const COLUMNS = [
  { name: "id", type: "long" },
  { name: "name", type: "string" },
  { name: "region", type: "string" },
];

describe.skipIf(skip)("Spark, Engine and PyIceberg writing one table in turn", () => {
  let spark: SparkPeer;
  let engine: Engine;
  const ns = uniqueName("mix");
  const name = `${ns}.t`;
  let tableDir: string;
  /** Spark SQL of the rows the table should hold after the current step. */
  let expected = "";
  /** The operations of PyIceberg's delete commit(s). */
  let pyOps: string[] = [];

  beforeAll(async () => {
    spark = await sparkPeer();
    engine = await Engine.open({ warehouse: spark.warehouse });
    tableDir = path.join(spark.warehouse, ns, "t");
  });
  afterAll(() => engine?.close());

  const currentMetadata = (): string => {
    const v = readFileSync(path.join(tableDir, "metadata", "version-hint.text"), "utf8").trim();
    return path.join(tableDir, "metadata", `v${v}.metadata.json`);
  };

  async function expectConsistent(count: number, operations: string[]): Promise<void> {
    const want = await spark.checksum({ sql: expected });
    expect(want.count).toBe(count);
    const bySpark = await spark.checksum({ table: `local.${name}` });
    expect(bySpark).toEqual({ ...want, columns: bySpark.columns });
    const byPy = await runPython<{ sum: unknown; ops: string[] }>(
      `${PY_SAFE_CHECKSUM}
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
snaps = sorted(t.metadata.snapshots, key=lambda s: s.sequence_number)
result = {"sum": checksum(t.scan().to_arrow()), "ops": [s.summary.operation.value for s in snaps]}`,
      { metadata: currentMetadata() },
    );
    expect(byPy.sum).toEqual({ count: want.count, checksum: want.checksum });
    expect(byPy.ops).toEqual(operations);
    const ours = await engine.query(`SELECT count(*)::INTEGER AS n FROM ${name}`);
    expect(ours.rows()[0]!.n).toBe(count);
  }

  it("1. Spark creates and appends", async () => {
    await spark.sql(`CREATE TABLE local.${name} (id bigint, name string, region string) USING iceberg PARTITIONED BY (region) TBLPROPERTIES ('format-version'='2')`);
    await spark.sql(`INSERT INTO local.${name} ${sparkRows(1, 101)}`);
    expected = sparkRows(1, 101);
    await expectConsistent(100, ["append"]);
  });

  it("2. Engine appends through its FileSystemCatalog on Spark's warehouse", async () => {
    await engine.load({ table: name, columns: COLUMNS, partition: ["region"], write: { mode: "append" } }, { data: jsRows(101, 151) });
    expected = `${sparkRows(1, 101)} UNION ALL ${sparkRows(101, 151)}`;
    await expectConsistent(150, ["append", "append"]);
  });

  it("3. PyIceberg deletes by a filter (published as the next Hadoop version)", async () => {
    // PyIceberg has no Hadoop catalog: a SqlCatalog registers the current metadata, PyIceberg
    // commits its delete there, and its new metadata file becomes v(N+1) the way a Hadoop commit
    // does (exclusive create, then version-hint.text).
    const published = await runPython<{ version: number; deleted: number; ops: string[] }>(
      `import os, re, shutil, tempfile
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import LessThan
meta_dir = os.path.join(args["table"], "metadata")
v = int(open(os.path.join(meta_dir, "version-hint.text")).read().strip())
tmp = tempfile.mkdtemp()
cat = SqlCatalog("bridge", uri=f"sqlite:///{tmp}/c.db", warehouse=f"file://{tmp}")
cat.create_namespace("b")
tbl = cat.register_table("b.t", os.path.join(meta_dir, f"v{v}.metadata.json"))
before = tbl.scan().to_arrow().num_rows
tbl.delete(LessThan("id", 30))
tbl = cat.load_table("b.t")
after = tbl.scan().to_arrow().num_rows
new_meta = tbl.metadata_location.removeprefix("file://")
target = os.path.join(meta_dir, f"v{v + 1}.metadata.json")
fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
with os.fdopen(fd, "wb") as out, open(new_meta, "rb") as src:
    shutil.copyfileobj(src, out)
with open(os.path.join(meta_dir, "version-hint.text"), "w") as h:
    h.write(str(v + 1))
result = {"version": v + 1, "deleted": before - after, "ops": [s.summary.operation.value for s in tbl.metadata.snapshots]}`,
      { table: tableDir },
    );
    expect(published.deleted).toBe(29);
    pyOps = published.ops.slice(2);
    expect(pyOps.length).toBeGreaterThan(0);
    expected = `SELECT * FROM (${sparkRows(1, 101)} UNION ALL ${sparkRows(101, 151)}) WHERE id >= 30`;
    await expectConsistent(121, ["append", "append", ...pyOps]);
  });

  it("4. Engine overwrites the 'eu' rows", async () => {
    await engine.load(
      { table: name, columns: COLUMNS, partition: ["region"], write: { mode: "overwrite", filter: { region: "eu" } } },
      { data: jsRows(1000, 1030, "new").map((r) => ({ ...r, region: "eu" })) },
    );
    expected = `SELECT * FROM (${sparkRows(1, 101)} UNION ALL ${sparkRows(101, 151)}) WHERE id >= 30 AND region <> 'eu'
      UNION ALL SELECT id, concat('new', id), 'eu' FROM range(1000, 1030)`;
    await expectConsistent(110, ["append", "append", ...pyOps, "overwrite"]);
  });

  it("5. Spark reads and appends again on top of every writer's commits", async () => {
    await spark.sql(`INSERT INTO local.${name} ${sparkRows(2000, 2010)}`);
    expected = `${expected} UNION ALL ${sparkRows(2000, 2010)}`;
    await expectConsistent(120, ["append", "append", ...pyOps, "overwrite", "append"]);
    expect(existsSync(currentMetadata())).toBe(true);
  });
});
