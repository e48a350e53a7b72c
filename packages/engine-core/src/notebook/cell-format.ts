// Exact text for one Arrow value as a notebook shows it: decimals from their 128-bit words (no
// float rounding), 64-bit integers as bigint text, timestamps in ISO form keeping microseconds.

import { DataType, TimeUnit, type Field } from "apache-arrow";

/** The column type in the spec's vocabulary (`long`, `decimal(12,2)`, `timestamptz`, …). */
export function columnTypeName(type: DataType): string {
  if (DataType.isInt(type)) {
    if (type.bitWidth === 64) return type.isSigned ? "long" : "ulong";
    if (type.bitWidth === 32) return type.isSigned ? "int" : "uint";
    return type.bitWidth === 16 ? "smallint" : "tinyint";
  }
  if (DataType.isFloat(type)) return type.precision === 2 ? "double" : "float";
  if (DataType.isDecimal(type)) return `decimal(${type.precision},${type.scale})`;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return "string";
  if (DataType.isBool(type)) return "boolean";
  if (DataType.isDate(type)) return "date";
  if (DataType.isTimestamp(type)) return type.timezone ? "timestamptz" : "timestamp";
  if (DataType.isTime(type)) return "time";
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) return "binary";
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return `list<${columnTypeName(type.children[0]!.type)}>`;
  if (DataType.isStruct(type)) return "struct";
  if (DataType.isMap(type)) return "map";
  return String(type).toLowerCase();
}

/** Whether a column holds numbers (right-aligned in tables, usable as a chart's y). */
export function isNumericType(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
}

/** Text of one non-null value of `field`; null and undefined give undefined (the caller shows NULL). */
export function formatValue(field: Pick<Field, "type">, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const type = field.type;
  if (DataType.isDecimal(type)) return decimalText(value as Uint32Array, type.scale);
  if (DataType.isFloat(type)) return floatText(value as number);
  if (DataType.isDate(type)) return new Date(Number(value)).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) return timestampText(Number(value), type.timezone != null && type.timezone !== "");
  if (DataType.isTime(type)) return timeText(value as bigint | number, type.unit);
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) {
    return "0x" + Buffer.from(value as Uint8Array).toString("hex");
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = type.children[0]!;
    return `[${[...(value as Iterable<unknown>)].map((v) => formatValue(child, v) ?? "NULL").join(", ")}]`;
  }
  if (DataType.isStruct(type)) {
    const o = value as Record<string, unknown>;
    return `{${type.children.map((c) => `${c.name}: ${formatValue(c, o[c.name]) ?? "NULL"}`).join(", ")}}`;
  }
  if (DataType.isMap(type)) {
    const [k, v] = type.children[0]!.type.children as Field[];
    return `{${[...(value as Map<unknown, unknown>)].map(([a, b]) => `${formatValue(k!, a) ?? "NULL"}: ${formatValue(v!, b) ?? "NULL"}`).join(", ")}}`;
  }
  return String(value);
}

/** A decimal's exact text from Arrow's four little-endian 32-bit words (two's complement). */
export function decimalText(words: Uint32Array | readonly number[], scale: number): string {
  let u = 0n;
  for (let w = words.length - 1; w >= 0; w--) u = (u << 32n) | BigInt(words[w] ?? 0);
  const signed = BigInt.asIntN(32 * words.length, u);
  const negative = signed < 0n;
  const digits = (negative ? -signed : signed).toString().padStart(scale + 1, "0");
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function floatText(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toFixed(1);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(6).replace(/\.?0+e/, "e");
  // Six significant decimals, like pandas' default display precision.
  return String(Number(v.toFixed(6)));
}

/** Arrow JS gives microsecond timestamps as fractional epoch milliseconds; keep the microseconds. */
function timestampText(ms: number, utc: boolean): string {
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  const iso = new Date(whole).toISOString(); // 2024-01-02T03:04:05.123Z
  const fraction = iso.slice(20, 23) + (micros > 0 ? String(micros).padStart(3, "0") : "");
  const trimmed = /^0+$/.test(fraction) ? "" : `.${fraction}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${trimmed}${utc ? "Z" : ""}`;
}

function timeText(v: bigint | number, unit: TimeUnit): string {
  const perSecond = unit === TimeUnit.SECOND ? 1n : unit === TimeUnit.MILLISECOND ? 1000n : unit === TimeUnit.MICROSECOND ? 1_000_000n : 1_000_000_000n;
  const total = BigInt(v);
  const secs = total / perSecond;
  const frac = total % perSecond;
  const hh = String(secs / 3600n).padStart(2, "0");
  const mm = String((secs / 60n) % 60n).padStart(2, "0");
  const ss = String(secs % 60n).padStart(2, "0");
  const digits = perSecond.toString().length - 1;
  return `${hh}:${mm}:${ss}${frac > 0n ? "." + frac.toString().padStart(digits, "0").replace(/0+$/, "") : ""}`;
}
