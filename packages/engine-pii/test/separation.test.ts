import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec } from "@engine/core";
import { eraseSubjects, loadSeparated, rejoinSql, staticKeyProvider, subjectTables, tokenize } from "../src/index.js";

const KEY_A = new Uint8Array(32).fill(1);
const KEY_B = new Uint8Array(32).fill(2);
const spec = parseSpec({
  table: "crm.customers", source: { format: "memory" },
  columns: [
    { name: "customer_id", type: "long", required: true },
    { name: "email", type: "string", pii: { grade: 2, kind: "email" } },
    { name: "phone", type: "string", pii: { grade: 2, kind: "phone" } },
    { name: "segment", type: "string" },
  ],
  key: ["customer_id"], write: { mode: "merge" }, pii: { subject: "customer_id", separate: true },
});
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ customer_id: from + i, email: `c${from + i}@mail.example`, phone: `010-1234-${String(1000 + from + i)}`, segment: i % 2 ? "gold" : "basic" }));

describe("loadSeparated", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.open({ warehouse: path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-sep-")), "wh") });
    await loadSeparated(engine, spec, { data: rows(1, 20), keyProvider: staticKeyProvider(KEY_A) });
    await loadSeparated(engine, spec, { data: rows(15, 10), keyProvider: staticKeyProvider(KEY_A) });
  });
  afterAll(() => engine?.close());

  it("keeps no PII column and no subject key in the main table", async () => {
    const names = (await engine.openTable("crm.customers")).schema().fields.map((f) => f.name);
    expect(names).toEqual(["segment", "customer_id_token"]);
    expect((await engine.openTable("crm.customers__pii")).schema().fields.map((f) => f.name)).toEqual(["customer_id_token", "customer_id", "email", "phone"]);
  });

  it("gives the same subject the same token across loads, and the JS token", async () => {
    const r = (await engine.query("select customer_id_token t, count(*) n from crm.customers group by 1 having count(*) > 0")).rows();
    expect(r.length).toBe(24); // ids 1..24, merged by token
    const v = (await engine.query("select customer_id_token t from crm.customers__pii where customer_id = 17")).rows();
    expect(v[0]!.t).toBe(tokenize(17n, KEY_A));
    expect(tokenize(17n, KEY_B)).not.toBe(tokenize(17n, KEY_A));
  });

  it("returns the original values through the re-join for authorised use", async () => {
    const r = (await engine.query(`${rejoinSql(spec)} order by customer_id`)).rows();
    expect(r.length).toBe(24);
    expect(r[16]).toEqual({ customer_id: 17n, email: "c17@mail.example", phone: "010-1234-1017", segment: "basic" });
  });

  it("gives different tokens under a different key", async () => {
    const other = await Engine.open({ warehouse: path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-sep2-")), "wh") });
    try {
      await loadSeparated(other, spec, { data: rows(17, 1), keyProvider: staticKeyProvider(KEY_B) });
      const t = (await other.query("select customer_id_token t from crm.customers")).rows()[0]!.t;
      expect(t).toBe(tokenize(17n, KEY_B));
      expect(t).not.toBe(tokenize(17n, KEY_A));
    } finally {
      other.close();
    }
  });

  it("finds both tables by their properties and erases a subject from both by token", async () => {
    const tables = await subjectTables(engine);
    expect(tables.map((t) => t.table).sort()).toEqual(["crm.customers", "crm.customers__pii"]);
    const cert = await eraseSubjects(engine, { subjects: [5], keyProvider: staticKeyProvider(KEY_A) });
    expect(cert.before.findings).toBeGreaterThan(0);
    expect(cert.status).toBe("erased");
    expect((await engine.query("select count(*) n from crm.customers__pii where customer_id = 5")).rows()[0]!.n).toBe(0n);
    expect((await engine.query("select count(*) n from crm.customers")).rows()[0]!.n).toBe(23n);
  });
});
