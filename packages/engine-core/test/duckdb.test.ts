import { describe, expect, it } from "vitest";
import { DataType } from "apache-arrow";
import { DuckDbSession } from "../src/duckdb/session.js";
import { quoteIdent, quoteString } from "../src/internal/sql.js";
import { QueryResult } from "../src/query/query-result.js";

describe("DuckDbSession", () => {
  it("runs queries and converts results to Arrow with exact types", async () => {
    const db = await DuckDbSession.create({ memoryLimit: "512MB", threads: 1 });
    try {
      const r = await db.query(`SELECT 1::INTEGER AS i, 9007199254740993::BIGINT AS b, 12.34::DECIMAL(12,2) AS d,
        DATE '1969-12-31' AS dt, TIMESTAMPTZ '2024-01-05 10:00:00.123456+00' AS ts, 'x''y' AS s, true AS f,
        [1, 2, NULL] AS l, {'a': 1, 'b': 'z'} AS st, NULL::DOUBLE AS n, sum(x) AS h FROM range(3) t(x)`);
      const t = r.toArrow();
      expect(t.numRows).toBe(1);
      const type = (name: string) => t.schema.fields.find((f) => f.name === name)!.type;
      expect(DataType.isInt(type("b")) && type("b").bitWidth === 64).toBe(true);
      expect(DataType.isDecimal(type("d"))).toBe(true);
      expect(DataType.isTimestamp(type("ts"))).toBe(true);
      expect(t.getChild("b")!.get(0)).toBe(9007199254740993n);
      expect(t.getChild("h")!.get(0)).toBe(3n);
      const row = new QueryResult(t).rows()[0]!;
      expect(row["d"]).toBe(12.34);
      expect(row["s"]).toBe("x'y");
      expect((row["dt"] as Date).toISOString()).toBe("1969-12-31T00:00:00.000Z");
      expect((row["ts"] as Date).toISOString()).toBe("2024-01-05T10:00:00.123Z");
      expect(row["l"]).toEqual([1, 2, null]);
      expect(row["st"]).toEqual({ a: 1, b: "z" });
      expect(row["n"]).toBeNull();
      expect(String(new QueryResult(t))).toContain("(1 row)");
    } finally {
      db.close();
    }
  });

  it("binds parameters of prepared statements", async () => {
    const db = await DuckDbSession.create();
    try {
      const r = await db.query("SELECT $1::INTEGER + 1 AS v", [41]);
      expect(Number(r.columns[0]![0])).toBe(42);
    } finally {
      db.close();
    }
  });

  it("fails after close", async () => {
    const db = await DuckDbSession.create();
    db.close();
    await expect(db.query("select 1")).rejects.toThrow(/closed/);
  });
});

describe("quoting", () => {
  it("keeps hostile names and strings inside their quotes", async () => {
    const db = await DuckDbSession.create();
    try {
      const name = `x"; DROP TABLE t; --`;
      const value = `'); DROP TABLE t; --`;
      const r = await db.query(`SELECT ${quoteString(value)} AS ${quoteIdent(name)}`);
      expect(r.columnNames[0]).toBe(name);
      expect(r.columns[0]![0]).toBe(value);
    } finally {
      db.close();
    }
  });
});
