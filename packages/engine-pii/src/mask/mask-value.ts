import { createHash } from "node:crypto";
import { PiiArgumentError } from "../errors.js";
import { partialRule } from "../internal/mask-rules.js";
import { MASK_MODES, type MaskMode, REDACTED } from "./mask-mode.js";

const stars = (n: number): string => "*".repeat(Math.max(0, n));
const digitsOf = (v: string): string => v.replace(/[^0-9]/g, "");

function generic(v: string): string {
  const chars = Array.from(v); // code points, as SQL length()/substr() count them
  return chars.length === 0 ? "" : chars[0]! + stars(chars.length - 1);
}

function partial(v: string, kind: string | undefined): string {
  switch (partialRule(kind)) {
    case "email":
      return /^[^@]+@[^@]+$/.test(v) ? `${Array.from(v)[0]!}***@${v.split("@")[1]!}` : generic(v);
    case "last4": {
      const d = digitsOf(v);
      return d.length >= 8 ? stars(d.length - 4) + d.slice(-4) : generic(v);
    }
    case "rrn": {
      const d = digitsOf(v);
      return d.length === 13 ? `${d.slice(0, 6)}-${d[6]!}******` : generic(v);
    }
    case "ipv4": {
      if (!/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(v)) return generic(v);
      const [a, b] = v.split(".");
      return `${a!}.${b!}.*.*`;
    }
    case "generic":
      return generic(v);
  }
}

/**
 * Masks one value the way `maskSql` / `maskSqlTrino` do in SQL (see `MaskMode` for each mode).
 *
 * ```ts
 * maskValue("jane.doe@example.com", "partial", "email"); // "j***@example.com"
 * maskValue("010-1234-5678", "mask");                     // "***-****-****"
 * ```
 */
export function maskValue(value: string | null | undefined, mode: MaskMode, kind?: string): string | null {
  if (!MASK_MODES.includes(mode)) {
    throw new PiiArgumentError(`pii: mask: mode: expected one of ${MASK_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  }
  if (value === null || value === undefined) return null;
  switch (mode) {
    case "hash":
      return createHash("sha256").update(value, "utf8").digest("hex");
    case "mask":
      return value.replace(/[\p{L}\p{N}]/gu, "*");
    case "redact":
      return REDACTED;
    case "partial":
      return partial(value, kind);
  }
}
