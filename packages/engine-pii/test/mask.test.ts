import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASK_MODES, maskSql, maskSqlTrino, maskValue, PiiArgumentError, REDACTED } from "../src/index.js";
import { lit, openTestDb, type TestDb } from "./util/duckdb.js";

const VALUES = [
  "jane.doe@example.com",
  "김민수@example.kr",
  "not-an-email",
  "a@b@c",
  "010-1234-5678",
  "+82 10 1234 5678",
  "4111 1111 1111 1111",
  "378282246310005",
  "1234567",
  "110-123-456789",
  "900101-1234121",
  "9001011234121",
  "900101-123",
  "192.168.10.20",
  "2001:db8::1",
  "M12345678",
  "홍길동",
  "emoji 🙂!",
  "x",
  "",
  "it's",
];
const KINDS = [undefined, "email", "phone", "card", "bank-account", "rrn", "ip", "passport", "name"];

describe("maskValue", () => {
  it("keeps the part each kind allows", () => {
    expect(maskValue("jane.doe@example.com", "partial", "email")).toBe("j***@example.com");
    expect(maskValue("010-1234-5678", "partial", "phone")).toBe("*******5678");
    expect(maskValue("4111 1111 1111 1111", "partial", "card")).toBe("************1111");
    expect(maskValue("900101-1234121", "partial", "rrn")).toBe("900101-1******");
    expect(maskValue("192.168.10.20", "partial", "ip")).toBe("192.168.*.*");
    expect(maskValue("홍길동", "partial", "name")).toBe("홍**");
    expect(maskValue("1234567", "partial", "phone")).toBe("1******"); // too few digits to keep 4
  });

  it("masks letters and digits, hashes, redacts, and keeps NULL", () => {
    expect(maskValue("010-1234-5678", "mask")).toBe("***-****-****");
    expect(maskValue("Jane Doe", "mask")).toBe("**** ***");
    expect(maskValue("abc", "hash")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(maskValue("anything", "redact")).toBe(REDACTED);
    for (const mode of MASK_MODES) expect(maskValue(null, mode, "email")).toBeNull();
  });

  it("rejects an unknown mode", () => {
    expect(() => maskValue("x", "blur" as never)).toThrow(PiiArgumentError);
    expect(() => maskSql("x", "blur" as never)).toThrow(/pii: mask: mode: expected one of hash, mask, redact, partial, got "blur"/);
  });
});

describe("maskSql", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(`CREATE TABLE samples AS SELECT * FROM (VALUES ${VALUES.map((v) => `(${lit(v)})`).join(", ")}, (NULL)) t(v)`);
  });
  afterAll(() => db.close());

  for (const mode of MASK_MODES) {
    it(`agrees with maskValue in DuckDB, mode ${mode}`, async () => {
      const selects = KINDS.map((k, i) => `${maskSql('"v"', mode, k)} AS m${i}`).join(", ");
      const rows = await db.query(`SELECT v, ${selects} FROM samples`);
      expect(rows).toHaveLength(VALUES.length + 1);
      for (const r of rows) {
        KINDS.forEach((k, i) => {
          expect(r[`m${i}`], `${mode}/${k ?? "-"}: ${String(r.v)}`).toBe(maskValue(r.v as string | null, mode, k));
        });
      }
    });
  }

  it("casts non-text columns to text first", async () => {
    const rows = await db.query(`SELECT ${maskSql("x", "partial", "phone")} AS m FROM (VALUES (1012345678::BIGINT)) t(x)`);
    expect(rows[0]?.m).toBe("******5678");
  });
});

describe("maskSqlTrino", () => {
  it("matches the reviewed Athena SQL", () => {
    const golden = JSON.parse(readFileSync(new URL("./golden/mask-sql-trino.json", import.meta.url), "utf8")) as Record<
      string,
      string
    >;
    const actual: Record<string, string> = {};
    for (const mode of MASK_MODES) actual[mode] = maskSqlTrino('"v"', mode);
    for (const kind of ["email", "phone", "rrn", "ip", "name"]) actual[`partial/${kind}`] = maskSqlTrino('"v"', "partial", kind);
    expect(actual).toEqual(golden);
  });
});
