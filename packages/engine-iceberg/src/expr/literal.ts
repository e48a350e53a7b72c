import { InvalidMetadataError } from "../errors.js";
import { daysFromCivil } from "../internal/datetime.js";
import { typeToString } from "../spec/type-json.js";
import type { PrimitiveType } from "../spec/types.js";

/** Converts a convenient JS value to the Iceberg value of a type: ISO strings for date/time/timestamps, numbers for longs, decimal strings. */
export function toLiteral(type: PrimitiveType, value: unknown): unknown {
  const bad = (): never => { throw new InvalidMetadataError(`expr: literal for ${typeToString(type)}: expected a compatible value, got ${typeof value === "bigint" ? value.toString() : JSON.stringify(value)}`); };
  if (value === null || value === undefined) return null;
  if (type.kind === "decimal") {
    if (typeof value === "bigint") return value;
    const s = typeof value === "number" ? value.toFixed(type.scale) : typeof value === "string" ? value.trim() : bad();
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s as string) ?? bad();
    const frac = (m[3] ?? "").padEnd(type.scale, "0");
    if (frac.length > type.scale && /[1-9]/.test(frac.slice(type.scale))) bad();
    const unscaled = BigInt((m[2] || "0") + frac.slice(0, type.scale));
    return m[1] === "-" ? -unscaled : unscaled;
  }
  if (type.kind === "fixed") return value instanceof Uint8Array ? value : bad();
  switch (type.name) {
    case "boolean": return typeof value === "boolean" ? value : bad();
    case "int": return typeof value === "number" && Number.isInteger(value) ? value : typeof value === "bigint" ? Number(value) : bad();
    case "long": return typeof value === "bigint" ? value : typeof value === "number" && Number.isInteger(value) ? BigInt(value) : bad();
    case "float": case "double": return typeof value === "number" ? value : bad();
    case "string": return typeof value === "string" ? value : bad();
    case "uuid": return typeof value === "string" ? value.toLowerCase() : bad();
    case "binary": return value instanceof Uint8Array ? value : bad();
    case "date": {
      if (typeof value === "number") return value;
      if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000);
      const m = typeof value === "string" ? /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(value) : null;
      return m ? daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : bad();
    }
    case "time": {
      if (typeof value === "bigint") return value;
      const m = typeof value === "string" ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(value) : null;
      if (!m) return bad();
      return BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1_000_000n + BigInt((m[4] ?? "").padEnd(6, "0") || "0");
    }
    case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns": {
      const ns = type.name.endsWith("_ns");
      if (typeof value === "bigint") return value;
      if (value instanceof Date) return BigInt(value.getTime()) * (ns ? 1_000_000n : 1000n);
      if (typeof value !== "string") return bad();
      const m = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
      if (!m) return bad();
      const days = BigInt(daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])));
      let secs = days * 86400n + BigInt(Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0));
      const tz = m[8];
      if (tz && tz !== "Z") {
        const sign = tz[0] === "-" ? -1 : 1;
        const digits = tz.slice(1).replace(":", "");
        secs -= BigInt(sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60));
      }
      const frac = (m[7] ?? "").padEnd(9, "0");
      return ns ? secs * 1_000_000_000n + BigInt(frac) : secs * 1_000_000n + BigInt(frac.slice(0, 6));
    }
  }
}
