import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyTransform, bucketHash, parseTransform, parseType, toHumanString, toLiteral, transformResultType, transformToString,
  type PrimitiveType,
} from "../src/index.js";
import { HAVE_CORPUS, SPEC } from "./util/corpus.js";

const T = (s: string): PrimitiveType => parseType(s);

describe.skipIf(!HAVE_CORPUS)("bucketHash", () => {
  const rows = HAVE_CORPUS
    ? (JSON.parse(readFileSync(path.join(SPEC, "spec-tables/bucket-hash-test-vectors.json"), "utf8")) as { rows: Record<string, string>[] }).rows
    : [];
  for (const row of rows) {
    const typeName = /`([^`]+)`/.exec(row["Primitive type"]!)![1]!;
    it(`matches the spec's Appendix B vectors for ${typeName}`, () => {
      const pairs = [...row["Test value"]!.matchAll(/`([^`]+)`\s*￫\s*`(-?\d+)`/g)];
      expect(pairs.length).toBeGreaterThan(0);
      for (const [, input, hash] of pairs) {
        let type: PrimitiveType;
        let value: unknown;
        if (typeName === "decimal(P,S)") { type = T("decimal(4,2)"); value = toLiteral(type, input); }
        else if (typeName === "fixed(L)") { type = T("fixed[4]"); value = Uint8Array.from(input!.split(" ").map((h) => parseInt(h, 16))); }
        else if (typeName === "binary") { type = T("binary"); value = Uint8Array.from(input!.split(" ").map((h) => parseInt(h, 16))); }
        else if (typeName === "long") { type = T("long"); value = BigInt(input!.replace("L", "")); }
        else if (typeName === "int") { type = T("int"); value = Number(input); }
        else { type = T(typeName); value = toLiteral(type, input); }
        expect(bucketHash(type, value), `${typeName} ${input}`).toBe(Number(hash));
      }
    });
  }
});

describe("parseTransform", () => {
  it("parses and formats every transform", () => {
    for (const s of ["identity", "bucket[16]", "truncate[4]", "year", "month", "day", "hour", "void"]) {
      expect(transformToString(parseTransform(s))).toBe(s);
    }
    expect(() => parseTransform("bucket")).toThrow(/expected identity/);
  });
});

describe("transformResultType", () => {
  it("follows the spec's result types", () => {
    const ts = T("timestamptz");
    expect(transformResultType(parseTransform("day"), ts)).toEqual(T("date"));
    expect(transformResultType(parseTransform("hour"), ts)).toEqual(T("int"));
    expect(transformResultType(parseTransform("bucket[4]"), T("string"))).toEqual(T("int"));
    expect(transformResultType(parseTransform("truncate[4]"), T("string"))).toEqual(T("string"));
    expect(transformResultType(parseTransform("identity"), T("decimal(9,2)"))).toEqual(T("decimal(9,2)"));
  });
});

describe("applyTransform", () => {
  const ts = toLiteral(T("timestamp"), "2017-11-16T22:31:08") as bigint;
  it("extracts year, month, day and hour from timestamps counted from 1970", () => {
    expect(applyTransform(parseTransform("year"), T("timestamp"), ts)).toBe(47);
    expect(applyTransform(parseTransform("month"), T("timestamp"), ts)).toBe(47 * 12 + 10);
    expect(applyTransform(parseTransform("day"), T("timestamp"), ts)).toBe(17486);
    expect(applyTransform(parseTransform("hour"), T("timestamp"), ts)).toBe(17486 * 24 + 22);
    expect(applyTransform(parseTransform("day"), T("date"), 17486)).toBe(17486);
    expect(applyTransform(parseTransform("month"), T("date"), 17486)).toBe(574);
  });
  it("floors timestamps before the epoch", () => {
    expect(applyTransform(parseTransform("day"), T("timestamp"), -1n)).toBe(-1);
    expect(applyTransform(parseTransform("hour"), T("timestamp"), -1n)).toBe(-1);
    expect(applyTransform(parseTransform("year"), T("date"), -1)).toBe(-1);
    expect(applyTransform(parseTransform("month"), T("date"), -1)).toBe(-1);
    expect(applyTransform(parseTransform("day"), T("timestamp_ns"), -1n)).toBe(-1);
  });
  it("truncates ints, longs, decimals, strings and binary per the spec's examples", () => {
    const tr = (w: number) => parseTransform(`truncate[${w}]`);
    expect(applyTransform(tr(10), T("int"), 1)).toBe(0);
    expect(applyTransform(tr(10), T("int"), -1)).toBe(-10);
    expect(applyTransform(tr(10), T("long"), -1n)).toBe(-10n);
    expect(applyTransform(tr(50), T("decimal(9,2)"), 1065n)).toBe(1050n); // 10.65 → 10.50
    expect(applyTransform(tr(3), T("string"), "iceberg")).toBe("ice");
    expect(applyTransform(tr(2), T("string"), "😀😁😂")).toBe("😀😁");
    expect(applyTransform(tr(2), T("binary"), Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(1, 2));
  });
  it("buckets with (hash & MAX_INT) % N and keeps nulls null", () => {
    // hash(34) = 2017239379 → 2017239379 % 16 = 3
    expect(applyTransform(parseTransform("bucket[16]"), T("int"), 34)).toBe(2017239379 % 16);
    // hash("iceberg") = 1210000089
    expect(applyTransform(parseTransform("bucket[4]"), T("string"), "iceberg")).toBe(1210000089 % 4);
    expect(applyTransform(parseTransform("bucket[4]"), T("string"), null)).toBe(null);
    expect(applyTransform(parseTransform("void"), T("string"), "x")).toBe(null);
  });
  it("rejects transforms that do not apply to the source type", () => {
    expect(() => applyTransform(parseTransform("hour"), T("date"), 1)).toThrow(/expected a supported source type/);
    expect(() => applyTransform(parseTransform("bucket[2]"), T("double"), 1)).toThrow();
  });
});

describe("toHumanString", () => {
  it("prints partition values as Java's Transform.toHumanString does", () => {
    expect(toHumanString(parseTransform("year"), T("date"), 47)).toBe("2017");
    expect(toHumanString(parseTransform("month"), T("date"), 574)).toBe("2017-11");
    expect(toHumanString(parseTransform("day"), T("date"), 17486)).toBe("2017-11-16");
    expect(toHumanString(parseTransform("hour"), T("timestamp"), 17486 * 24 + 22)).toBe("2017-11-16-22");
    expect(toHumanString(parseTransform("bucket[4]"), T("int"), 3)).toBe("3");
    expect(toHumanString(parseTransform("identity"), T("decimal(9,2)"), -1050n)).toBe("-10.50");
    expect(toHumanString(parseTransform("identity"), T("timestamp"), 1510871468000000n)).toBe("2017-11-16T22:31:08");
    expect(toHumanString(parseTransform("identity"), T("timestamptz"), 1510871468000001n)).toBe("2017-11-16T22:31:08.000001Z");
    expect(toHumanString(parseTransform("identity"), T("string"), null)).toBe("null");
  });
});
