import { describe, expect, it } from "vitest";
import { parseJson, stringifyJson } from "../src/internal/json.js";

describe("bigint-exact JSON", () => {
  const id = 9_007_199_254_740_993n; // 2^53 + 1: JSON.parse would round it to 2^53

  it("writes bigints as unquoted integers and reads them back exactly", () => {
    const value = { "snapshot-id": id, "neg": -id, list: [1, id, "x"], nested: { a: { b: id } }, small: 7 };
    const text = stringifyJson(value);
    expect(text).toBe('{"snapshot-id":9007199254740993,"neg":-9007199254740993,"list":[1,9007199254740993,"x"],"nested":{"a":{"b":9007199254740993}},"small":7}');
    expect(parseJson(text)).toEqual(value);
  });

  it("indents like JSON.stringify and skips undefined members", () => {
    const value = { a: id, b: undefined, c: [], d: {}, e: [true, null] };
    expect(stringifyJson(value, 2)).toBe(JSON.stringify({ a: 0, c: [], d: {}, e: [true, null] }, null, 2).replace('"a": 0', `"a": ${id}`));
  });

  it("keeps strings that look like its internal bigint marker as strings", () => {
    // The fast path marks bigints with a control-character prefix; a real string with that prefix
    // must not be turned into a number.
    const value = { s: "\u0001bigint:42", n: id, plain: "\u0001" };
    const text = stringifyJson(value);
    expect(parseJson(text)).toEqual(value);
    expect(JSON.parse(text).s).toBe("\u0001bigint:42");
  });

  it("writes non-finite numbers as null, as JSON.stringify does", () => {
    expect(stringifyJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 1.5 })).toBe('{"a":null,"b":null,"c":1.5}');
  });
});
