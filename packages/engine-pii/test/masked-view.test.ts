import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec } from "@engine/core";
import { createMaskedView, maskedViewSql, maskValue } from "../src/index.js";

const spec = parseSpec({
  table: "sales.customers", source: { format: "memory" },
  columns: [
    { name: "customer_id", type: "long", required: true },
    { name: "email", type: "string", pii: { grade: 2, kind: "email" } },
    { name: "phone", type: "string", pii: { grade: 2, kind: "phone", mask: "mask" } },
    { name: "rrn", type: "string", pii: { grade: 1, kind: "rrn" } },
    { name: "ip", type: "string", pii: { grade: 3, kind: "ip" } },
    { name: "segment", type: "string" },
  ],
  key: ["customer_id"], write: { mode: "merge" },
});
const rows = [
  { customer_id: 1, email: "jane.doe@example.com", phone: "010-1234-5678", rrn: "900101-1234567", ip: "192.168.10.20", segment: "gold" },
  { customer_id: 2, email: null, phone: "010-9999-0000", rrn: "851231-2345678", ip: "10.0.0.1", segment: "basic" },
];

describe("maskedViewSql", () => {
  it("gives Athena the reviewed Trino statement", () => {
    const golden = readFileSync(new URL("./golden/masked-view-trino.sql", import.meta.url), "utf8");
    expect(`${maskedViewSql(spec, { dialect: "trino" })}\n`).toBe(golden);
  });

  it("shows the columns of cleared grades unmasked and names the view as asked", () => {
    const sql = maskedViewSql(spec, { dialect: "duckdb", grades: [2, 3], viewName: "analyst.customers" });
    expect(sql.split("\n")[0]).toBe("CREATE OR REPLACE VIEW analyst.customers AS");
    expect(sql).toContain('  "email",\n  "phone",\n');
    expect(sql).toContain("'[REDACTED]'");
  });

  it("refuses the table's own name as the view name", () => {
    expect(() => maskedViewSql(spec, { dialect: "trino", viewName: "sales.customers" })).toThrow("expected a name other than the table's");
  });
});

describe("createMaskedView", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.open({ warehouse: path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-mask-")), "wh") });
    await engine.load(spec, { data: rows });
  });
  afterAll(() => engine?.close());

  it("makes the view queryable through engine.query, masked as maskValue masks", async () => {
    expect(await createMaskedView(engine, spec)).toBe("sales.customers_masked");
    const got = (await engine.query("select * from sales.customers_masked order by customer_id")).rows();
    expect(got).toEqual(rows.map((r) => ({
      customer_id: BigInt(r.customer_id),
      email: maskValue(r.email, "partial", "email"),
      phone: maskValue(r.phone, "mask"),
      rrn: maskValue(r.rrn, "redact"),
      ip: maskValue(r.ip, "partial", "ip"),
      segment: r.segment,
    })));
    expect(got[0]).toMatchObject({ email: "j***@example.com", phone: "***-****-****", rrn: "[REDACTED]", ip: "192.168.*.*" });
  });

  it("reads the table's current snapshot on every query", async () => {
    await engine.load(spec, { data: [{ customer_id: 3, email: "x@y.example", phone: null, rrn: null, ip: null, segment: "new" }] });
    const got = (await engine.query("select customer_id, email from sales.customers_masked order by customer_id")).rows();
    expect(got.map((r) => r.customer_id)).toEqual([1n, 2n, 3n]);
    expect(got[2]!.email).toBe("x***@y.example");
  });

  it("shows cleared grades as they are", async () => {
    await createMaskedView(engine, spec, { grades: [1, 2, 3], viewName: "sales.customers_all" });
    const got = (await engine.query("select email, rrn from sales.customers_all where customer_id = 1")).rows();
    expect(got).toEqual([{ email: "jane.doe@example.com", rrn: "900101-1234567" }]);
  });
});
