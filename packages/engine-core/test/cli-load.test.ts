import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { tempDir } from "./util/tmp.js";
import { fixtureSpec, writeCsv } from "./util/write-fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
let specFile: string;
let dailySpec: string;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("engine-cli-load-"));
  const T = "2024-02-01 10:00:00+00";
  await writeCsv(path.join(dir, "b1.csv"), [[1, "2024-01-01", "1.00", T, null], [2, "2024-01-02", "2.00", T, null], [2, "2024-01-02", "2.00", T, null]]);
  specFile = path.join(dir, "items.json");
  writeFileSync(specFile, JSON.stringify(fixtureSpec(path.join(dir, "b1.csv"), { key: "id", dedupe: { keep: "latest", orderBy: "updated_at" }, partition: ["day"], write: { mode: "merge" } })));
  for (const d of ["2024-01-01", "2024-01-02", "2024-01-03"]) await writeCsv(path.join(dir, "daily", `${d}.csv`), [[Number(d.slice(-1)), d, "1.00", T, null]]);
  dailySpec = path.join(dir, "daily.json");
  writeFileSync(dailySpec, JSON.stringify({ ...fixtureSpec(path.join(dir, "daily", "{date}.csv"), { partition: ["day"], write: { mode: "replace-partitions" } }), table: "t.daily" }));
});
afterAll(async () => { await cleanup(); });

describe("engine load / plan / validate / backfill", () => {
  it("plans, loads, skips the same load and writes the JSON report with bigints as strings", async () => {
    const wh = path.join(dir, "wh");
    const plan = await run("plan", specFile, "--warehouse", wh);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("plan t.items: merge on the local engine (creates the table)");
    expect(plan.out).toContain("would insert 2");
    expect(plan.out).toContain("partitions (2): day=2024-01-01, day=2024-01-02");

    const checked = await run("validate", specFile, "--warehouse", wh);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/^checked t\.items \(merge\): nothing committed/);

    const load = await run("load", specFile, "--warehouse", wh, "--json", path.join(dir, "r.json"), "--progress");
    expect(load.code).toBe(0);
    expect(load.out).toMatch(/^loaded t\.items \(merge\): snapshot \d+ in /);
    expect(load.out).toContain("rows read 3, duplicates dropped 1, inserted 2");
    expect(load.err).toMatch(/^ {2}source +\d+ ms$/m); // one line per stage
    expect(load.err).toMatch(/^ {2}commit +\d+ ms$/m);
    const report = JSON.parse(readFileSync(path.join(dir, "r.json"), "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ table: "t.items", status: "committed", mode: "merge", rowsRead: 3, duplicatesDropped: 1, rowsInserted: 2, rowsRejected: 0 });
    expect(report["snapshotId"]).toMatch(/^\d+$/);
    expect(Array.isArray(report["validations"])).toBe(true);

    const again = await run("load", specFile, "--warehouse", wh, "--json", "-");
    expect(JSON.parse(again.out)).toMatchObject({ status: "skipped", snapshotId: report["snapshotId"] });
    const skippedText = await run("load", specFile, "--warehouse", wh);
    expect(skippedText.out).toBe(`skipped t.items: already loaded in snapshot ${String(report["snapshotId"])} (use --force to load again)\n`);
  });

  it("backfills a date range, one load per day, and skips them on a rerun", async () => {
    const wh = path.join(dir, "wh2");
    const first = await run("backfill", dailySpec, "--param", "date", "--from", "2024-01-01", "--to", "2024-01-03", "--warehouse", wh, "--json", "-");
    expect(first.code).toBe(0);
    expect((JSON.parse(first.out) as { status: string }[]).map((r) => r.status)).toEqual(["committed", "committed", "committed"]);
    const second = await run("backfill", dailySpec, "--param", "date", "--from", "2024-01-01", "--to", "2024-01-03", "--warehouse", wh);
    expect(second.out.match(/^skipped t\.daily/gm)).toHaveLength(3);
    const history = await run("history", "t.daily", "--warehouse", wh, "--json");
    expect(JSON.parse(history.out)).toHaveLength(3);
  });

  it("writes a failed report on failure and exits 1 with one line", async () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(fixtureSpec(path.join(dir, "b1.csv"), { key: "id", write: { mode: "merge" } })));
    const r = await run("load", bad, "--warehouse", path.join(dir, "wh3"), "--json", path.join(dir, "bad-report.json"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^engine: load: merge: key id = 2 appears 2 times in the batch/);
    expect(JSON.parse(readFileSync(path.join(dir, "bad-report.json"), "utf8"))).toMatchObject({ status: "failed", error: { code: "DUPLICATE_KEY" } });
  });
});
