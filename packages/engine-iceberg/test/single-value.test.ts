import { describe, expect, it } from "vitest";
import {
  fromBinary, parseType, toBinary, truncateBinaryUpper, truncateStringLower, truncateStringUpper, type PrimitiveType,
} from "../src/index.js";

const T = (s: string): PrimitiveType => parseType(s);
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

// Expected bytes derived from spec Appendix D ("Binary single-value serialization"), checked with
// Python struct.pack("<q"/"<i"/"<f") and int.to_bytes(signed=True), independent of this code.
const CASES: [string, unknown, string][] = [
  ["boolean", true, "01"],
  ["boolean", false, "00"],
  ["int", 34, "22000000"], // 4-byte little-endian
  ["int", -1, "ffffffff"],
  ["long", 34n, "2200000000000000"], // 8-byte little-endian
  ["long", -2n, "feffffffffffffff"],
  ["float", 1.0, "0000803f"], // IEEE 754 little-endian
  ["double", 1.0, "000000000000f03f"],
  ["date", 17486, "4e440000"], // days since epoch as int
  ["time", 81068000000n, "008307e012000000"], // 22:31:08 in µs as long
  ["timestamp", 1510871468000000n, "00c3262d215e0500"],
  ["timestamptz", 1510871468000000n, "00c3262d215e0500"],
  ["timestamp_ns", 1n, "0100000000000000"],
  ["string", "iceberg", "69636562657267"], // UTF-8 bytes, no length
  ["uuid", "f79c3e09-677c-4bbd-a479-3f349cb785e7", "f79c3e09677c4bbda4793f349cb785e7"], // 16 bytes big-endian
  ["fixed[4]", hex("00010203"), "00010203"],
  ["binary", hex("00010203"), "00010203"],
  ["decimal(4,2)", 1420n, "058c"], // 14.20: unscaled 1420, two's complement big-endian, minimal bytes
  ["decimal(9,2)", -1n, "ff"],
  ["decimal(9,2)", 128n, "0080"],
  ["decimal(38,10)", 0n, "00"],
];

describe("toBinary", () => {
  for (const [type, value, bytes] of CASES) {
    it(`serializes ${type} ${String(value)} as ${bytes}`, () => {
      expect(Buffer.from(toBinary(T(type), value)).toString("hex")).toBe(bytes);
    });
  }
});

describe("fromBinary", () => {
  for (const [type, value, bytes] of CASES) {
    it(`reads ${bytes} back as ${type} ${String(value)}`, () => {
      expect(fromBinary(T(type), hex(bytes))).toEqual(value);
    });
  }
  it("reads 4-byte bounds of a column promoted from int to long and float to double", () => {
    expect(fromBinary(T("long"), hex("22000000"))).toBe(34n);
    expect(fromBinary(T("double"), hex("0000803f"))).toBe(1);
  });
  it("rejects a wrong length with a clear message", () => {
    expect(() => fromBinary(T("int"), hex("0102"))).toThrow(/value: int: expected 4 bytes, got 2/);
  });
});

describe("truncateStringLower", () => {
  it("keeps the first 16 code points by default", () => {
    expect(truncateStringLower("American Fuzzy Lop")).toBe("American Fuzzy L");
    expect(truncateStringLower("short")).toBe("short");
    expect(truncateStringLower("😀😁😂", 2)).toBe("😀😁");
  });
});

describe("truncateStringUpper", () => {
  it("truncates and increments the last code point so the bound stays above every value", () => {
    expect(truncateStringUpper("American Fuzzy Lop")).toBe("American Fuzzy M");
    expect(truncateStringUpper("abc", 16)).toBe("abc");
    expect(truncateStringUpper("a\u{10FFFF}\u{10FFFF}", 2)).toBe("b");
    expect(truncateStringUpper("\u{10FFFF}\u{10FFFF}", 1)).toBeUndefined();
    expect(truncateStringUpper("a\uD7FFz", 2)).toBe("a\uE000");
  });
});

describe("truncateBinaryUpper", () => {
  it("increments the last byte below 0xff, or gives no bound", () => {
    expect(truncateBinaryUpper(hex("0102ff03"), 3)).toEqual(hex("0103"));
    expect(truncateBinaryUpper(hex("ffff00"), 2)).toBeUndefined();
  });
});
