import { PiiArgumentError } from "../errors.js";
import { MASK_MODES, type MaskMode, REDACTED } from "../mask/mask-mode.js";
import { partialRule } from "./mask-rules.js";
import { quoteString } from "./sql.js";

// The few spots where DuckDB and Trino SQL differ; everything else is compiled once below
// (the kysely way: one compiler, small per-dialect hooks).
export interface MaskDialect {
  /** Every character but 0-9 removed. */
  digits(v: string): string;
  /** A string of n asterisks (n ≥ 0). */
  stars(n: string): string;
  /** The last 4 characters (only called when there are at least 4). */
  last4(v: string): string;
  /** SHA-256 of the UTF-8 text as lowercase hex. */
  sha256Hex(v: string): string;
  /** True when the (anchored) pattern matches. */
  matches(v: string, pattern: string): string;
  /** Every letter and digit replaced by `*`. */
  maskAlnum(v: string): string;
}

export const DUCKDB_DIALECT: MaskDialect = {
  digits: (v) => `regexp_replace(${v}, '[^0-9]', '', 'g')`,
  stars: (n) => `repeat('*', ${n})`,
  last4: (v) => `right(${v}, 4)`,
  sha256Hex: (v) => `sha256(${v})`,
  matches: (v, p) => `regexp_matches(${v}, ${quoteString(p)})`,
  maskAlnum: (v) => `regexp_replace(${v}, '[\\p{L}\\p{N}]', '*', 'g')`,
};

// Trino (Athena engine v3): regexp_replace replaces every match; repeat() builds arrays, so
// lpad('', n, '*') makes the asterisks; substr with a negative start counts from the end.
export const TRINO_DIALECT: MaskDialect = {
  digits: (v) => `regexp_replace(${v}, '[^0-9]', '')`,
  stars: (n) => `lpad('', ${n}, '*')`,
  last4: (v) => `substr(${v}, -4)`,
  sha256Hex: (v) => `lower(to_hex(sha256(to_utf8(${v}))))`,
  matches: (v, p) => `regexp_like(${v}, ${quoteString(p)})`,
  maskAlnum: (v) => `regexp_replace(${v}, '[\\p{L}\\p{N}]', '*')`,
};

function generic(d: MaskDialect, v: string): string {
  return `CASE WHEN length(${v}) = 0 THEN '' ELSE substr(${v}, 1, 1) || ${d.stars(`length(${v}) - 1`)} END`;
}

function partial(d: MaskDialect, v: string, kind: string | undefined): string {
  switch (partialRule(kind)) {
    case "email":
      return `CASE WHEN ${d.matches(v, "^[^@]+@[^@]+$")} THEN substr(${v}, 1, 1) || '***@' || split_part(${v}, '@', 2) ELSE ${generic(d, v)} END`;
    case "last4": {
      const digits = d.digits(v);
      return `CASE WHEN length(${digits}) >= 8 THEN ${d.stars(`length(${digits}) - 4`)} || ${d.last4(digits)} ELSE ${generic(d, v)} END`;
    }
    case "rrn": {
      const digits = d.digits(v);
      return `CASE WHEN length(${digits}) = 13 THEN substr(${digits}, 1, 6) || '-' || substr(${digits}, 7, 1) || '******' ELSE ${generic(d, v)} END`;
    }
    case "ipv4":
      return `CASE WHEN ${d.matches(v, "^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$")} THEN split_part(${v}, '.', 1) || '.' || split_part(${v}, '.', 2) || '.*.*' ELSE ${generic(d, v)} END`;
    case "generic":
      return generic(d, v);
  }
}

export function compileMask(d: MaskDialect, columnSql: string, mode: MaskMode, kind: string | undefined): string {
  if (!MASK_MODES.includes(mode)) {
    throw new PiiArgumentError(`pii: mask: mode: expected one of ${MASK_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  }
  const v = `CAST(${columnSql} AS VARCHAR)`;
  const body =
    mode === "hash"
      ? d.sha256Hex(v)
      : mode === "mask"
        ? d.maskAlnum(v)
        : mode === "redact"
          ? quoteString(REDACTED)
          : partial(d, v, kind);
  return `(CASE WHEN ${columnSql} IS NULL THEN NULL ELSE ${body} END)`;
}
