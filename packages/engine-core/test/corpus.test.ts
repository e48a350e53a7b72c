import path from "node:path";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { corpusPresent, corpusRoot, corpusTables, expectedLiveRows, type CorpusTable } from "./util/corpus.js";
import { tempDir } from "./util/tmp.js";

const sqlName = (t: CorpusTable) => `corpus.${t.name.replace(/[^A-Za-z0-9]+/g, "_")}`;

describe.skipIf(!corpusPresent)("corpus (Iceberg tables written by other engines)", () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  const tables = corpusPresent ? corpusTables() : [];

  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    engine = await Engine.open({ warehouse: path.join(t.dir, "wh") });
    for (const table of tables) {
      const dir = path.join(corpusRoot, table.tableDir);
      await engine.registerTable(sqlName(table), path.join(dir, table.currentMetadataFile), {
        remap: { from: table.originalPrefix, to: `${dir}/` },
      });
    }
  });
  afterAll(async () => {
    engine?.close();
    await cleanup?.();
  });

  for (const table of tables) {
    it(`${table.name}: count(*) of every snapshot equals EXPECTED.md's live rows`, async () => {
      const expected = expectedLiveRows(table);
      expect(expected.size).toBeGreaterThan(0);
      expect(expected.get(table.currentSnapshotId)).toBe(Number(table.currentSnapshotLiveRows));
      const name = sqlName(table);
      const current = await engine.query(`select count(*) as n from ${name}`);
      expect(Number(current.rows()[0]!["n"])).toBe(Number(table.currentSnapshotLiveRows));
      for (const [snapshotId, rows] of expected) {
        const r = await engine.query(`select count(*) as n from ${name}`, { asOf: { [name]: BigInt(snapshotId) } });
        expect({ snapshotId, n: Number(r.rows()[0]!["n"]) }).toEqual({ snapshotId, n: rows });
      }
    });
  }

  for (const dirName of ["spark-v1-types-evolution", "spark-v2-posdeletes-evolution"]) {
    it(`${dirName}: the current snapshot equals the expected-result Parquet row for row`, async () => {
      const table = tables.find((t) => t.name === dirName)!;
      const expectedGlob = path.join(corpusRoot, dirName, "expected_results", "last", "data", "*.parquet");
      expect(existsSync(path.dirname(expectedGlob))).toBe(true);
      const name = sqlName(table);
      const cols = (await engine.query(`select column_name from (describe select * from read_parquet('${expectedGlob}'))`)).rows().map((r) => `"${String(r["column_name"])}"`).join(", ");
      const r = await engine.query(`select
          (select count(*) from (select ${cols} from ${name} except all select ${cols} from read_parquet('${expectedGlob}'))) as extra,
          (select count(*) from (select ${cols} from read_parquet('${expectedGlob}') except all select ${cols} from ${name})) as missing`);
      expect(r.rows()[0]).toEqual({ extra: 0n, missing: 0n });
    });
  }

  it("spark-lineitem-v2-cow: TPC-H Q6 = 1077536.9101, and 1193053.2253 on snapshot 1", async () => {
    const q6 = `select sum(l_extendedprice * l_discount) as revenue from corpus.spark_lineitem_v2_cow
      where l_shipdate >= date '1994-01-01' and l_shipdate < date '1995-01-01' and l_discount between 0.05 and 0.07 and l_quantity < 24`;
    expect((await engine.query(q6)).rows()[0]!["revenue"]).toBeCloseTo(1077536.9101, 4);
    const old = await engine.query(q6, { asOf: { "corpus.spark_lineitem_v2_cow": 3776207205136740581n } });
    expect(old.rows()[0]!["revenue"]).toBeCloseTo(1193053.2253, 4);
  });

  it("spark-lineitem-v2-cow: time travel by timestamp picks the latest snapshot at or before it", async () => {
    const n = async (ms: number) => Number((await engine.query("select count(*) n from corpus.spark_lineitem_v2_cow", { asOf: { "corpus.spark_lineitem_v2_cow": { asOfTimestampMs: ms } } })).rows()[0]!["n"]);
    expect(await n(Date.parse("2023-02-15T15:07:54.504Z"))).toBe(60175);
    expect(await n(Date.parse("2023-02-15T15:08:14.730Z"))).toBe(51793);
  });
});

if (!corpusPresent) {
  describe("corpus", () => {
    it.skip(`skipped: no corpus at ${corpusRoot} (expected <repo root>/../shared/iceberg-corpus, or set ENGINE_SHARED_DIR)`, () => undefined);
  });
}

describe.skipIf(!corpusPresent)("corpus column resolution", () => {
  it("resolves Parquet columns without field ids through the name mapping, and renamed columns with spaces by field id", async () => {
    const t = await tempDir();
    const engine = await Engine.open({ warehouse: path.join(t.dir, "wh") });
    try {
      for (const table of corpusTables().filter((x) => x.name === "name-mapping-v1" || x.name === "java-bunnies-pos-eq-deletes")) {
        const dir = path.join(corpusRoot, table.tableDir);
        await engine.registerTable(sqlName(table), path.join(dir, table.currentMetadataFile), { remap: { from: table.originalPrefix, to: `${dir}/` } });
      }
      const nm = (await engine.query("select count(a) a, count(b) b, min(a) lo, max(a) hi from corpus.name_mapping_v1")).rows()[0]!;
      expect(nm).toEqual({ a: 10000n, b: 0n, lo: 0, hi: 9999 });
      const bunnies = await engine.query("select * from corpus.java_bunnies_pos_eq_deletes");
      expect(bunnies.numRows).toBe(15);
      for (const col of bunnies.columnNames) {
        const nonNull = bunnies.rows().filter((r) => r[col] !== null).length;
        expect({ col, nonNull: nonNull > 0 }).toEqual({ col, nonNull: true });
      }
    } finally {
      engine.close();
      await t.cleanup();
    }
  });
});
