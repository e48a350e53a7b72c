// What an erasure looks for: the subject keys as each table's column holds them, their tokens,
// and the string values of the subject's PII columns, plus their byte forms for raw scans.

import { createHash } from "node:crypto";
import { alwaysTrue, isIn, type Expression, type IcebergType } from "@engine/iceberg";
import { duckDbType } from "@engine/core";
import { quoteString } from "./sql.js";

/** A value searched for after an erasure; `label` names it in findings without revealing it. */
export interface Needle {
  readonly label: string;
  readonly text: string;
  /** Raw byte forms searched in files: UTF-8 (which contains Parquet's length-prefixed form). */
  readonly bytes: readonly Uint8Array[];
}

// Short texts (ids like "42") appear by chance in any binary file: they are checked decoded only.
const MIN_RAW_NEEDLE_CHARS = 6;

/** A label for a needle: `sha256:` and the first 12 hex digits of its hash. */
export function needleLabel(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 12)}`;
}

/** The needle of a text value, with raw byte forms when it is long enough to search as bytes. */
export function textNeedle(text: string): Needle {
  const chars = Array.from(text);
  const bytes: Uint8Array[] = [];
  // A manifest bound of a longer value is its first 16 characters, which other subjects' values
  // may share ("note about membe…"): only whole values are needles.
  if (chars.length >= MIN_RAW_NEEDLE_CHARS) bytes.push(Buffer.from(text, "utf8"));
  return { label: needleLabel(text), text, bytes };
}

/** Iceberg single-value bytes of an integer key for `int`/`long` columns (little-endian), else undefined. */
export function integerBoundBytes(type: IcebergType, text: string): Uint8Array | undefined {
  if (type.kind !== "primitive" || !/^-?\d+$/.test(text)) return undefined;
  if (type.name === "long") {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(text));
    return b;
  }
  if (type.name === "int") {
    const n = Number(text);
    if (n < -(2 ** 31) || n >= 2 ** 31) return undefined;
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  }
  return undefined;
}

/** A DuckDB literal of `text` in the column's type (TRY_CAST: a key that is not of the type matches nothing). */
export function sqlLiteral(type: IcebergType, text: string): string {
  if (type.kind === "primitive" && type.name === "string") return quoteString(text);
  return `TRY_CAST(${quoteString(text)} AS ${duckDbType(type)})`;
}

/** An Iceberg filter that holds for rows whose column is one of the keys (always true when the type cannot be pruned on). */
export function keyFilter(column: string, type: IcebergType, texts: readonly string[]): Expression {
  if (type.kind === "primitive") {
    if (type.name === "string") return isIn(column, texts);
    if (type.name === "long" && texts.every((t) => /^-?\d+$/.test(t))) return isIn(column, texts.map((t) => BigInt(t)));
    if (type.name === "int" && texts.every((t) => /^-?\d+$/.test(t))) return isIn(column, texts.map((t) => Number(t)));
  }
  return alwaysTrue();
}

/** Whether `haystack` contains `needle` as bytes. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return needle.length > 0 && Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) >= 0;
}
