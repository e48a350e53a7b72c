import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec, type TableSpec } from "@engine/core";
import { runRetention, type RetentionReport } from "../src/index.js";

const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 1, 12);
const NOW = "2024-03-11T00:00:00.000Z";
// 10 days of orders, 6 per day; retention 5d from NOW keeps March 6 (12:00) onwards.
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({
  order_id: from + i, customer_id: ((from + i) % 7) + 1, order_ts: new Date(START + Math.floor((from + i - 1) / 6) * DAY).toISOString(), day: new Date(START + Math.floor((from + i - 1) / 6) * DAY).toISOString().slice(0, 10),
}));

function ordersSpec(pii: object, partition: string[] = ["day(order_ts)"]): TableSpec {
  return parseSpec({
    table: "sales.orders", source: { format: "memory" },
    columns: [{ name: "order_id", type: "long", required: true }, { name: "customer_id", type: "long" }, { name: "order_ts", type: "timestamptz" }, { name: "day", type: "date" }],
    partition, write: { mode: "append" }, pii,
  });
}

describe("pii.retention in specs", () => {
  it("accepts a duration with retentionColumn and the { after, column } form, normalized alike", () => {
    expect(ordersSpec({ retention: "30d", retentionColumn: "order_ts" }).pii).toEqual({ separate: false, retention: "30d", retentionColumn: "order_ts" });
    expect(ordersSpec({ retention: { after: "30d", column: "order_ts" } }).pii).toEqual({ separate: false, retention: "30d", retentionColumn: "order_ts" });
    expect(ordersSpec({ retention: "30d" }).pii).toEqual({ separate: false, retention: "30d" });
  });

  it("rejects a retention column that is missing or not a date or timestamp", () => {
    expect(() => ordersSpec({ retention: { after: "30d", column: "order_id" } })).toThrow("pii.retention.column: expected a column of type date or timestamp");
    expect(() => ordersSpec({ retention: "30d", retentionColumn: "placed_at" })).toThrow('pii.retentionColumn: expected a column of the table');
    expect(() => ordersSpec({ retentionColumn: "order_ts" })).toThrow("pii.retention: expected a retention duration");
  });
});

describe("runRetention", () => {
  let engine: Engine;
  let report: RetentionReport;
  let firstSnapshot: bigint;
  const spec = ordersSpec({ retention: { after: "5d", column: "order_ts" } });

  beforeAll(async () => {
    engine = await Engine.open({ warehouse: path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-ret-")), "wh") });
    await engine.load(spec, { data: rows(1, 30) });
    firstSnapshot = (await engine.openTable("sales.orders")).currentSnapshot()!.snapshotId;
    await engine.load(spec, { data: rows(31, 30) });
    report = await runRetention(engine, spec, { now: NOW });
  });
  afterAll(() => engine?.close());

  it("deletes the rows older than the window and keeps the newer ones untouched", async () => {
    const left = (await engine.query("select order_id, order_ts from sales.orders order by order_id")).rows();
    expect(left.map((r) => Number(r.order_id))).toEqual(rows(31, 30).map((r) => r.order_id));
    expect(report.status).toBe("purged");
    expect(report.tables[0]).toMatchObject({ table: "sales.orders", column: "order_ts", retention: "5d", cutoff: "2024-03-06T00:00:00.000Z", rowsDeleted: 30 });
    expect(report.tables[0]!.verification).toMatchObject({ outcome: "clean", findings: [] });
  });

  it("expires the snapshots that held the old rows: time travel to them fails", async () => {
    expect(report.tables[0]!.snapshotsExpired).toContain(firstSnapshot.toString());
    await expect(engine.query("select count(*) from sales.orders", { asOf: { "sales.orders": firstSnapshot } })).rejects.toThrow();
  });

  it("does nothing on a second run with the same clock", async () => {
    const again = await runRetention(engine, spec, { now: NOW });
    expect(again.status).toBe("purged");
    expect(again.tables[0]).toMatchObject({ rowsDeleted: 0, filesRewritten: [], snapshotsExpired: [] });
  });

  it("counts whole days for a date column", async () => {
    const byDay = ordersSpec({ retention: "7d", retentionColumn: "day" });
    const r = await runRetention(engine, byDay, { now: NOW });
    // cutoff day 2024-03-04: days 6..10 (March 6–10) are already all that is left.
    expect(r.tables[0]).toMatchObject({ cutoff: "2024-03-04", rowsDeleted: 0 });
    const r2 = await runRetention(engine, byDay, { now: "2024-03-15T12:00:00Z" });
    // cutoff day 2024-03-08: March 6 and 7 go.
    expect(r2.tables[0]).toMatchObject({ cutoff: "2024-03-08", rowsDeleted: 12 });
    expect(Number((await engine.query("select count(*) n from sales.orders")).rows()[0]!.n)).toBe(18);
  });

  it("says what is missing for a spec without a retention column", async () => {
    await expect(runRetention(engine, ordersSpec({ retention: "5d" }), { now: NOW })).rejects.toThrow("pii: retention: sales.orders: expected the column retention counts from");
  });
});
