import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { eraseSubjects, staticKeyProvider, type SubjectTable } from "../src/index.js";

const KEY = staticKeyProvider(new Uint8Array(32).fill(7));

async function setup(): Promise<{ engine: Engine; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "engine-pii-erase-"));
  const engine = await Engine.open({ warehouse: path.join(dir, "wh") });
  const customers = Array.from({ length: 50 }, (_, i) => ({ customer_id: i + 1, email: `person${i + 1}@example.com`, name: `Person Number ${i + 1}` }));
  await engine.load({
    table: "crm.customers", source: { format: "memory" },
    columns: [{ name: "customer_id", type: "long", required: true }, { name: "email", type: "string", pii: { grade: 2, kind: "email" } }, { name: "name", type: "string", pii: { grade: 2, kind: "name" } }],
    key: ["customer_id"], write: { mode: "append" }, pii: { subject: "customer_id" },
  }, { data: customers });
  const orders = Array.from({ length: 200 }, (_, i) => ({ order_id: i + 1, customer_id: (i % 50) + 1, amount: i * 1.5, order_ts: new Date(Date.UTC(2024, 0, 1 + (i % 5), 10)).toISOString() }));
  for (const part of [orders.slice(0, 100), orders.slice(100)]) {
    await engine.load({
      table: "sales.orders", source: { format: "memory" },
      columns: [{ name: "order_id", type: "long", required: true }, { name: "customer_id", type: "long" }, { name: "amount", type: "double" }, { name: "order_ts", type: "timestamptz" }],
      partition: ["day(order_ts)"], write: { mode: "append" },
    }, { data: part });
  }
  return { engine, dir };
}

const TABLES: SubjectTable[] = [
  { table: "crm.customers", column: "customer_id", piiColumns: ["email", "name"] },
  { table: "sales.orders", column: "customer_id" },
];

describe("eraseSubjects", () => {
  let engine: Engine;
  let dir: string;
  beforeAll(async () => ({ engine, dir } = await setup()));
  afterAll(() => engine?.close());

  it("finds the subject before, removes it everywhere, keeps other rows and certifies a clean scan", async () => {
    const before = await engine.history("sales.orders");
    const cert = await eraseSubjects(engine, { subjects: [7n], tables: TABLES, keyProvider: KEY });
    expect(cert.before.findings).toBeGreaterThan(0);
    expect(cert.verification.findings).toEqual([]);
    expect(cert.status).toBe("erased");
    expect(cert.verification.outcome).toBe("clean");
    const n = (sql: string) => engine.query(sql).then((r) => Number(r.rows()[0]!.n));
    expect(await n("select count(*) n from crm.customers")).toBe(49);
    expect(await n("select count(*) n from crm.customers where customer_id = 7")).toBe(0);
    expect(await n("select count(*) n from sales.orders")).toBe(196);
    expect(await n("select count(*) n from sales.orders where customer_id = 8")).toBe(4);
    expect(cert.tables.find((t) => t.table === "sales.orders")!.rowsErased).toBe(4);
    // Only files of partitions that may hold the subject were rewritten.
    expect(cert.tables.find((t) => t.table === "sales.orders")!.filesRewritten.length).toBeLessThan(10);
    await expect(engine.query("select count(*) n from sales.orders", { asOf: { "sales.orders": before.at(-1)!.snapshotId } })).rejects.toThrow();
    expect(JSON.stringify(cert)).not.toContain("person7@example.com");
  });

  it("removes the subject's quarantined lines and says pending-expiry during a grace period", async () => {
    const rejects = path.join(dir, "wh", "_engine", "rejects", "crm.customers");
    mkdirSync(rejects, { recursive: true });
    writeFileSync(path.join(rejects, "load1.ndjson"), [
      JSON.stringify({ file: "a.csv", line: 9, raw: "9,person9@example.com,Person Number 9,oops", reason: "bad" }),
      JSON.stringify({ file: "a.csv", line: 10, raw: "10,person10@example.com,Person Number 10,oops", reason: "bad" }),
    ].join("\n"));
    const cert = await eraseSubjects(engine, { subjects: [9], tables: TABLES, keyProvider: KEY, graceMs: 7 * 86_400_000 });
    expect(cert.status).toBe("pending-expiry");
    expect(cert.rejectsRewritten.length).toBe(1);
    expect(cert.verification.outcome).toBe("found"); // the old snapshots still hold it
    // After the grace period the same request finishes the job.
    const later = await eraseSubjects(engine, { subjects: [9], tables: TABLES, keyProvider: KEY, graceMs: 7 * 86_400_000, now: () => Date.now() + 8 * 86_400_000 });
    expect(later.resumed).toBeDefined();
    expect(later.status).toBe("erased");
    expect(existsSync(path.join(rejects, "load1.ndjson"))).toBe(true);
  });

  it("reports failure when a tag keeps an old snapshot alive", async () => {
    const t = await engine.openTable("sales.orders");
    await t.manageSnapshots().createTag("audit", t.currentSnapshot()!.snapshotId).commit();
    const cert = await eraseSubjects(engine, { subjects: [11], tables: TABLES, keyProvider: KEY });
    expect(cert.status).toBe("failed");
    expect(cert.tables.find((x) => x.table === "sales.orders")!.blockingRefs).toEqual(["audit"]);
    expect(cert.verification.outcome).toBe("found");
  });
});

describe("eraseSubjects on a table with fixed[L] and int columns", () => {
  it("rewrites files Iceberg readers accept: FIXED_LEN_BYTE_ARRAY for fixed[L], bare INT32 for int, the other rows' bytes kept", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "engine-pii-erase-fixed-"));
    const engine = await Engine.open({ warehouse: path.join(dir, "wh") });
    try {
      const input = path.join(dir, "devices.parquet");
      await engine.query(`COPY (SELECT i::BIGINT AS customer_id, (i * 3)::INTEGER AS n, unhex(md5('d' || i)) AS device FROM range(1, 21) t(i)) TO '${input}' (FORMAT parquet)`);
      await engine.load({
        table: "iot.devices", source: { format: "parquet", path: input },
        columns: [{ name: "customer_id", type: "long", required: true }, { name: "n", type: "int" }, { name: "device", type: "fixed[16]" }], write: { mode: "append" },
      });
      const cert = await eraseSubjects(engine, { subjects: [5n], tables: [{ table: "iot.devices", column: "customer_id" }], keyProvider: KEY });
      expect(cert.status).toBe("erased");
      const [written] = cert.tables[0]!.filesRewritten;
      const t = await engine.openTable("iot.devices");
      const schema = (await engine.query(`SELECT name, type, type_length, converted_type FROM parquet_schema('${t.io.localPath(written!.to!)}') WHERE name IN ('n', 'device') ORDER BY name`)).rows();
      expect(schema).toEqual([{ name: "device", type: "FIXED_LEN_BYTE_ARRAY", type_length: "16", converted_type: null }, { name: "n", type: "INT32", type_length: null, converted_type: null }]);
      const rows = (await engine.query("SELECT count(*) AS n, sum(n) AS s, string_agg(hex(device), ',' ORDER BY customer_id) AS d FROM iot.devices")).rows();
      const want = (await engine.query(`SELECT count(*) AS n, sum(n) AS s, string_agg(hex(device), ',' ORDER BY customer_id) AS d FROM '${input}' WHERE customer_id <> 5`)).rows();
      expect(rows).toEqual(want);
    } finally {
      engine.close();
    }
  });
});
