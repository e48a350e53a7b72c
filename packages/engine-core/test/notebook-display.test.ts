import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DuckDbSession } from "../src/duckdb/session.js";
import { barChart, lineChart, niceTicks } from "../src/notebook/chart.js";
import { toDanfo } from "../src/notebook/danfo.js";
import { display, mimeBundleOf } from "../src/notebook/display.js";
import { MIME_BUNDLE } from "../src/notebook/mime-bundle.js";
import { QueryResult } from "../src/query/query-result.js";

let db: DuckDbSession;
beforeAll(async () => {
  db = await DuckDbSession.create({ memoryLimit: "256MB", threads: 1 });
});
afterAll(() => db.close());
const query = async (sql: string) => new QueryResult((await db.query(sql)).toArrow());

describe("barChart", () => {
  it("draws one bar per row as standalone SVG, with escaped labels", async () => {
    const r = await query(`select date '2024-01-01' + range::int as day, (range * 10)::bigint as n from range(3)`);
    const chart = barChart(r, { x: "day", y: "n", title: "rows <per> day" });
    expect(chart.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(chart.svg.endsWith("</svg>")).toBe(true);
    expect(chart.svg.match(/<rect x=/g)).toHaveLength(3);
    expect(chart.svg).toContain("2024-01-03: 20");
    expect(chart.svg).toContain("rows &lt;per&gt; day");
    expect(chart[MIME_BUNDLE]()["image/svg+xml"]).toBe(chart.svg);
    expect(chart.description).toBe("bar chart: rows <per> day (3 points)");
  });

  it("reads decimals and row objects, and names a missing column", async () => {
    const r = await query(`select 'a' k, 1.25::decimal(10,2) v union all select 'b', 2.50`);
    expect(barChart(r, { x: "k", y: "v" }).svg).toContain("b: 2.50");
    expect(barChart([{ k: "x", v: 3n }, { k: "y", v: null }], { x: "k", y: "v" }).svg.match(/<rect x=/g)).toHaveLength(1);
    expect(() => barChart(r, { x: "k", y: "nope" })).toThrow(/chart: y: expected one of the columns k, v, got "nope"/);
    expect(() => barChart([{ k: "x", v: "text" }], { x: "k", y: "v" })).toThrow(/expected numbers/);
  });
});

describe("lineChart", () => {
  it("draws a polyline broken at nulls with a point per value", () => {
    const svg = lineChart([{ d: 1, v: 1 }, { d: 2, v: 2 }, { d: 3, v: null }, { d: 4, v: 3 }, { d: 5, v: 1 }], { x: "d", y: "v" }).svg;
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
  });
});

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(0, 1043)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 950)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
});

describe("mimeBundleOf", () => {
  it("asks a value for its own bundle, else picks one by shape", async () => {
    expect(mimeBundleOf(await query("select 1 a"))["text/html"]).toContain("<table");
    expect(mimeBundleOf({ table: "t.x", loadId: "l", rowsRead: 1, duplicatesDropped: 0, rowsWritten: 1, filesWritten: 1, bytesWritten: 1, durationMs: 1, stages: [] })["text/html"]).toContain("rows read");
    expect(mimeBundleOf([{ snapshotId: 1n, timestampMs: 0n, operation: "append", summary: {} }])["text/html"]).toContain("snapshot id");
    expect(mimeBundleOf([{ a: 1, b: null }])["text/html"]).toMatch(/<td style="text-align:right">1<\/td>/);
    expect(mimeBundleOf({ [MIME_BUNDLE]: () => ({ "text/plain": "mine" }) })).toEqual({ "text/plain": "mine" });
    expect(mimeBundleOf("hello")).toEqual({ "text/plain": "hello" });
  });
});

describe("display", () => {
  it("prints the text form when no tslab kernel runs this process", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      display(await query("select 42 answer"));
      expect(String(log.mock.calls[0]?.[0])).toContain("42");
    } finally {
      log.mockRestore();
    }
  });
});

describe("toDanfo", () => {
  it("converts a result to a danfojs DataFrame (danfojs installed in examples/)", async () => {
    const r = await query(`select range::bigint id, (range * 1.5)::decimal(10,2) amount, date '2024-01-01' + range::int d, null::varchar s from range(3)`);
    const df = await toDanfo(r, { resolveFrom: path.resolve(__dirname, "../../../examples") });
    expect(df.shape).toEqual([3, 4]);
    expect(df.columns).toEqual(["id", "amount", "d", "s"]);
    expect(df["column"]("amount").values).toEqual([0, 1.5, 3]);
    expect(df["column"]("d").values).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
    const html = mimeBundleOf(df)["text/html"]!;
    expect(html).toContain("<table");
    expect(html).toContain('<td style="text-align:right">1.5</td>');
  }, 30_000);

  it("says to install danfojs when it is absent", () => {
    // A child without the NODE_PATH that pnpm's bin shims add, so nothing hoisted is found.
    const { NODE_PATH: _, ...env } = process.env;
    const src = pathToFileURL(path.resolve(__dirname, "../src/notebook/danfo.ts")).href;
    const code = `const { toDanfo } = await import(${JSON.stringify(src)});
      try { await toDanfo({ schema: { fields: [] }, numRows: 0, getChildAt: () => null }, { resolveFrom: "/" }); console.log("loaded"); }
      catch (e) { console.log(e.code + " " + e.message); }`;
    const out = execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code], { env, encoding: "utf8" });
    expect(out).toMatch(/^MISSING_DEPENDENCY notebook: toDanfo: .*install danfojs/);
  }, 30_000);
});
