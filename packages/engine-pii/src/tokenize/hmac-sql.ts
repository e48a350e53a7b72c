import { createHash } from "node:crypto";
import { assertKeyLength } from "../internal/key-check.js";
import type { KeyMaterial } from "./key-provider.js";

// RFC 2104: HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m)), K' = K padded (or first hashed)
// to the hash's 64-byte block.
const BLOCK = 64;

function pads(key: Uint8Array): { inner: string; outer: string } {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? createHash("sha256").update(key).digest() : key);
  const inner = Buffer.alloc(BLOCK);
  const outer = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  return { inner: inner.toString("hex"), outer: outer.toString("hex") };
}

/**
 * A DuckDB SQL expression that computes `tokenize(<column>, key)` for every row: DuckDB (1.5)
 * has `sha256()` but no HMAC, so the HMAC is spelled out with the key's inner and outer pads
 * precomputed here and embedded as `from_hex(...)` blobs. NULL stays NULL.
 *
 * The pads are derived from the key and as secret as the key: never log this SQL, never put it
 * in an error or a run report, and do not let DuckDB's profiler or query log keep it.
 *
 * ```ts
 * const sql = `SELECT ${hmacSqlExpression('"customer_id"', key)} AS subject_token FROM staged`;
 * ```
 */
export function hmacSqlExpression(columnSql: string, key: KeyMaterial): string {
  assertKeyLength(key, "hmacSqlExpression");
  const { inner, outer } = pads(key);
  const message = `encode(CAST(${columnSql} AS VARCHAR))`;
  return `sha256(from_hex('${outer}') || unhex(sha256(from_hex('${inner}') || ${message})))`;
}
