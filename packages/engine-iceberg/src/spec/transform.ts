import { InvalidMetadataError } from "../errors.js";
import { civilFromDays, floorDiv, floorMod, formatDate, formatTime, formatTimestamp } from "../internal/datetime.js";
import { bytesToUuid } from "../internal/bytes.js";
import { bucketOf } from "./bucket-hash.js";
import type { Transform } from "./partition-spec.js";
import { isPrimitive, typeToString } from "./type-json.js";
import type { IcebergType, PrimitiveType } from "./types.js";

/** Parses a transform string: `identity`, `bucket[16]`, `truncate[4]`, `year`, `month`, `day`, `hour`, `void`. */
export function parseTransform(text: string): Transform {
  const s = text.trim().toLowerCase();
  const b = /^bucket\[(\d+)\]$/.exec(s);
  if (b) return { kind: "bucket", n: Number(b[1]) };
  const t = /^truncate\[(\d+)\]$/.exec(s);
  if (t) return { kind: "truncate", width: Number(t[1]) };
  switch (s) {
    case "identity": case "year": case "month": case "day": case "hour": case "void":
      return { kind: s };
  }
  throw new InvalidMetadataError(`transform: expected identity, bucket[N], truncate[W], year, month, day, hour or void, got "${text}"`);
}

/** Formats a transform as written in metadata (`bucket[16]`). */
export function transformToString(t: Transform): string {
  switch (t.kind) {
    case "bucket": return `bucket[${t.n}]`;
    case "truncate": return `truncate[${t.width}]`;
    default: return t.kind;
  }
}

const TEMPORAL_TS = new Set(["timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns"]);

/** Whether a transform accepts a source type. Spec: "Partition Transforms" table. */
export function canTransform(t: Transform, source: IcebergType): boolean {
  if (!isPrimitive(source)) return t.kind === "void";
  const name = source.kind === "primitive" ? source.name : source.kind;
  switch (t.kind) {
    case "identity": case "void": return true;
    case "bucket": return !["boolean", "float", "double"].includes(name);
    case "truncate": return ["int", "long", "decimal", "string", "binary"].includes(name);
    case "year": case "month": case "day": return name === "date" || TEMPORAL_TS.has(name);
    case "hour": return TEMPORAL_TS.has(name);
  }
}

/** The type of the transformed value. Spec: bucket/year/month/hour → int, day → date, identity/truncate/void → source. */
export function transformResultType(t: Transform, source: IcebergType): IcebergType {
  switch (t.kind) {
    case "bucket": case "year": case "month": case "hour": return { kind: "primitive", name: "int" };
    case "day": return { kind: "primitive", name: "date" };
    default: return source;
  }
}

function checkSource(t: Transform, source: IcebergType): PrimitiveType {
  if (!canTransform(t, source) || !isPrimitive(source)) {
    throw new InvalidMetadataError(`transform: ${transformToString(t)}: expected a supported source type, got ${typeToString(source)}`);
  }
  return source;
}

/** Microseconds of a timestamp value (ns types are reduced with floor division). */
function micros(source: PrimitiveType, v: bigint): bigint {
  return source.kind === "primitive" && (source.name === "timestamp_ns" || source.name === "timestamptz_ns") ? floorDiv(v, 1000n) : v;
}

const US_PER_DAY = 86_400_000_000n;
const US_PER_HOUR = 3_600_000_000n;

function daysOf(source: PrimitiveType, v: unknown): number {
  if (source.kind === "primitive" && source.name === "date") return v as number;
  return Number(floorDiv(micros(source, v as bigint), US_PER_DAY));
}

/** Applies a transform to one Iceberg value of the source type; null stays null (void always gives null). */
export function applyTransform(t: Transform, source: IcebergType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = checkSource(t, source);
  switch (t.kind) {
    case "identity": return value;
    case "void": return null;
    case "bucket": return bucketOf(type, value, t.n);
    case "truncate": return truncateValue(type, value, t.width);
    // Spec: year/month/day/hour are counted from 1970-01-01 00:00 UTC; earlier values are negative.
    case "year": return civilFromDays(daysOf(type, value)).year - 1970;
    case "month": {
      const { year, month } = civilFromDays(daysOf(type, value));
      return (year - 1970) * 12 + (month - 1);
    }
    case "day": return daysOf(type, value);
    case "hour": return Number(floorDiv(micros(type, value as bigint), US_PER_HOUR));
  }
}

function truncateValue(type: PrimitiveType, value: unknown, w: number): unknown {
  // Spec: int/long/decimal truncate to v - (((v % W) + W) % W); strings to W code points; binary to W bytes.
  if (type.kind === "decimal") return (value as bigint) - floorMod(value as bigint, BigInt(w));
  const name = type.kind === "primitive" ? type.name : "fixed";
  switch (name) {
    case "int": { const v = value as number; return v - (((v % w) + w) % w); }
    case "long": { const v = value as bigint; return v - floorMod(v, BigInt(w)); }
    case "string": {
      const s = value as string;
      let out = "";
      let count = 0;
      for (const cp of s) { if (count++ >= w) break; out += cp; }
      return out;
    }
    case "binary": return (value as Uint8Array).slice(0, w);
  }
  throw new InvalidMetadataError(`transform: truncate: expected int, long, decimal, string or binary, got ${typeToString(type)}`);
}

/** A partition value as Java's `Transform.toHumanString` prints it (used in partition paths). */
export function toHumanString(t: Transform, source: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (t.kind) {
    case "year": return String(1970 + (value as number)).padStart(4, "0");
    case "month": {
      const m = value as number;
      const year = 1970 + Math.floor(m / 12);
      return `${String(year).padStart(4, "0")}-${String(((m % 12) + 12) % 12 + 1).padStart(2, "0")}`;
    }
    case "day": return formatDate(value as number);
    case "hour": {
      const h = BigInt(value as number);
      const days = Number(floorDiv(h, 24n));
      return `${formatDate(days)}-${String(Number(floorMod(h, 24n))).padStart(2, "0")}`;
    }
    case "bucket": return String(value);
    default: return valueToHumanString(transformResultType(t, source), value);
  }
}

/** A value of a type as Java prints it in partition paths and human strings. */
export function valueToHumanString(type: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (type.kind === "decimal") {
    const v = value as bigint;
    const neg = v < 0n;
    const digits = (neg ? -v : v).toString().padStart(type.scale + 1, "0");
    const s = type.scale === 0 ? digits : `${digits.slice(0, -type.scale)}.${digits.slice(-type.scale)}`;
    return neg ? "-" + s : s;
  }
  if (type.kind === "fixed") return Buffer.from(value as Uint8Array).toString("base64");
  if (type.kind !== "primitive") return String(value);
  switch (type.name) {
    case "date": return formatDate(value as number);
    case "time": return formatTime(value as bigint);
    case "timestamp": return formatTimestamp(value as bigint, 1_000_000n);
    case "timestamptz": return formatTimestamp(value as bigint, 1_000_000n) + "Z";
    case "timestamp_ns": return formatTimestamp(value as bigint, 1_000_000_000n);
    case "timestamptz_ns": return formatTimestamp(value as bigint, 1_000_000_000n) + "Z";
    case "binary": return Buffer.from(value as Uint8Array).toString("base64");
    case "uuid": return typeof value === "string" ? value : bytesToUuid(value as Uint8Array);
    default: return String(value);
  }
}
