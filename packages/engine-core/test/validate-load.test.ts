import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { ValidationFailedError } from "../src/errors.js";
import type { LoadFailureReport } from "../src/validate/load-checks.js";
import { tempDir } from "./util/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
let engine: Engine;
let reports: LoadFailureReport[];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("engine-validate-"));
  reports = [];
  engine = await Engine.open({ warehouse: path.join(dir, "wh"), onFailure: (r) => { reports.push(r); } });
});
afterEach(async () => {
  engine.close();
  await cleanup();
});

async function csv(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, ["order_id,status,amount", ...lines].join("\n") + "\n");
  return file;
}

function spec(file: string, validate: unknown[], extra: Record<string, unknown> = {}) {
  return {
    table: "sales.orders",
    source: { format: "csv", path: file },
    columns: [
      { name: "order_id", type: "long" },
      { name: "status", type: "string" },
      { name: "amount", type: "decimal(10,2)" },
    ],
    validate,
    ...extra,
  };
}

async function dataFiles(): Promise<string[]> {
  return (await readdir(path.join(dir, "wh", "sales", "orders", "data"), { recursive: true }).catch(() => [])).map(String).sort();
}

async function auditRows(where = "true") {
  const r = await engine.query(`select load_id, table_name, snapshot_id, phase, rule, path, severity, passed, observed, message from _engine.validation_results where ${where} order by run_ts, path`);
  return r.rows() as Record<string, unknown>[];
}

describe("validation in a load", () => {
  it("an error rule stops the load: snapshot and data folder unchanged, failure in _engine.validation_results", async () => {
    const first = await engine.load(spec(await csv("a.csv", ["1,open,1.00", "2,open,2.00"]), [{ unique: ["order_id"] }]));
    expect(first.status).toBe("committed");
    const before = (await engine.history("sales.orders")).map((h) => h.snapshotId);
    const filesBefore = await dataFiles();

    const bad = await csv("b.csv", ["17,open,1.00", "17,open,2.00", "42,x,3.00", "42,y,4.00", "17,z,5.00"]);
    const err = await engine.load(spec(bad, [{ notNull: ["order_id"] }, { unique: ["order_id"] }])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailedError);
    expect((err as Error).message).toBe("validate: validate[1] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42)");
    expect((err as ValidationFailedError).outcomes.map((o) => [o.path, o.passed])).toEqual([["validate[0]", true], ["validate[1]", false]]);

    expect((await engine.history("sales.orders")).map((h) => h.snapshotId)).toEqual(before);
    expect(await dataFiles()).toEqual(filesBefore);

    const failed = await auditRows("not passed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ table_name: "sales.orders", snapshot_id: null, phase: "pre", rule: "unique", path: "validate[1]", severity: "error", observed: "3" });
    expect(String(failed[0]!["message"])).toBe("validate[1] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42)");
    expect(String(failed[0]!["load_id"])).toMatch(/^[0-9a-f]{64}$/);
    // The first load's passing rule is recorded with the snapshot it committed.
    const passed = await auditRows("passed and snapshot_id is not null");
    expect(passed.map((r) => BigInt(r["snapshot_id"] as bigint))).toEqual([first.snapshotId]);

    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ table: "sales.orders", error: { name: "ValidationFailedError", code: "VALIDATION_FAILED" } });
    expect(reports[0]!.outcomes).toHaveLength(2);
  });

  it("a warn rule commits and records the failure with the new snapshot id", async () => {
    const result = await engine.load(spec(await csv("a.csv", ["1,open,1.00", "1,lost,2.00"]), [
      { unique: ["order_id"], severity: "warn" },
      { allowed: { column: "status", values: ["open"] }, severity: "warn" },
    ]));
    expect(result.status).toBe("committed");
    expect(result.validations.map((o) => [o.path, o.passed, o.severity])).toEqual([["validate[0]", false, "warn"], ["validate[1]", false, "warn"]]);
    const rows = await auditRows();
    expect(rows.map((r) => [r["path"], r["passed"], BigInt(r["snapshot_id"] as bigint)])).toEqual([
      ["validate[0]", false, result.snapshotId], ["validate[1]", false, result.snapshotId],
    ]);
    expect(reports).toHaveLength(0);
  });

  it("post rules see the table as it will be after the commit; pre rules see only the batch", async () => {
    const rules = [{ rowCount: { max: 3 } }, { rowCount: { max: 3 }, phase: "pre" }];
    await engine.load(spec(await csv("a.csv", ["1,open,1.00", "2,open,2.00"]), rules));
    const err = await engine.load(spec(await csv("b.csv", ["3,open,1.00", "4,open,2.00"]), rules)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailedError);
    const outcomes = (err as ValidationFailedError).outcomes;
    expect(outcomes.map((o) => [o.path, o.phase, o.passed, o.observed])).toEqual([["validate[1]", "pre", true, 2], ["validate[0]", "post", false, 4]]);
    expect((err as Error).message).toBe("validate: validate[0] rowCount: expected at most 3 rows, found 4");
    const n = await engine.query("select count(*)::int n from sales.orders");
    expect(n.rows()[0]).toMatchObject({ n: 2 });
  });

  it("freshness measures against the injected run time", async () => {
    const file = path.join(dir, "t.csv");
    await writeFile(file, "id,ts\n1,2024-05-01 10:00:00+00\n");
    const s = { table: "ops.events", source: { format: "csv", path: file }, columns: [{ name: "id", type: "long" }, { name: "ts", type: "timestamptz" }], validate: [{ freshness: { column: "ts", within: "1d" } }] };
    await expect(engine.load(s, { now: new Date("2024-05-02T00:00:00Z") })).resolves.toMatchObject({ status: "committed" });
    const later = path.join(dir, "t2.csv");
    await writeFile(later, "id,ts\n2,2024-05-01 09:00:00+00\n");
    await expect(engine.load({ ...s, source: { format: "csv", path: later } }, { now: new Date("2024-05-09T00:00:00Z") })).rejects.toThrow("validate: validate[0] freshness(ts): expected a value within 1d of 2024-05-09T00:00:00.000Z, latest is 2024-05-01T10:00:00.000Z (7d 14h old)");
  });

  it("referential reads the other Engine table", async () => {
    const cust = path.join(dir, "c.csv");
    await writeFile(cust, "id\n1\n2\n");
    await engine.load({ table: "crm.customers", source: { format: "csv", path: cust }, columns: [{ name: "id", type: "long" }] });
    const rule = [{ referential: { column: "order_id", table: "crm.customers", refColumn: "id" } }];
    await expect(engine.load(spec(await csv("a.csv", ["1,open,1.00", "2,open,2.00"]), rule))).resolves.toMatchObject({ status: "committed" });
    await expect(engine.load(spec(await csv("b.csv", ["3,open,1.00"]), rule))).rejects.toThrow("validate[0] referential(order_id -> crm.customers.id): expected every value in crm.customers.id, found 1 missing (e.g. 3)");
  });

  it("POSTs the failure report to the spec's webhook and never fails because of it", async () => {
    const received: unknown[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => { body += c.toString(); });
      req.on("end", () => { received.push({ method: req.method, type: req.headers["content-type"], body: JSON.parse(body) }); res.end("ok"); });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const file = await csv("a.csv", ["1,open,1.00", "1,open,2.00"]);
      const err = await engine.load(spec(file, [{ unique: ["order_id"] }], { alerts: { webhook: `http://127.0.0.1:${port}/hook` } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationFailedError);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        method: "POST",
        type: "application/json",
        body: { table: "sales.orders", error: { code: "VALIDATION_FAILED", message: "validate: validate[0] unique(order_id): expected no duplicates, found 1 (e.g. 1)" }, rowsRejected: 0 },
      });
      expect((received[0] as { body: { outcomes: unknown[] } }).body.outcomes).toHaveLength(1);
    } finally {
      server.close();
    }
    // A dead webhook: the load's own error is still what the caller sees.
    const file = await csv("b.csv", ["1,open,1.00", "1,open,2.00"]);
    const err = await engine.load(spec(file, [{ unique: ["order_id"] }], { alerts: { webhook: `http://127.0.0.1:${port}/gone`, timeoutMs: 500 } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailedError);
  });
});
