import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbSession } from "../src/duckdb/session.js";
import { decimalText } from "../src/notebook/cell-format.js";
import { historyHtml } from "../src/notebook/history-html.js";
import { escapeHtml, formatCount } from "../src/notebook/html.js";
import { loadReportHtml, loadReportText, type LoadReportLike } from "../src/notebook/load-report-html.js";
import { MIME_BUNDLE } from "../src/notebook/mime-bundle.js";
import { QueryResult } from "../src/query/query-result.js";

let db: DuckDbSession;
beforeAll(async () => {
  db = await DuckDbSession.create({ memoryLimit: "256MB", threads: 1 });
});
afterAll(() => db.close());
const query = async (sql: string) => new QueryResult((await db.query(sql)).toArrow());

/** The text of each <td> of the body, tags stripped, in order. */
const cells = (html: string): string[] => [...html.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and quoted attributes", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  });
});

describe("QueryResult.toHTML", () => {
  it("escapes markup, ampersands and quotes in values and column names", async () => {
    const html = (await query(`select '<script>alert("x")</script> & ''q''' as "a<b&c"`)).toHTML();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
    expect(html).toContain("a&lt;b&amp;c");
  });

  it("shows NULL distinctly from the text 'NULL' and from empty text", async () => {
    const [nullCell, textCell, emptyCell] = cells((await query(`select null::varchar a, 'NULL' b, '' c`)).toHTML());
    expect(nullCell).toMatch(/<span style="[^"]*italic[^"]*">NULL<\/span>/);
    expect(textCell).toBe("NULL");
    expect(emptyCell).toBe("");
  });

  it("formats bigints, decimals, dates and timestamps exactly", async () => {
    const r = await query(`select 9007199254740993::bigint b, 12345678901234567890.12::decimal(38,2) d, -0.05::decimal(12,2) neg,
      1.5::double f, 2::double whole, date '1969-12-31' dt, timestamptz '2024-01-05 10:00:00.123456+00' ts,
      timestamp '2024-01-05 10:00:00' tsn, true ok, [1, null] l`);
    expect(cells(r.toHTML())).toEqual([
      "9007199254740993", "12345678901234567890.12", "-0.05", "1.5", "2.0", "1969-12-31",
      "2024-01-05 10:00:00.123456Z", "2024-01-05 10:00:00", "true", "[1, NULL]",
    ]);
  });

  it("right-aligns numeric columns only and names the column types in the header", async () => {
    const html = (await query(`select 1::bigint id, 2.50::decimal(12,2) amount, 'x' AS name, timestamptz '2024-01-01 00:00:00+00' ts`)).toHTML();
    const header = html.slice(html.indexOf("<thead>"), html.indexOf("</thead>"));
    expect(header).toMatch(/<th style="text-align:right">id<br><span[^>]*>long<\/span><\/th>/);
    expect(header).toContain("decimal(12,2)");
    expect(header).toMatch(/<th style="text-align:left">name<br><span[^>]*>string<\/span>/);
    expect(header).toContain("timestamptz");
    const tds = [...html.matchAll(/<td style="([^"]*)">/g)].map((m) => m[1]);
    expect(tds).toEqual(["text-align:right", "text-align:right", "text-align:left", "text-align:left"]);
  });

  it("shows the first rows and counts the rest", async () => {
    const r = await query(`select range id from range(1234)`);
    const html = r.toHTML({ maxRows: 5 });
    expect(cells(html).slice(0, 5)).toEqual(["0", "1", "2", "3", "4"]);
    expect(html).toContain("… 1,229 more rows");
    expect(html).toContain("1,234 rows × 1 column");
    expect(cells(r.toHTML())).toHaveLength(20 + 1); // default 20 rows + the "more" row
    expect(html).not.toContain(">5<");
  });

  it("cuts long text and keeps the table well-formed for an empty result", async () => {
    const long = (await query(`select repeat('x', 500) s`)).toHTML({ maxChars: 10 });
    expect(cells(long)[0]).toBe("xxxxxxxxxx…");
    const empty = (await query(`select 1 a where false`)).toHTML();
    expect(empty).toContain("0 rows × 1 column");
    expect(empty).not.toContain("more row");
  });

  it("offers an HTML and text MIME bundle and the Arrow table", async () => {
    const r = await query(`select 1 a`);
    const bundle = r[MIME_BUNDLE]();
    expect(bundle["text/html"]).toBe(r.toHTML());
    expect(bundle["text/plain"]).toContain("(1 row)");
    expect(r.toArrow()).toBe(r.arrow);
  });
});

describe("decimalText", () => {
  it("renders 128-bit two's complement words with their scale", () => {
    expect(decimalText(new Uint32Array([1250, 0, 0, 0]), 2)).toBe("12.50");
    expect(decimalText(new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]), 3)).toBe("-0.001");
    expect(decimalText(new Uint32Array([7, 0, 0, 0]), 0)).toBe("7");
  });
});

describe("formatCount", () => {
  it("groups thousands without depending on the locale", () => {
    expect([formatCount(0), formatCount(999), formatCount(1234567), formatCount(-1234), formatCount(12345678901234567890n)])
      .toEqual(["0", "999", "1,234,567", "-1,234", "12,345,678,901,234,567,890"]);
  });
});

const report: LoadReportLike & { validations: LoadReportLike["validations"] } = {
  table: "sales.orders", status: "committed", mode: "merge", snapshotId: 123456789012345678n, loadId: "ld-1",
  rowsRead: 20919, duplicatesDropped: 919, rowsRejected: 0, rowsInserted: 20000, rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0,
  rowsWritten: 20000, filesWritten: 3, bytesWritten: 512_000, filesRemoved: 0, durationMs: 1234,
  stages: [{ name: "source", ms: 40 }, { name: "write", ms: 900 }],
  validations: [
    { rule: "unique", path: "validate[2]", phase: "pre", severity: "error", passed: true, observed: 0, failingExamples: [], message: "validate[2] unique(order_id): ok" },
    { rule: "range", path: "validate[5]", phase: "pre", severity: "warn", passed: false, observed: 3, failingExamples: ["-1.00", "<b>"], message: "validate[5] range(amount): expected >= 0, found 3" },
    { rule: "rowCount", path: "validate[3]", phase: "post", severity: "error", passed: false, observed: null, failingExamples: [], message: "validate[3] rowCount: expected at least 1, found 0" },
  ],
};

describe("loadReportHtml", () => {
  it("shows status, counts, stages and validations coloured by outcome", () => {
    const html = loadReportHtml(report);
    expect(html).toContain("sales.orders");
    expect(html).toContain(">committed</span>");
    expect(html).toContain("snapshot 123456789012345678");
    expect(html).toContain("20,919");
    expect(html).toContain("duplicates dropped");
    expect(html).toContain("1.23 s");
    expect(html).toMatch(/background:#e6f4ea[^"]*"[^>]*>pass</);
    expect(html).toMatch(/background:#fef7e0[^"]*"[^>]*>warn</);
    expect(html).toMatch(/background:#fce8e6[^"]*"[^>]*>fail</);
    expect(html).toContain("1 passed, 1 warning, 1 failed");
    expect(html).toContain("-1.00, &lt;b&gt;");
    expect(html).not.toContain("<b>");
  });

  it("renders a skipped or failed load and a report without the newer counts", () => {
    const { rowsRejected: _a, rowsInserted: _b, rowsUpdated: _c, rowsDeleted: _d, rowsStale: _e, filesRemoved: _f, validations: _g, status: _h, mode: _i, ...old } = report;
    const html = loadReportHtml(old);
    expect(html).not.toContain("inserted");
    expect(html).toContain(">committed</span>");
    expect(loadReportHtml({ ...report, status: "failed", error: { code: "VALIDATION_FAILED", message: "x < y" } })).toContain("VALIDATION_FAILED: x &lt; y");
    expect(loadReportHtml({ ...report, status: "skipped", message: "already loaded" })).toContain("already loaded");
    expect(loadReportText(report)).toContain("[warn] validate[5] range(amount)");
  });
});

describe("historyHtml", () => {
  it("lists snapshots newest first with their summary counts", () => {
    const html = historyHtml([
      { snapshotId: 1n, timestampMs: 1704067200000n, operation: "append", summary: { "added-records": "20000", "total-records": "20000" } },
      { snapshotId: 2n, parentId: 1n, timestampMs: 1704153600000n, operation: "overwrite", summary: { "added-records": "5", "deleted-records": "3", "total-records": "20002" } },
    ]);
    const body = cells(html);
    expect(body.slice(0, 4)).toEqual(["2", "1", "2024-01-02 00:00:00 UTC", "overwrite"]);
    expect(body).toContain("20,002");
    expect(html).toContain("2 snapshots, newest first");
    expect(body[10]).toMatch(/NULL/); // the first snapshot has no parent
  });
});
