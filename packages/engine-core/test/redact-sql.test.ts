import { describe, expect, it } from "vitest";
import { redactSql } from "../src/internal/redact-sql.js";

const PAD = "5b".repeat(32) + "5c".repeat(32);

describe("redactSql", () => {
  it("hides from_hex/unhex literals, whole or cut off", () => {
    expect(redactSql(`SELECT sha256(from_hex('${PAD}') || x)`)).toBe("SELECT sha256(from_hex('<redacted>') || x)");
    expect(redactSql(`LINE 1: SELECT sha256(from_hex('${PAD.slice(0, 20)}...`)).toBe("LINE 1: SELECT sha256(from_hex('<redacted>...");
  });

  it("hides a hex fragment at the cut of a quoted query and long hex runs", () => {
    expect(redactSql("LINE 1: ...5b5b5c5c') || encode(x)")).toBe("LINE 1: ...<redacted>') || encode(x)");
    expect(redactSql(`token ${"ab".repeat(32)} here`)).toBe("token <redacted> here");
  });

  it("leaves ordinary SQL, paths and ids alone", () => {
    const sql = "COPY (SELECT * FROM t WHERE id = 1234567890123456789) TO '/wh/data/00000-1-6f0e8a2c-1b2c-4d5e-9f00-123456789abc.parquet' (FORMAT parquet)";
    expect(redactSql(sql)).toBe(sql);
    expect(redactSql("load failed... decided")).toBe("load failed... decided");
  });
});
