// Runs examples/notebooks/quickstart.ipynb headless in Jupyter with the tslab kernel (nbconvert
// --execute) and checks what the notebook showed against counts computed here with plain DuckDB
// over the generated files — not against anything Engine wrote.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { jupyterPeer, peerSkipped, REPO_ROOT } from "../../test/util/peers.js";
import { generateData } from "../generate-data.js";

const NOTEBOOK = path.join(REPO_ROOT, "examples/notebooks/quickstart.ipynb");

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join("") : (v ?? ""));

/** Counts the notebook should show, from the raw sample files. */
interface Expected {
  rawOrderRows: number;
  orders: number;
  customers: number;
  events: number;
  /** Latest version of each order, by status. */
  statuses: Map<string, number>;
  /** Status of the three orders with the lowest ids (the notebook cancels them). */
  firstThree: string[];
  days: number;
  /** Orders of the customer with the lowest id (the notebook erases them), after the notebook's merge. */
  subjectOrders: number;
}

async function expectedCounts(dataDir: string): Promise<Expected> {
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  try {
    const one = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJS();
    const orders = `read_csv('${dataDir}/orders/*.csv', header = true)`;
    const latest = `(SELECT * FROM ${orders} QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1)`;
    const [counts] = await one(`SELECT
      (SELECT count(*) FROM ${orders})::INTEGER AS raw, (SELECT count(DISTINCT order_id) FROM ${orders})::INTEGER AS orders,
      (SELECT count(DISTINCT customer_id) FROM read_json('${dataDir}/customers/*.ndjson'))::INTEGER AS customers,
      (SELECT count(DISTINCT event_id) FROM read_parquet('${dataDir}/events/*.parquet'))::INTEGER AS events,
      (SELECT count(DISTINCT CAST(event_ts AS DATE)) FROM read_parquet('${dataDir}/events/*.parquet'))::INTEGER AS days`);
    const statuses = await one(`SELECT status, count(*)::INTEGER AS n FROM ${latest} GROUP BY status`);
    const firstThree = await one(`SELECT status FROM ${latest} ORDER BY order_id LIMIT 3`);
    // The merge adds order 999999 as a copy of the lowest order: one more order if that is the subject's.
    const [subject] = await one(`WITH s AS (SELECT min(customer_id) AS c FROM ${latest})
      SELECT (SELECT count(*) FROM ${latest} WHERE customer_id = (SELECT c FROM s))::INTEGER
        + (SELECT CASE WHEN customer_id = (SELECT c FROM s) THEN 1 ELSE 0 END FROM ${latest} ORDER BY order_id LIMIT 1)::INTEGER AS n`);
    return {
      rawOrderRows: Number(counts!["raw"]),
      orders: Number(counts!["orders"]),
      customers: Number(counts!["customers"]),
      events: Number(counts!["events"]),
      days: Number(counts!["days"]),
      statuses: new Map(statuses.map((r) => [String(r["status"]), Number(r["n"])])),
      firstThree: firstThree.map((r) => String(r["status"])),
      subjectOrders: Number(subject!["n"]),
    };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

const group = (n: number) => n.toLocaleString("en-US");
/** The HTML of a two-column `status | count` row as QueryResult.toHTML renders it. */
const statusRow = (status: string, n: number) => `<td style="text-align:left">${status}</td><td style="text-align:right">${n}</td>`;

describe.skipIf(peerSkipped("jupyter"))("examples/notebooks/quickstart.ipynb", () => {
  let cells: Cell[];
  let expected: Expected;

  beforeAll(async () => {
    const data = await generateData();
    expected = await expectedCounts(data.dir.replaceAll("'", "''"));
    // The kernel loads @engine/core's and @engine/pii's compiled JavaScript (dist/), so build them first.
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-b", "packages/engine-iceberg", "packages/engine-core", "packages/engine-pii"], {
      cwd: REPO_ROOT, encoding: "utf8",
    });
    if (tsc.status !== 0) console.warn(`tsc -b reported errors (dist is emitted anyway):\n${tsc.stdout.slice(0, 2000)}`);
    const nb = await (await jupyterPeer()).execute(NOTEBOOK, { timeoutSec: 150 });
    cells = nb.cells as Cell[];
  }, 300_000);

  const codeCell = (marker: string): Cell => {
    const cell = cells.find((c) => c.cell_type === "code" && text(c.source).includes(marker));
    if (!cell) throw new Error(`no code cell contains ${JSON.stringify(marker)}`);
    return cell;
  };
  const html = (cell: Cell) => (cell.outputs ?? []).map((o) => text(o.data?.["text/html"])).join("\n");

  // nbconvert stops at a failing cell (tslab reports it as an error reply); stderr catches the rest.
  it("runs every code cell without an error or anything on stderr", () => {
    const code = cells.filter((c) => c.cell_type === "code");
    expect(code.length).toBeGreaterThan(10);
    expect(code.every((c) => (c.outputs ?? []).length > 0 || text(c.source).includes("engine.close()"))).toBe(true);
    for (const c of code) {
      const bad = (c.outputs ?? []).filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
      expect(bad.map((o) => `${o.ename ?? ""} ${o.evalue ?? ""} ${text(o.text)}`), text(c.source)).toEqual([]);
    }
  });

  it("shows the load's run report with the counts of the raw files", () => {
    const report = html(codeCell('engine.load("../specs/sales/orders.yaml")'));
    expect(report).toContain(">committed</span>");
    expect(report).toContain(`>${group(expected.rawOrderRows)}</td>`); // rows read
    expect(report).toContain(`>${group(expected.rawOrderRows - expected.orders)}</td>`); // duplicates dropped
    expect(report).toContain(`>${group(expected.orders)}</td>`); // inserted
    expect(report).toMatch(/<strong>Validations<\/strong>.*<table/s);
    expect(report).toContain(">pass</span>");
  });

  it("shows query results as HTML tables with the expected counts", () => {
    const counts = html(codeCell("count(*) from web.events"));
    expect(counts).toContain("<table");
    for (const n of [expected.orders, expected.customers, expected.events]) expect(counts).toContain(`<td style="text-align:right">${n}</td>`);
    const byStatus = html(codeCell("sum(amount) as revenue"));
    for (const [status, n] of expected.statuses) expect(byStatus).toContain(statusRow(status, n));
  });

  it("draws rows per day as an SVG chart with one bar per day", () => {
    const outputs = codeCell("barChart(perDay").outputs ?? [];
    const svg = text(outputs.find((o) => o.data?.["image/svg+xml"])?.data?.["image/svg+xml"]);
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<rect x=/g)).toHaveLength(expected.days);
  });

  it("lists both snapshots in the history", () => {
    const history = html(codeCell("engine.history("));
    expect(history).toContain("<table");
    expect(history).toContain("2 snapshots, newest first");
    expect(history).toContain(">append</td>");
  });

  it("travels in time: the current table has the merged change, the first snapshot does not", () => {
    const now = new Map(expected.statuses);
    for (const s of expected.firstThree) now.set(s, now.get(s)! - 1);
    now.set("cancelled", (now.get("cancelled") ?? 0) + 3);
    now.set("pending", (now.get("pending") ?? 0) + 1);
    const current = html(codeCell("display(await engine.query(statusSql));"));
    for (const [status, n] of now) if (n > 0) expect(current).toContain(statusRow(status, n));
    const before = html(codeCell("asOf:"));
    for (const [status, n] of expected.statuses) expect(before).toContain(statusRow(status, n));
  });

  it("erases one customer with a certificate: rows gone, the pre-erasure snapshot unreadable", () => {
    expect(expected.subjectOrders).toBeGreaterThan(0);
    const counts = (cell: Cell) => [...html(cell).matchAll(/<td style="text-align:right">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(counts(codeCell("min(customer_id) as customer_id"))).toEqual([expected.subjectOrders]);
    const erase = codeCell("eraseSubjects(engine");
    const summary = html(erase);
    expect(text(erase.outputs?.find((o) => o.name === "stdout")?.text)).toMatch(/: erased \(/);
    expect(summary).toContain("<table");
    expect(summary).toContain('<td style="text-align:left">erased</td>');
    expect(summary).toContain(">sales.orders</td>");
    expect(summary).toMatch(/>clean \(\d+ files scanned\)<\/td>/);
    const after = codeCell("time travel to the pre-erasure snapshot");
    expect(counts(after)).toEqual([0]);
    const log = (after.outputs ?? []).filter((o) => o.name === "stdout").map((o) => text(o.text)).join("");
    expect(log).toContain("failed as expected");
    expect(log).not.toContain("unexpectedly succeeded");
  });
});
