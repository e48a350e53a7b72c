// Order-independent table checksum, the same on both sides: Spark's `/checksum`
// (test/peers/spark_server.py) and this function over the JSON-safe rows of our own reader.
//
// Each row is the object {column: value} of JSON-safe values (bigint/decimal as strings, dates
// and timestamps ISO, binary base64 — the form sparkPeer().sql returns). Its canonical text
// (sorted keys, numbers as JavaScript prints them) is hashed with SHA-256; the first 8 bytes, as
// an unsigned 64-bit number, are summed modulo 2^64. Equal multisets of rows give equal sums.

import { createHash } from "node:crypto";

/** Row count and 16-hex-digit checksum of a table. */
export interface TableChecksum {
  count: number;
  checksum: string;
}

/** The canonical text of a JSON-safe value (mirrors `canon` in spark_server.py). */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort(byCodePoint)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  throw new TypeError(`cannot checksum a ${typeof v}`);
}

// Python sorts str keys by code point; JS's default sort compares UTF-16 units. Same for BMP.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The 64-bit hash of one row object. */
export function rowHash(row: Record<string, unknown>): bigint {
  return createHash("sha256").update(canonicalJson(row), "utf8").digest().readBigUInt64BE(0);
}

/** Checksum of rows given as objects. */
export function checksumObjects(rows: Iterable<Record<string, unknown>>): TableChecksum {
  let total = 0n;
  let count = 0;
  for (const row of rows) {
    total = (total + rowHash(row)) & 0xffff_ffff_ffff_ffffn;
    count++;
  }
  return { count, checksum: total.toString(16).padStart(16, "0") };
}

/** Checksum of rows given as arrays in `columns` order (the shape of sparkPeer().sql). */
export function checksumRows(columns: readonly string[], rows: Iterable<readonly unknown[]>): TableChecksum {
  function* objects() {
    for (const r of rows) yield Object.fromEntries(columns.map((c, i) => [c, r[i]]));
  }
  return checksumObjects(objects());
}
