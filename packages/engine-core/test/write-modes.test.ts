import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { loadResultOf } from "../src/load/load-result.js";
import { tempDir } from "./util/tmp.js";
import { fixtureSpec, liveFiles, read, tableVsExpected, writeCsv } from "./util/write-fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
let b1: string, b2: string, b3: string, bad: string, dups: string;
const T1 = "2024-02-01 10:00:00+00";
const T2 = "2024-02-02 10:00:00+00";
const T0 = "2024-01-31 10:00:00+00";

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("engine-write-"));
  // Two rows per day over three days.
  b1 = await writeCsv(path.join(dir, "b1.csv"), [
    [1, "2024-01-01", "10.00", T1, null], [2, "2024-01-01", "20.00", T1, null],
    [3, "2024-01-02", "30.00", T1, null], [4, "2024-01-02", "40.00", T1, null],
    [5, "2024-01-03", "50.00", T1, null], [6, "2024-01-03", "60.00", T1, null],
  ]);
  // An update (2, newer), a late OLDER row (4), a newer delete marker (5), a new key (7), a marker for a missing key (9).
  b2 = await writeCsv(path.join(dir, "b2.csv"), [
    [2, "2024-01-01", "21.00", T2, null], [4, "2024-01-02", "41.00", T0, null],
    [5, "2024-01-03", "55.00", T2, "D"], [7, "2024-01-03", "70.00", T2, null], [9, "2024-01-03", "90.00", T2, "D"],
  ]);
  // Day 3 only.
  b3 = await writeCsv(path.join(dir, "b3.csv"), [[5, "2024-01-03", "51.00", T2, null], [8, "2024-01-03", "80.00", T2, null]]);
  bad = await writeCsv(path.join(dir, "bad.csv"), [[8, "2024-01-03", "80.00", T2, null], [10, "2024-01-04", "1.00", T2, null]]);
  // Exact duplicates (1), a newer and an older version (2), an updated_at tie differing in amount (3).
  dups = await writeCsv(path.join(dir, "dups.csv"), [
    [1, "2024-01-01", "10.00", T1, null], [1, "2024-01-01", "10.00", T1, null],
    [2, "2024-01-01", "20.00", T1, null], [2, "2024-01-01", "22.00", T2, null], [2, "2024-01-01", "19.00", T0, null],
    [3, "2024-01-02", "33.00", T1, null], [3, "2024-01-02", "31.00", T1, null], [4, "2024-01-02", "40.00", null, null],
  ]);
});
afterAll(async () => { await cleanup(); });

let n = 0;
async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ warehouse: path.join(dir, `wh${n++}`) });
  try { return await fn(engine); } finally { engine.close(); }
}

async function expectTable(engine: Engine, expectedSql: string): Promise<void> {
  const { viaQuery, viaFiles, expected } = await tableVsExpected(engine, "t.items", expectedSql);
  expect(expected.length).toBeGreaterThan(0);
  expect(viaQuery).toEqual(expected);
  expect(viaFiles).toEqual(expected);
}

const COLS = "id, day, amount, updated_at";
const byDay = { partition: ["day"] };

describe("write.mode append", () => {
  it("adds the batch to the table", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1, byDay));
      const r = await engine.load(fixtureSpec(b2, byDay));
      expect(r).toMatchObject({ status: "committed", mode: "append", rowsInserted: 5, rowsUpdated: 0, filesRemoved: 0 });
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b1)} UNION ALL SELECT ${COLS} FROM ${read(b2)}`);
    });
  });
});

describe("write.mode overwrite", () => {
  it("replaces the whole table", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1, { ...byDay, write: { mode: "overwrite" } }));
      const r = await engine.load(fixtureSpec(b3, { ...byDay, write: { mode: "overwrite" } }));
      expect(r).toMatchObject({ status: "committed", rowsInserted: 2, rowsDeleted: 6, filesRemoved: 3 });
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b3)}`);
    });
  });

  it("replaces only rows matching write.filter, rewriting files that hold other rows too", async () => {
    await withEngine(async (engine) => {
      const spec = (src: string) => fixtureSpec(src, { write: { mode: "overwrite", filter: { day: "{date}" } } });
      await engine.load(fixtureSpec(b1)); // unpartitioned: one file holds every day
      const before = await liveFiles(engine, "t.items");
      const r = await engine.load(spec(b3), { params: { date: "2024-01-03" } });
      expect(r).toMatchObject({ status: "committed", rowsInserted: 2, rowsDeleted: 2, filesRemoved: 1 });
      expect(await liveFiles(engine, "t.items")).not.toContain(before[0]);
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b1)} WHERE day <> DATE '2024-01-03' UNION ALL SELECT ${COLS} FROM ${read(b3)}`);
    });
  });

  it("fails when the batch has rows outside write.filter, and commits nothing", async () => {
    await withEngine(async (engine) => {
      const spec = (src: string) => fixtureSpec(src, { write: { mode: "overwrite", filter: { day: "{date}" } } });
      await engine.load(spec(b3), { params: { date: "2024-01-03" } });
      const error = await engine.load(spec(bad), { params: { date: "2024-01-03" } }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/1 row of the batch falls outside write.filter \(day = 2024-01-03\)/);
      expect(loadResultOf(error)?.status).toBe("failed");
      expect(await engine.history("t.items")).toHaveLength(1);
    });
  });
});

describe("write.mode replace-partitions", () => {
  it("replaces the partitions present in the batch and keeps the others", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1, { ...byDay, write: { mode: "replace-partitions" } }));
      const before = await liveFiles(engine, "t.items");
      const r = await engine.load(fixtureSpec(b3, { ...byDay, write: { mode: "replace-partitions" } }));
      expect(r).toMatchObject({ status: "committed", rowsInserted: 2, rowsDeleted: 2, filesRemoved: 1 });
      const after = await liveFiles(engine, "t.items");
      expect(before.filter((f) => after.includes(f))).toHaveLength(2); // days 1 and 2 untouched
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b1)} WHERE day <> DATE '2024-01-03' UNION ALL SELECT ${COLS} FROM ${read(b3)}`);
    });
  });

  it("replaces the run date's partition given as a {date} filter on a transform (daily batch)", async () => {
    await withEngine(async (engine) => {
      const spec = (src: string) => fixtureSpec(src, { partition: ["day(updated_at)"], write: { mode: "replace-partitions", filter: { "day(updated_at)": "{date}" } } });
      await engine.load(spec(b1), { params: { date: "2024-02-01" } });
      const r = await engine.load(spec(b3), { params: { date: "2024-02-01" } }).catch((e: unknown) => e);
      expect(String(r)).toMatch(/outside write.filter \(updated_at >= 2024-02-01 and updated_at < 2024-02-02\)/);
      const ok = await engine.load(spec(b3), { params: { date: "2024-02-02" } });
      expect(ok).toMatchObject({ status: "committed", rowsInserted: 2, rowsDeleted: 0 });
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b1)} UNION ALL SELECT ${COLS} FROM ${read(b3)}`);
    });
  });
});

describe("write.mode merge", () => {
  const mergeSpec = (src: string) => fixtureSpec(src, {
    ...byDay, key: ["id"], dedupe: { keep: "latest", orderBy: "updated_at" }, write: { mode: "merge", deleteMarker: { column: "op", value: "D" } },
  });
  // Independent meaning of the merge: per key the newest version wins (the later batch on a tie); a winning delete marker removes the key.
  const expectedMerge = () => `SELECT ${COLS} FROM (SELECT *, 1 AS src FROM ${read(b1)} UNION ALL SELECT *, 2 AS src FROM ${read(b2)})
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, src DESC) = 1 AND coalesce(op, '') <> 'D'`;

  it("updates newer rows, inserts new keys, deletes marked ones and leaves a late older row's newer row in place", async () => {
    await withEngine(async (engine) => {
      await engine.load(mergeSpec(b1));
      const r = await engine.load(mergeSpec(b2));
      expect(r).toMatchObject({ status: "committed", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 1, rowsStale: 1 });
      await expectTable(engine, expectedMerge());
      const four = (await engine.query("select cast(amount as varchar) a from t.items where id = 4")).rows();
      expect(four).toEqual([{ a: "40.00" }]);
    });
  });

  it("rewrites only the files that hold incoming keys with a change", async () => {
    await withEngine(async (engine) => {
      await engine.load(mergeSpec(b1));
      const before = await liveFiles(engine, "t.items"); // one file per day
      expect(before).toHaveLength(3);
      const day = (f: string) => /day=(\d{4}-\d{2}-\d{2})/.exec(f)?.[1];
      const r = await engine.load(mergeSpec(b2));
      const after = await liveFiles(engine, "t.items");
      // Day 1 (update of 2) and day 3 (delete of 5, insert of 7) are replaced; day 2 only had a stale row (4).
      expect(before.filter((f) => !after.includes(f)).map(day).sort()).toEqual(["2024-01-01", "2024-01-03"]);
      expect(after.filter((f) => before.includes(f)).map(day)).toEqual(["2024-01-02"]);
      expect(r.filesRemoved).toBe(2);
      const history = await engine.history("t.items");
      expect(history.map((h) => h.operation)).toEqual(["append", "overwrite"]);
    });
  });

  it("fails on duplicate keys in the batch without dedupe", async () => {
    await withEngine(async (engine) => {
      const error = await engine.load(fixtureSpec(dups, { key: ["id"], write: { mode: "merge" } })).catch((e: unknown) => e);
      expect(String(error)).toMatch(/merge: key id = 1 appears 2 times in the batch/);
    });
  });
});

describe("dedupe", () => {
  it("keep: exact drops identical rows only", async () => {
    await withEngine(async (engine) => {
      const r = await engine.load(fixtureSpec(dups, { dedupe: { keep: "exact" } }));
      expect(r.duplicatesDropped).toBe(1);
      await expectTable(engine, `SELECT DISTINCT ${COLS} FROM ${read(dups)}`);
    });
  });

  it("keep: latest keeps the newest row per key; ties go to the smallest values column by column; NULL order is oldest", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(dups, { key: "id", dedupe: { keep: "latest", orderBy: "updated_at" } }));
      await expectTable(engine, `SELECT id, day, min(amount) AS amount, updated_at FROM ${read(dups)} d
        WHERE updated_at IS NOT DISTINCT FROM (SELECT max(updated_at) FROM ${read(dups)} x WHERE x.id = d.id) GROUP BY id, day, updated_at`);
    });
  });

  it("keep: first keeps the oldest row per key", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(dups, { key: "id", dedupe: { keep: "first", orderBy: "updated_at" } }));
      await expectTable(engine, `SELECT id, day, min(amount) AS amount, updated_at FROM ${read(dups)} d
        WHERE updated_at IS NOT DISTINCT FROM coalesce((SELECT min(updated_at) FROM ${read(dups)} x WHERE x.id = d.id), NULL) GROUP BY id, day, updated_at`);
    });
  });

  it("repeated runs pick the same row among ties", async () => {
    const picks: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      await withEngine(async (engine) => {
        await engine.load(fixtureSpec(dups, { key: "id", dedupe: { keep: "latest", orderBy: "updated_at" } }));
        picks.push((await engine.query("select cast(amount as varchar) a from t.items where id = 3")).rows());
      });
    }
    expect(picks[0]).toEqual([{ a: "31.00" }]);
    expect(picks[1]).toEqual(picks[0]);
  });

  it("against: table inserts only keys the table does not hold", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1, { key: "id" }));
      const r = await engine.load(fixtureSpec(b2, { key: "id", dedupe: { keep: "latest", orderBy: "updated_at", against: "table" } }));
      expect(r).toMatchObject({ rowsInserted: 2, duplicatesDropped: 3 });
      await expectTable(engine, `SELECT ${COLS} FROM ${read(b1)} UNION ALL SELECT ${COLS} FROM ${read(b2)} WHERE id NOT IN (SELECT id FROM ${read(b1)})`);
    });
  });
});

describe("schemaEvolution", () => {
  const wider = (src: string, policy?: string) => ({
    ...fixtureSpec(src),
    columns: [...(fixtureSpec(src)["columns"] as object[]), { name: "op", type: "string", required: true }],
    ...(policy ? { schemaEvolution: policy } : {}),
  });

  it("fail (default) names the column the table lacks", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1));
      await expect(engine.load(wider(b2))).rejects.toThrow(/column op is in the spec but not in table t\.items \(schemaEvolution: fail; set schemaEvolution: evolve/);
    });
  });

  it("evolve adds it as an optional column and loads it", async () => {
    await withEngine(async (engine) => {
      await engine.load(fixtureSpec(b1));
      const r = await engine.load(wider(b2, "evolve"));
      expect(r.status).toBe("committed");
      const t = await engine.openTable("t.items");
      expect(t.schema().fields.map((f) => [f.name, f.required])).toContainEqual(["op", false]);
      const rows = (await engine.query("select id, op from t.items where op is not null order by id")).rows();
      expect(rows.map((x) => [Number(x["id"]), x["op"]])).toEqual([[5, "D"], [9, "D"]]);
    });
  });
});
