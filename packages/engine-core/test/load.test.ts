import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBinary, type PrimitiveType } from "@engine/iceberg";
import { Engine } from "../src/engine/engine.js";
import { LoadError } from "../src/load/errors.js";
import { SourceError } from "../src/errors.js";
import { oracle } from "./util/oracle.js";
import { ordersCsvRead, ordersSpec, writeOrdersCsv } from "./util/fixtures.js";
import { tempDir } from "./util/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
let glob: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeOrdersCsv(path.join(dir, "in"));
  glob = path.join(dir, "in", "*.csv");
});
afterAll(async () => { await cleanup(); });

async function withEngine<T>(name: string, fn: (e: Engine, warehouse: string) => Promise<T>): Promise<T> {
  const warehouse = path.join(dir, `wh-${name}`);
  const engine = await Engine.open({ warehouse });
  try { return await fn(engine, warehouse); } finally { engine.close(); }
}

/** Live data files of a table as our scan lists them (local paths). */
async function liveFiles(engine: Engine, table: string): Promise<string[]> {
  const t = await engine.openTable(table);
  const tasks = await t.newScan().planFiles();
  return tasks.map((x) => t.io.localPath(x.file.filePath) ?? x.file.filePath);
}

const COLS = "order_id, customer_id, email, amount, order_ts, updated_at";
const list = (files: string[]) => `[${files.map((f) => `'${f}'`).join(", ")}]`;

/** Rows of `actual` minus rows of `expected` and the reverse (multiset), computed by an independent DuckDB. */
async function diff(actualSql: string, expectedSql: string): Promise<{ extra: number; missing: number; n: number }> {
  const [r] = await oracle(`WITH a AS (${actualSql}), e AS (${expectedSql})
    SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e)) AS extra,
           (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a)) AS missing,
           (SELECT count(*) FROM a) AS n`);
  return { extra: Number(r!["extra"]), missing: Number(r!["missing"]), n: Number(r!["n"]) };
}

describe("Engine.load", () => {
  it("appends a CSV glob and the table equals the input computed independently", async () => {
    await withEngine("plain", async (engine) => {
      const result = await engine.load(ordersSpec(glob));
      const [{ n }] = (await oracle(`SELECT count(*) AS n FROM ${ordersCsvRead(glob)}`)) as [{ n: string }];
      expect(result.rowsRead).toBe(Number(n));
      expect(result.rowsWritten).toBe(Number(n));
      expect(result.snapshotId).toBeTypeOf("bigint");
      expect(result.loadId).toMatch(/^[0-9a-f]{64}$/);
      const files = await liveFiles(engine, "sales.orders");
      expect(files.length).toBe(result.filesWritten);
      expect(await diff(`SELECT ${COLS} FROM read_parquet(${list(files)})`, `SELECT ${COLS} FROM ${ordersCsvRead(glob)}`)).toEqual({ extra: 0, missing: 0, n: Number(n) });
      const q = await engine.query("select count(*) as n, count(distinct order_id) as k from sales.orders");
      expect(Number(q.rows()[0]!["n"])).toBe(Number(n));
      const history = await engine.history("sales.orders");
      expect(history).toHaveLength(1);
      expect(history[0]!.summary["engine.load-id"]).toBe(result.loadId);
      expect(await engine.tables()).toEqual(["sales.orders"]);
    });
  });

  it("dedupes latest per key like an independent max(updated_at) query", async () => {
    await withEngine("latest", async (engine) => {
      const result = await engine.load(ordersSpec(glob, { key: ["order_id"], dedupe: { keep: "latest", orderBy: ["updated_at"] } }));
      const expected = `SELECT ${COLS} FROM ${ordersCsvRead(glob)} t WHERE (order_id, updated_at) IN (SELECT order_id, max(updated_at) FROM ${ordersCsvRead(glob)} GROUP BY order_id)`;
      const files = await liveFiles(engine, "sales.orders");
      const d = await diff(`SELECT ${COLS} FROM read_parquet(${list(files)})`, `SELECT DISTINCT * FROM (${expected})`);
      expect(d.extra + d.missing).toBe(0);
      expect(result.duplicatesDropped).toBe(result.rowsRead - d.n);
      expect(result.duplicatesDropped).toBeGreaterThan(0);
      const rows = (await engine.query("select order_id, email, cast(amount as varchar) amount, cast(updated_at as varchar) u from sales.orders order by order_id")).rows();
      const exp = await oracle(`SELECT order_id, email, cast(amount as varchar) amount, cast(updated_at as varchar) u FROM (SELECT DISTINCT * FROM (${expected})) ORDER BY order_id`);
      expect(rows.map((r) => [String(r["order_id"]), r["email"], r["amount"], r["u"]])).toEqual(exp.map((r) => [String(r["order_id"]), r["email"], r["amount"], r["u"]]));
    });
  });

  it("dedupes first per key like an independent min(updated_at) query", async () => {
    await withEngine("first", async (engine) => {
      await engine.load(ordersSpec(glob, { key: ["order_id"], dedupe: { keep: "first", orderBy: ["updated_at"] } }));
      const expected = `SELECT DISTINCT ${COLS} FROM ${ordersCsvRead(glob)} t WHERE (order_id, updated_at) IN (SELECT order_id, min(updated_at) FROM ${ordersCsvRead(glob)} GROUP BY order_id)`;
      const files = await liveFiles(engine, "sales.orders");
      const d = await diff(`SELECT ${COLS} FROM read_parquet(${list(files)})`, expected);
      expect(d).toMatchObject({ extra: 0, missing: 0 });
    });
  });

  it("dedupes exact duplicates like an independent GROUP BY", async () => {
    await withEngine("exact", async (engine) => {
      const result = await engine.load(ordersSpec(glob, { dedupe: { keep: "exact" } }));
      const expected = `SELECT ${COLS} FROM ${ordersCsvRead(glob)} GROUP BY ALL`;
      const files = await liveFiles(engine, "sales.orders");
      const d = await diff(`SELECT ${COLS} FROM read_parquet(${list(files)})`, expected);
      expect(d).toMatchObject({ extra: 0, missing: 0 });
      expect(result.duplicatesDropped).toBeGreaterThan(0);
    });
  });

  it("partitions by day: one Iceberg day value per file, equal to date_diff from 1970", async () => {
    await withEngine("day", async (engine) => {
      const result = await engine.load(ordersSpec(glob, { partition: ["day(order_ts)"] }));
      const t = await engine.openTable("sales.orders");
      const tasks = await t.newScan().planFiles();
      expect(tasks.length).toBe(result.filesWritten);
      const seen = new Set<number>();
      for (const task of tasks) {
        const file = t.io.localPath(task.file.filePath)!;
        expect(path.basename(path.dirname(file))).toMatch(/^order_ts_day=\d{4}-\d{2}-\d{2}$/);
        const days = await oracle(`SELECT DISTINCT date_diff('day', DATE '1970-01-01', CAST(order_ts AT TIME ZONE 'UTC' AS DATE)) AS d FROM read_parquet('${file}')`);
        expect(days).toHaveLength(1);
        expect(task.file.partition).toEqual([Number(days[0]!["d"])]);
        seen.add(Number(days[0]!["d"]));
      }
      expect([...seen].some((d) => d < 0)).toBe(true);
      const [{ k }] = (await oracle(`SELECT count(DISTINCT CAST(order_ts AS DATE)) AS k FROM ${ordersCsvRead(glob)}`)) as [{ k: string }];
      expect(seen.size).toBe(Number(k));
      expect(t.spec().fields.map((f) => [f.name, f.fieldId])).toEqual([["order_ts_day", 1000]]);
    });
  });

  it("writes Parquet field ids 1..N in column order", async () => {
    await withEngine("ids", async (engine) => {
      await engine.load(ordersSpec(glob));
      const files = await liveFiles(engine, "sales.orders");
      const ids = await oracle(`SELECT name, field_id FROM parquet_schema('${files[0]}') WHERE name <> 'duckdb_schema'`);
      expect(ids.map((r) => [r["name"], Number(r["field_id"])])).toEqual([
        ["order_id", 1], ["customer_id", 2], ["email", 3], ["amount", 4], ["order_ts", 5], ["updated_at", 6],
      ]);
    });
  });

  it("records manifest bounds that decode to the min/max computed independently", async () => {
    await withEngine("stats", async (engine) => {
      const result = await engine.load(ordersSpec(glob));
      const t = await engine.openTable("sales.orders");
      const schema = t.schema();
      for (const task of await t.newScan().planFiles()) {
        const file = t.io.localPath(task.file.filePath)!;
        const [mm] = await oracle(`SELECT min(order_id)::VARCHAR a, max(order_id)::VARCHAR b, min(amount * 100)::BIGINT::VARCHAR c, max(amount * 100)::BIGINT::VARCHAR d,
          epoch_us(min(order_ts))::VARCHAR e, epoch_us(max(order_ts))::VARCHAR f, min(email) g, max(email) h, count(*) - count(email) AS nn, count(*) AS n FROM read_parquet('${file}')`);
        const dec = (id: number, side: "lowerBounds" | "upperBounds") => fromBinary(schema.fields.find((f) => f.id === id)!.type as PrimitiveType, task.file[side]!.get(id)!);
        expect(dec(1, "lowerBounds")).toBe(BigInt(mm!["a"] as string));
        expect(dec(1, "upperBounds")).toBe(BigInt(mm!["b"] as string));
        expect(dec(4, "lowerBounds")).toBe(BigInt(mm!["c"] as string));
        expect(dec(4, "upperBounds")).toBe(BigInt(mm!["d"] as string));
        expect(dec(5, "lowerBounds")).toBe(BigInt(mm!["e"] as string));
        expect(dec(5, "upperBounds")).toBe(BigInt(mm!["f"] as string));
        // Strings: truncated to 16 characters; the upper bound is incremented past the prefix.
        const lo = dec(3, "lowerBounds") as string;
        const hi = dec(3, "upperBounds") as string;
        expect(lo).toBe((mm!["g"] as string).slice(0, 16));
        expect(hi >= (mm!["h"] as string).slice(0, 16)).toBe(true);
        expect(task.file.nullValueCounts!.get(3)).toBe(BigInt(mm!["nn"] as string));
        expect(task.file.valueCounts!.get(3)).toBe(BigInt(mm!["n"] as string));
        expect(task.file.recordCount).toBe(BigInt(mm!["n"] as string));
      }
      expect(result.bytesWritten).toBeGreaterThan(0);
    });
  });

  it("fails a malformed CSV with file and line, leaving the table and data folder unchanged", async () => {
    await withEngine("bad", async (engine, warehouse) => {
      const first = await engine.load(ordersSpec(glob));
      const badDir = path.join(dir, "bad");
      await writeOrdersCsv(badDir, { files: 2, rowsPerFile: 30 });
      const { appendFile } = await import("node:fs/promises");
      await appendFile(path.join(badDir, "part-1.csv"), "999,1,x@y,1.00,2024-01-01 00:00:00+00,2024-01-01 00:00:00+00,extra,more\n");
      const err = await engine.load(ordersSpec(path.join(badDir, "*.csv"))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      const { readFile } = await import("node:fs/promises");
      const line = (await readFile(path.join(badDir, "part-1.csv"), "utf8")).trimEnd().split("\n").length;
      expect((err as Error).message).toMatch(new RegExp(`^source: .*bad/part-1\\.csv:${line}: expected 6 fields, got 8$`));
      const t = await engine.openTable("sales.orders");
      expect(t.currentSnapshot()!.snapshotId).toBe(first.snapshotId);
      const dataFiles = (await readdir(path.join(warehouse, "sales", "orders", "data"), { recursive: true })).filter((f) => f.endsWith(".parquet"));
      expect(dataFiles).toHaveLength(first.filesWritten);
    });
  });

  it("fails a value that does not convert with file, line and column", async () => {
    await withEngine("conv", async (engine) => {
      const badDir = path.join(dir, "conv");
      await writeOrdersCsv(badDir, { files: 1, rowsPerFile: 5 });
      const { appendFile } = await import("node:fs/promises");
      await appendFile(path.join(badDir, "part-0.csv"), "7,1,x@y,abc,2024-01-01 00:00:00+00,2024-01-01 00:00:00+00\n");
      const err = await engine.load(ordersSpec(path.join(badDir, "*.csv"))).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/^source: .*conv\/part-0\.csv:8: column amount: could not convert "abc"/);
      expect(await engine.tables()).toEqual([]);
    });
  });

  it("names a missing file pattern and a missing required column", async () => {
    await withEngine("missing", async (engine) => {
      await expect(engine.load(ordersSpec(path.join(dir, "nope", "*.csv")))).rejects.toThrow(/^source: no files match .*nope\/\*\.csv/);
      const spec = ordersSpec(glob);
      (spec["columns"] as unknown[]).push({ name: "region", type: "string", required: true });
      const err = await engine.load(spec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LoadError);
      expect((err as Error).message).toMatch(/required column region is missing/);
    });
  });

  it("loads NDJSON, Parquet and in-memory rows", async () => {
    await withEngine("formats", async (engine) => {
      const jsonDir = path.join(dir, "json");
      const pqDir = path.join(dir, "pq");
      await oracle(`COPY (SELECT * FROM ${ordersCsvRead(glob)}) TO '${jsonDir}.json' (FORMAT json)`);
      await oracle(`COPY (SELECT * FROM ${ordersCsvRead(glob)}) TO '${pqDir}.parquet' (FORMAT parquet)`);
      const jsonSpec = { ...ordersSpec(`${jsonDir}.json`), table: "raw.orders_json", source: { format: "json", path: `${jsonDir}.json` } };
      const pqSpec = { ...ordersSpec(`${pqDir}.parquet`), table: "raw.orders_pq", source: { format: "parquet", path: `${pqDir}.parquet` } };
      const a = await engine.load(jsonSpec);
      const b = await engine.load(pqSpec);
      const [{ n }] = (await oracle(`SELECT count(*) AS n FROM ${ordersCsvRead(glob)}`)) as [{ n: string }];
      expect(a.rowsWritten).toBe(Number(n));
      expect(b.rowsWritten).toBe(Number(n));
      for (const table of ["raw.orders_json", "raw.orders_pq"]) {
        const d = await diff(`SELECT ${COLS} FROM read_parquet(${list(await liveFiles(engine, table))})`, `SELECT ${COLS} FROM ${ordersCsvRead(glob)}`);
        expect(d).toMatchObject({ extra: 0, missing: 0 });
      }
      const mem = await engine.load({ ...ordersSpec("unused"), table: "raw.mem", source: { format: "memory" } }, {
        data: [
          { order_id: 1, customer_id: 2n, email: "a@b", amount: "1.25", order_ts: new Date(Date.UTC(2024, 0, 1)), updated_at: "2024-01-02T00:00:00Z" },
          { order_id: 2, customer_id: null, email: null, amount: 3.5, order_ts: "2024-01-03 10:00:00+00", updated_at: null },
        ],
      });
      expect(mem.rowsWritten).toBe(2);
      const rows = (await engine.query("select order_id, cast(amount as varchar) a, cast(order_ts as varchar) t from raw.mem order by 1")).rows();
      expect(rows).toEqual([
        { order_id: 1n, a: "1.25", t: "2024-01-01 00:00:00+00" },
        { order_id: 2n, a: "3.50", t: "2024-01-03 10:00:00+00" },
      ]);
    });
  });

  it("appends a second load as a new snapshot and time travel reads the first", async () => {
    await withEngine("twice", async (engine) => {
      const first = await engine.load(ordersSpec(glob));
      const second = await engine.load(ordersSpec(glob), { force: true }); // the same load again is skipped unless forced
      expect(second.snapshotId).not.toBe(first.snapshotId);
      const now = await engine.query("select count(*) n from sales.orders");
      const then = await engine.query("select count(*) n from sales.orders", { asOf: { "sales.orders": first.snapshotId! } });
      expect(Number(now.rows()[0]!["n"])).toBe(2 * first.rowsWritten);
      expect(Number(then.rows()[0]!["n"])).toBe(first.rowsWritten);
    });
  });
});
