import { describe, expect, it } from "vitest";
import { applyTransform, bind, evaluate, fileMustMatch, gtEq, isNull, lt, notEq, eq, and, parseTransform, projectStrict, toBinary } from "../src/index.js";
import { dataFile, SCHEMA, SPEC } from "./util/fixtures.js";

const tsType = { kind: "primitive", name: "timestamptz" } as const;
const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;
const day = (iso: string): number => applyTransform(parseTransform("day"), tsType, micros(iso)) as number;
const proves = (expr: Parameters<typeof bind>[0], partition: unknown[]): boolean => {
  const strict = projectStrict(bind(expr, SCHEMA), SPEC);
  return evaluate(strict, (id) => partition[SPEC.fields.findIndex((f) => f.fieldId === id)]);
};

describe("projectStrict", () => {
  it("proves range predicates on day partitions only for whole days on the right side", () => {
    const p = (d: string): unknown[] => [day(d), 0, null, null];
    expect(proves(lt("ts", "2024-01-05T00:00:00Z"), p("2024-01-04"))).toBe(true);
    expect(proves(lt("ts", "2024-01-05T12:00:00Z"), p("2024-01-05"))).toBe(false);
    expect(proves(gtEq("ts", "2024-01-05T12:00:00Z"), p("2024-01-06"))).toBe(true);
    expect(proves(gtEq("ts", "2024-01-05T12:00:00Z"), p("2024-01-05"))).toBe(false);
    expect(proves(notEq("ts", "2024-01-05T12:00:00Z"), p("2024-01-06"))).toBe(true);
    expect(proves(isNull("ts"), [null, 0, null, null])).toBe(true);
    // bucket and equality on a non-identity transform prove nothing.
    expect(proves(eq("id", 3), [day("2024-01-01"), 3, null, null])).toBe(false);
    expect(proves(eq("ts", "2024-01-05T00:00:00Z"), p("2024-01-05"))).toBe(false);
  });
});

describe("fileMustMatch", () => {
  it("proves a filter from bounds and null counts, never from missing metrics", () => {
    const long = { kind: "primitive", name: "long" } as const;
    const f = { ...dataFile("x.parquet", []), lowerBounds: new Map([[1, toBinary(long, 5n)]]), upperBounds: new Map([[1, toBinary(long, 9n)]]) };
    const must = (e: Parameters<typeof bind>[0], file = f): boolean => fileMustMatch(bind(e, SCHEMA), file);
    expect(must(lt("id", 10))).toBe(true);
    expect(must(lt("id", 9))).toBe(false);
    expect(must(and(gtEq("id", 5), lt("id", 10)))).toBe(true);
    expect(must(notEq("id", 4))).toBe(true);
    expect(must(eq("id", 5))).toBe(false);
    expect(must(lt("id", 10), { ...f, nullValueCounts: new Map([[1, 1n]]) })).toBe(false);
    expect(must(lt("name", "z"))).toBe(false);
  });
});
