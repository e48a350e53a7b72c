import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PiiError, sampleSql, scanRelation } from "../src/index.js";
import { openTestDb, type TestDb } from "./util/duckdb.js";

describe("sampleSql", () => {
  it("quotes tables and files and samples repeatably", () => {
    expect(sampleSql({ table: "sales.orders" })).toBe(
      `SELECT * FROM "sales"."orders" USING SAMPLE reservoir(1000 ROWS) REPEATABLE (42)`,
    );
    expect(sampleSql({ file: "it's.csv" }, { sampleRows: 10, seed: 7, columns: ["a b"] })).toBe(
      `SELECT "a b" FROM 'it''s.csv' USING SAMPLE reservoir(10 ROWS) REPEATABLE (7)`,
    );
  });
});

describe("scanRelation", () => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDb();
    dir = mkdtempSync(join(tmpdir(), "engine-pii-"));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("samples a CSV file through DuckDB and suggests tags per column", async () => {
    const lines = ["id,contact,phone_no,client_ip,amount"];
    for (let i = 0; i < 3000; i++) {
      lines.push(`${i},user${i}@example.com,010-${String(1000 + (i % 9000)).padStart(4, "0")}-5678,10.0.${i % 256}.${(i * 7) % 256},${i}.50`);
    }
    const file = join(dir, "customers.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const out = await scanRelation(db.query, { file }, { sampleRows: 500 });
    expect(out.map((s) => [s.column, s.kind, s.grade, s.source, s.sampled])).toEqual([
      ["contact", "email", 2, "values", 500],
      ["phone_no", "phone", 2, "values+name", 500],
      ["client_ip", "ip", 3, "values+name", 500],
    ]);
  });

  it("samples a table and stringifies numbers", async () => {
    await db.query(
      "CREATE TABLE people AS SELECT i AS id, '900101-1234121' AS rrn, 4111111111111111::BIGINT AS card_no FROM range(100) t(i)",
    );
    const out = await scanRelation(db.query, { table: "people" });
    expect(out.map((s) => [s.column, s.kind])).toEqual([
      ["rrn", "rrn"],
      ["card_no", "card"],
    ]);
    const sub = await scanRelation(db.query, { relation: "(SELECT rrn FROM people) p" }, { sampleRows: 10 });
    expect(sub.map((s) => [s.column, s.kind, s.sampled])).toEqual([["rrn", "rrn", 10]]);
  });

  it("wraps a failing query in a PiiError that keeps the cause", async () => {
    const failing = await scanRelation(db.query, { table: "no_such_table" }).catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(PiiError);
    expect((failing as PiiError).code).toBe("PII_SAMPLE_FAILED");
    expect((failing as PiiError).message).toBe("pii: scanRelation: could not sample no_such_table");
    expect((failing as PiiError).cause).toBeInstanceOf(Error);
  });
});
