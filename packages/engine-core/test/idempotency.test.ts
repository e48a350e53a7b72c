import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { LOAD_ID_PROPERTY } from "../src/load/idempotency.js";
import { backfillValues } from "../src/load/backfill.js";
import { tempDir } from "./util/tmp.js";
import { fixtureSpec, read, tableVsExpected, writeCsv } from "./util/write-fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
let b1: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("engine-idem-"));
  b1 = await writeCsv(path.join(dir, "b1.csv"), [[1, "2024-01-01", "10.00", "2024-02-01 10:00:00+00", null], [2, "2024-01-02", "20.00", "2024-02-01 10:00:00+00", null]]);
  for (const [i, d] of ["2024-01-01", "2024-01-02", "2024-01-03"].entries()) {
    await writeCsv(path.join(dir, "daily", `${d}.csv`), [[i * 10 + 1, d, "1.00", `${d} 08:00:00+00`, null], [i * 10 + 2, d, "2.00", `${d} 09:00:00+00`, null]]);
  }
});
afterAll(async () => { await cleanup(); });

let n = 0;
async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ warehouse: path.join(dir, `wh${n++}`) });
  try { return await fn(engine); } finally { engine.close(); }
}

describe("idempotent loads", () => {
  for (const mode of ["append", "overwrite", "replace-partitions", "merge"] as const) {
    it(`${mode}: running the same load twice gives one snapshot and the same data`, async () => {
      await withEngine(async (engine) => {
        const spec = fixtureSpec(b1, { key: "id", partition: ["day"], write: { mode } });
        const first = await engine.load(spec);
        const rowsBefore = await tableVsExpected(engine, "t.items", `SELECT id, day, amount, updated_at FROM ${read(b1)}`);
        const second = await engine.load(spec);
        expect(first.status).toBe("committed");
        expect(second).toMatchObject({ status: "skipped", snapshotId: first.snapshotId, loadId: first.loadId, rowsInserted: 0 });
        const history = await engine.history("t.items");
        expect(history).toHaveLength(1);
        expect(history[0]!.summary[LOAD_ID_PROPERTY]).toBe(first.loadId);
        const rowsAfter = await tableVsExpected(engine, "t.items", `SELECT id, day, amount, updated_at FROM ${read(b1)}`);
        expect(rowsAfter).toEqual(rowsBefore);
        expect(rowsAfter.viaQuery).toEqual(rowsAfter.expected);
      });
    });
  }

  it("force loads again (append doubles the rows)", async () => {
    await withEngine(async (engine) => {
      const spec = fixtureSpec(b1);
      await engine.load(spec);
      const again = await engine.load(spec, { force: true });
      expect(again.status).toBe("committed");
      expect(await engine.history("t.items")).toHaveLength(2);
      const { viaQuery, expected } = await tableVsExpected(engine, "t.items", `SELECT id, day, amount, updated_at FROM ${read(b1)} UNION ALL SELECT id, day, amount, updated_at FROM ${read(b1)}`);
      expect(viaQuery).toEqual(expected);
    });
  });

  it("a changed source file is a new load", async () => {
    await withEngine(async (engine) => {
      const file = path.join(dir, "changing.csv");
      await writeCsv(file, [[1, "2024-01-01", "1.00", null, null]]);
      const a = await engine.load(fixtureSpec(file, { key: "id", write: { mode: "merge" } }));
      await writeCsv(file, [[1, "2024-01-01", "2.00", null, null], [2, "2024-01-01", "3.00", null, null]]);
      const b = await engine.load(fixtureSpec(file, { key: "id", write: { mode: "merge" } }));
      expect(b.loadId).not.toBe(a.loadId);
      expect(b).toMatchObject({ status: "committed", rowsInserted: 1, rowsUpdated: 1 });
    });
  });
});

describe("Engine.backfill", () => {
  it("runs one load per date (3 snapshots); running it again adds none", async () => {
    await withEngine(async (engine) => {
      const spec = fixtureSpec(path.join(dir, "daily", "{date}.csv"), { partition: ["day"], write: { mode: "replace-partitions" } });
      const range = { param: "date", from: "2024-01-01", to: "2024-01-03", step: "1d" };
      const first = await engine.backfill(spec, range);
      expect(first.map((r) => r.status)).toEqual(["committed", "committed", "committed"]);
      expect(await engine.history("t.items")).toHaveLength(3);
      const again = await engine.backfill(spec, range);
      expect(again.map((r) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
      expect(await engine.history("t.items")).toHaveLength(3);
      const { viaQuery, viaFiles, expected } = await tableVsExpected(engine, "t.items", `SELECT id, day, amount, updated_at FROM ${read(path.join(dir, "daily", "*.csv"))}`);
      expect(viaQuery).toEqual(expected);
      expect(viaFiles).toEqual(expected);
    });
  });
});

describe("backfillValues", () => {
  it("steps dates by days and integers by a step, inclusive", () => {
    expect(backfillValues({ from: "2024-02-27", to: "2024-03-02", step: "2d" })).toEqual(["2024-02-27", "2024-02-29", "2024-03-02"]);
    expect(backfillValues({ from: "1", to: "7", step: 3 })).toEqual(["1", "4", "7"]);
    expect(() => backfillValues({ from: "2024-01-05", to: "2024-01-01" })).toThrow(/on or before/);
    expect(() => backfillValues({ from: "2024-02-30", to: "2024-03-01" })).toThrow(/real dates/);
  });
});
