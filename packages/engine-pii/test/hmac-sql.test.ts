import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacSqlExpression, KeyMaterialError, tokenize } from "../src/index.js";
import { lit, openTestDb, type TestDb } from "./util/duckdb.js";

const KEYS: Record<string, Uint8Array> = {
  "32-byte": Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff),
  "64-byte (one block)": Uint8Array.from({ length: 64 }, (_, i) => (i * 101) & 0xff),
  "131-byte (hashed first)": new Uint8Array(131).fill(0xaa),
};
const TEXTS = ["", "42", "customer-0001", "jane.doe@example.com", "홍길동", "emoji 🙂 and 'quotes'", "x".repeat(200)];

describe("hmacSqlExpression", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db.close());

  for (const [name, key] of Object.entries(KEYS)) {
    it(`computes in DuckDB the same token as tokenize, ${name} key`, async () => {
      const values = TEXTS.map((t) => `(${lit(t)})`).join(", ");
      const rows = await db.query(
        `SELECT v, ${hmacSqlExpression("v", key)} AS token FROM (VALUES ${values}) t(v) ORDER BY v`,
      );
      expect(rows).toHaveLength(TEXTS.length);
      for (const r of rows) expect(r.token).toBe(tokenize(r.v as string, key));
    });
  }

  it("casts integer columns so that they tokenize like tokenize(bigint)", async () => {
    const key = KEYS["32-byte"]!;
    const rows = await db.query(
      `SELECT id, ${hmacSqlExpression('"id"', key)} AS token FROM (VALUES (0::BIGINT), (-7), (9007199254740993), (NULL)) t("id")`,
    );
    for (const r of rows) {
      if (r.id === null) expect(r.token).toBeNull();
      else expect(r.token).toBe(tokenize(BigInt(r.id as string), key));
    }
  });

  it("embeds only the derived pads, never the key itself", () => {
    const key = KEYS["32-byte"]!;
    const sql = hmacSqlExpression("v", key);
    expect(sql).not.toContain(Buffer.from(key).toString("hex"));
    expect(sql).toMatch(/^sha256\(from_hex\('[0-9a-f]{128}'\) \|\| unhex\(sha256\(from_hex\('[0-9a-f]{128}'\) \|\| encode\(CAST\(v AS VARCHAR\)\)\)\)\)$/);
  });

  it("refuses a short key", () => {
    expect(() => hmacSqlExpression("v", new Uint8Array(8))).toThrow(KeyMaterialError);
  });
});
