import { compareBytes, utf8 } from "./bytes.js";
import type { IcebergType } from "../spec/types.js";

/** Compares strings by Unicode code point (= UTF-8 byte order), as Iceberg bounds do. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order differs from code point order only when surrogates are involved.
  if (!/[\ud800-\udfff]/.test(a) && !/[\ud800-\udfff]/.test(b)) return a < b ? -1 : 1;
  return compareBytes(utf8(a), utf8(b));
}

/** Compares two non-null Iceberg values of the same type. */
export function compareValues(type: IcebergType, a: unknown, b: unknown): number {
  if (typeof a === "bigint" || typeof b === "bigint") {
    const x = BigInt(a as bigint), y = BigInt(b as bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "number" && typeof b === "number") {
    // NaN sorts last, -0 before +0 (Java's Double.compare).
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    if (a === 0 && b === 0) return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") {
    if (type.kind === "primitive" && type.name === "uuid") return compareStrings(a.toLowerCase(), b.toLowerCase());
    return compareStrings(a, b);
  }
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
