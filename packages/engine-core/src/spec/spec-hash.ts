// A stable fingerprint of a normalized spec, used for idempotent load ids.

import { createHash } from "node:crypto";
import type { TableSpec } from "./table-spec.js";

/** Serializes a JSON-like value with object keys sorted and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The sha256 (hex) of the spec's canonical JSON. Where the spec and its transform file live on disk
 * is left out, so the same spec hashes the same in any checkout; the transform's SQL is included.
 */
export function specHash(spec: TableSpec): string {
  const { file: _file, transform, ...rest } = spec;
  const hashed = transform === undefined ? rest : { ...rest, transform: { sql: transform.sql } };
  return createHash("sha256").update(canonicalJson(hashed)).digest("hex");
}
