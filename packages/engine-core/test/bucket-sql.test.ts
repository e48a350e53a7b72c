// bucket[N] as DuckDB SQL (src/load/bucket-sql.ts) against the Iceberg spec's Murmur3 test vectors
// (Appendix B, /work/shared/iceberg-spec) and against @engine/iceberg's bucketHash on random values.
// Spark's agreement on real tables is proven in spark-reads-engine.interop.test.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketHash, type IcebergType } from "@engine/iceberg";
import { bucketHashSql, bucketSql } from "../src/load/bucket-sql.js";
import { sharedDir } from "./util/tmp.js";

const VECTORS = path.join(sharedDir, "iceberg-spec", "spec-tables", "bucket-hash-test-vectors.json");
const p = (name: string): IcebergType => ({ kind: "primitive", name } as IcebergType);

/** The spec's table, parsed: [type, input, expected hash] per example (`a` ￫ `h`). */
function specVectors(): { type: string; input: string; hash: number }[] {
  const doc = JSON.parse(readFileSync(VECTORS, "utf8")) as { rows: Record<string, string>[] };
  const out: { type: string; input: string; hash: number }[] = [];
  for (const row of doc.rows) {
    const type = /\*\*`([^`]+)`\*\*/.exec(row["Primitive type"]!)![1]!;
    for (const m of row["Test value"]!.matchAll(/`([^`]+)`\s*￫\s*`(-?\d+)`/g)) out.push({ type, input: m[1]!, hash: Number(m[2]) });
  }
  return out;
}

/** A DuckDB literal of the spec's example input for its type, with our Iceberg type. */
function literal(type: string, input: string): [string, IcebergType] {
  switch (type) {
    case "int": return [`${input}::INTEGER`, p("int")];
    case "long": return [`${input.replace(/L$/, "")}::BIGINT`, p("long")];
    case "decimal(P,S)": return [`${input}::DECIMAL(9,2)`, { kind: "decimal", precision: 9, scale: 2 }];
    case "date": return [`DATE '${input}'`, p("date")];
    case "time": return [`TIME '${input}'`, p("time")];
    case "timestamp": return [`TIMESTAMP '${input}'`, p("timestamp")];
    case "timestamptz": return [`TIMESTAMPTZ '${input}'`, p("timestamptz")];
    case "timestamp_ns": return [`TIMESTAMP_NS '${input}'`, p("timestamp_ns")];
    case "timestamptz_ns": return [`CAST(TIMESTAMPTZ '${input.replace(/(\.\d{6})\d+/, "$1")}' AS TIMESTAMP_NS)`, p("timestamptz_ns")];
    case "string": return [`'${input}'`, p("string")];
    case "uuid": return [`'${input}'::UUID`, p("uuid")];
    case "fixed(L)": return [`from_hex('${input.replace(/ /g, "")}')`, { kind: "fixed", length: 4 }];
    case "binary": return [`from_hex('${input.replace(/ /g, "")}')`, p("binary")];
  }
  throw new Error(`no literal for ${type}`);
}

/** "-123456" → "-12.3456": an unscaled value as decimal text of scale 4. */
function withScale4(unscaled: string): string {
  const neg = unscaled.startsWith("-");
  const digits = (neg ? unscaled.slice(1) : unscaled).padStart(5, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

describe("bucketSql", () => {
  let c: DuckDBConnection;
  beforeAll(async () => {
    c = await (await DuckDBInstance.create(":memory:")).connect();
  });
  afterAll(() => c?.closeSync());
  const one = async (sql: string): Promise<unknown> => (await c.runAndReadAll(`SELECT ${sql} AS v`)).getRowObjectsJson()[0]!.v;

  it.skipIf(!existsSync(VECTORS)).each(existsSync(VECTORS) ? specVectors() : [])("hashes the spec's $type example $input to $hash", async ({ type, input, hash }) => {
    const [lit, t] = literal(type, input);
    expect(await one(bucketHashSql(`(${lit})`, t))).toBe(hash);
  });

  it("covers every hashable type of the spec's table", () => {
    if (!existsSync(VECTORS)) return;
    expect(new Set(specVectors().map((v) => v.type)).size).toBeGreaterThanOrEqual(13);
  });

  it("agrees with bucketHash on random longs, strings (non-ASCII, every length mod 4) and 38-digit decimals", async () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const longs = [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n - 1n, -(2n ** 32n)];
    for (let i = 0; i < 200; i++) longs.push(BigInt.asIntN(64, (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32))));
    const strings = ["", "a", "ab", "abc", "abcd", "abcde", "한국어", "exämple", "😀x"];
    for (let i = 0; i < 200; i++) strings.push(Array.from({ length: Math.floor(rnd() * 20) }, () => String.fromCodePoint(rnd() < 0.3 ? 0xac00 + Math.floor(rnd() * 1000) : 32 + Math.floor(rnd() * 90))).join(""));
    const decimals = ["0", "-1", "1", "127", "128", "-128", "-129", "32767", "-32768", "9".repeat(38), `-${"9".repeat(38)}`];
    for (let i = 0; i < 200; i++) decimals.push(`${rnd() < 0.5 ? "-" : ""}${Array.from({ length: 1 + Math.floor(rnd() * 38) }, () => Math.floor(rnd() * 10)).join("")}`);

    const longRows = (await c.runAndReadAll(`SELECT CAST(v AS VARCHAR) AS v, ${bucketHashSql("v", p("long"))} AS h FROM (SELECT unnest([${longs.map((x) => `(${x})::BIGINT`).join(", ")}]) AS v)`)).getRowObjectsJson();
    for (const r of longRows) expect([r.v, r.h]).toEqual([r.v, bucketHash(p("long") as never, BigInt(r.v as string))]);
    const strRows = (await c.runAndReadAll(`SELECT v, ${bucketHashSql("v", p("string"))} AS h FROM (SELECT unnest([${strings.map((x) => `'${x.replaceAll("'", "''")}'`).join(", ")}]) AS v)`)).getRowObjectsJson();
    for (const r of strRows) expect([r.v, r.h]).toEqual([r.v, bucketHash(p("string") as never, r.v)]);
    const dec: IcebergType = { kind: "decimal", precision: 38, scale: 4 };
    const decRows = (await c.runAndReadAll(`SELECT CAST(v AS VARCHAR) AS v, ${bucketHashSql("v", dec)} AS h FROM (SELECT CAST(unnest([${decimals.map((x) => `'${withScale4(x)}'`).join(", ")}]) AS DECIMAL(38,4)) AS v)`)).getRowObjectsJson();
    for (const r of decRows) expect([r.v, r.h]).toEqual([r.v, bucketHash(dec as never, BigInt((r.v as string).replace(".", "")))]);
    expect(longRows.length + strRows.length + decRows.length).toBe(longs.length + strings.length + decimals.length);
  });

  it("gives (hash & MAX_INT) % N and keeps NULL", async () => {
    expect(await one(bucketSql("(34::BIGINT)", p("long"), 16))).toBe((2017239379 & 0x7fffffff) % 16);
    expect(await one(bucketSql("('iceberg')", p("string"), 7))).toBe((1210000089 & 0x7fffffff) % 7);
    expect(await one(bucketSql("(NULL::BIGINT)", p("long"), 16))).toBeNull();
  });
});
