// Parsing of DuckDB's text forms (RETURN_STATS min/max, Hive partition keys) into Iceberg values
// (see engine-iceberg spec/README-contract.md for the JS representation).
import type { IcebergType } from "@engine/iceberg";

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian; negative before 1970). */
export function parseDate(text: string): number {
  const m = /^(-?\d{1,6})-(\d{2})-(\d{2})(?: \(BC\))?$/.exec(text.trim());
  if (!m) throw new Error(`not a date: ${text}`);
  let year = Number(m[1]);
  if (text.includes("(BC)")) year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / MS_PER_DAY);
}

/** Microseconds since midnight of `HH:MM:SS[.ffffff]`. */
export function parseTime(text: string): bigint {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a time: ${text}`);
  const frac = BigInt((m[4] ?? "").padEnd(6, "0").slice(0, 6));
  return ((BigInt(m[1]!) * 60n + BigInt(m[2]!)) * 60n + BigInt(m[3]!)) * 1_000_000n + frac;
}

/** Microseconds (or nanoseconds) since the epoch of `YYYY-MM-DD HH:MM:SS[.f][±HH[:MM]]`, offset applied. */
export function parseTimestamp(text: string, unit: "us" | "ns" = "us"): bigint {
  const m = /^(-?\d{1,6}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`not a timestamp: ${text}`);
  const days = BigInt(parseDate(m[1]!));
  const digits = unit === "us" ? 6 : 9;
  const frac = BigInt((m[5] ?? "").padEnd(digits, "0").slice(0, digits));
  const perSecond = unit === "us" ? 1_000_000n : 1_000_000_000n;
  let seconds = days * 86_400n + (BigInt(m[2]!) * 60n + BigInt(m[3]!)) * 60n + BigInt(m[4]!);
  if (m[6]) {
    const offset = (BigInt(m[7]!) * 60n + BigInt(m[8] ?? "0")) * 60n;
    seconds = m[6] === "+" ? seconds - offset : seconds + offset;
  }
  return seconds * perSecond + frac;
}

/** The unscaled value of a decimal string at a given scale (`"12.5"`, scale 2 → 1250n). */
export function parseDecimal(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? "").padEnd(scale, "0");
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new Error(`decimal ${text} has more than ${scale} fraction digits`);
  const v = BigInt((m[2] || "0") + frac.slice(0, scale));
  return m[1] === "-" ? -v : v;
}

/** Parses DuckDB's text form of a primitive value into an Iceberg value; undefined when it cannot. */
export function parseValue(type: IcebergType, text: string): unknown {
  switch (type.kind) {
    case "decimal": return parseDecimal(text, type.scale);
    // fixed[L] bounds arrive as hex: `conformParquetFiles` sets them from the values it transcodes.
    case "fixed": return /^(?:[0-9a-fA-F]{2})*$/.test(text) && text.length === 2 * type.length ? Uint8Array.from(Buffer.from(text, "hex")) : undefined;
    case "primitive":
      switch (type.name) {
        case "boolean": return text === "1" || text.toLowerCase() === "true";
        case "int": return Number.parseInt(text, 10);
        case "long": return BigInt(text);
        case "float": case "double": {
          const v = Number(text);
          return Number.isNaN(v) ? undefined : v;
        }
        case "date": return parseDate(text);
        case "time": return parseTime(text);
        case "timestamp": case "timestamptz": return parseTimestamp(text, "us");
        case "timestamp_ns": case "timestamptz_ns": return parseTimestamp(text, "ns");
        case "string": return text;
        case "uuid": return text.toLowerCase();
        case "binary": return undefined;
      }
  }
  return undefined;
}
