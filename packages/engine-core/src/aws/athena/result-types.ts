// Athena (Trino) result columns to Arrow. GetQueryResults returns every value as text
// (`VarCharValue`, absent for NULL); ResultSetMetadata.ColumnInfo says what the text means.
import {
  Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, Schema, Table, TimestampMicrosecond, Utf8, makeData,
  RecordBatch, Struct, type Data, type DataType,
} from "apache-arrow";

/** The part of Athena's ColumnInfo the conversion needs. */
export interface AthenaColumn {
  readonly Name: string;
  readonly Type: string;
  readonly Precision?: number;
  readonly Scale?: number;
}

type Text = string | null | undefined;

const encoder = new TextEncoder();
const MICROS_PER_DAY = 86_400_000_000n;

/** The Arrow type for an Athena column type: exact numbers, days, UTC microseconds; arrays, maps, rows and the rest as text. */
export function arrowTypeOfAthena(col: AthenaColumn): DataType {
  const t = col.Type.toLowerCase().replace(/\(.*$/, "").trim();
  switch (t) {
    case "boolean": return new Bool();
    case "tinyint": return new Int8();
    case "smallint": return new Int16();
    case "integer": case "int": return new Int32();
    case "bigint": return new Int64();
    case "real": case "float": return new Float32();
    case "double": return new Float64();
    case "decimal": {
      const m = /decimal\((\d+)\s*,\s*(\d+)\)/i.exec(col.Type);
      const precision = m ? Number(m[1]) : (col.Precision ?? 38);
      const scale = m ? Number(m[2]) : (col.Scale ?? 0);
      return new Decimal(scale, precision, 128);
    }
    case "date": return new DateDay();
    case "timestamp":
      return /with time zone/i.test(col.Type) ? new TimestampMicrosecond("UTC") : new TimestampMicrosecond();
    case "timestamp with time zone": return new TimestampMicrosecond("UTC");
    default: return new Utf8();
  }
}

/** Days since 1970-01-01 of `YYYY-MM-DD`. */
export function parseDateDays(s: string): number {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})/.exec(s.trim());
  if (!m) throw new Error(`athena: expected a date like 2024-01-31, got "${s}"`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Microseconds since the epoch (UTC) of Athena's timestamp text: `2024-01-31 10:11:12.123456[ zone]`. */
export function parseTimestampMicros(s: string): bigint {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(.*)$/.exec(s.trim());
  if (!m) throw new Error(`athena: expected a timestamp like 2024-01-31 10:11:12.123, got "${s}"`);
  const days = BigInt(Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000));
  const secs = BigInt(Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0));
  const frac = BigInt((m[7] ?? "").padEnd(6, "0").slice(0, 6) || "0");
  const local = days * MICROS_PER_DAY + secs * 1_000_000n + frac;
  return local - BigInt(zoneOffsetMinutes(m[8] ?? "", Number(local / 1000n))) * 60_000_000n;
}

/** Minutes east of UTC of a zone suffix (`UTC`, `Z`, `+02:00`, or an IANA name at that local time). */
function zoneOffsetMinutes(zone: string, localMs: number): number {
  const z = zone.trim();
  if (z === "" || z === "Z" || /^(UTC|GMT|Etc\/UTC)$/i.test(z)) return 0;
  const off = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (off) return (off[1] === "-" ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3]));
  // An IANA zone: the offset Intl reports at (about) that instant.
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: z, timeZoneName: "longOffset" }).formatToParts(new Date(localMs));
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const g = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return g ? (g[1] === "-" ? -1 : 1) * (Number(g[2]) * 60 + Number(g[3])) : 0;
}

/** The unscaled integer of decimal text at a scale (`"12.3"` at scale 2 → 1230n). */
export function parseDecimalUnscaled(s: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`athena: expected a decimal number, got "${s}"`);
  const frac = (m[3] ?? "").padEnd(scale, "0");
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new Error(`athena: decimal ${s} has more than ${scale} fraction digits`);
  const v = BigInt(`${m[2] || "0"}${frac.slice(0, scale)}`);
  return m[1] === "-" ? -v : v;
}

function parseFloatText(s: string): number {
  const t = s.trim();
  if (t === "NaN") return NaN;
  if (t === "Infinity") return Infinity;
  if (t === "-Infinity") return -Infinity;
  return Number(t);
}

/** One Arrow column of an Athena result from its text values. */
export function athenaColumnData(type: DataType, values: readonly Text[]): Data {
  const length = values.length;
  const nullBitmap = new Uint8Array(Math.ceil(length / 8) || 1);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  const base = { length, nullCount, nullBitmap };
  const fill = <A extends { [i: number]: number | bigint }>(out: A, parse: (s: string) => number | bigint): A => {
    values.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = parse(v); });
    return out;
  };
  if (type instanceof Bool) {
    const data = new Uint8Array(Math.ceil(length / 8) || 1);
    values.forEach((v, i) => { if (v === "true") data[i >> 3]! |= 1 << (i & 7); });
    return makeData({ type, ...base, data });
  }
  if (type instanceof Int8) return makeData({ type, ...base, data: fill(new Int8Array(length), Number) });
  if (type instanceof Int16) return makeData({ type, ...base, data: fill(new Int16Array(length), Number) });
  if (type instanceof Int32) return makeData({ type, ...base, data: fill(new Int32Array(length), Number) });
  if (type instanceof Int64) return makeData({ type, ...base, data: fill(new BigInt64Array(length), (s) => BigInt(s.trim())) });
  if (type instanceof Float32) return makeData({ type, ...base, data: fill(new Float32Array(length), parseFloatText) });
  if (type instanceof Float64) return makeData({ type, ...base, data: fill(new Float64Array(length), parseFloatText) });
  if (type instanceof DateDay) return makeData({ type, ...base, data: fill(new Int32Array(length), parseDateDays) });
  if (type instanceof TimestampMicrosecond) return makeData({ type, ...base, data: fill(new BigInt64Array(length), parseTimestampMicros) });
  if (type instanceof Decimal) {
    const data = new Uint32Array(length * 4);
    values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      let u = BigInt.asUintN(128, parseDecimalUnscaled(v, type.scale));
      for (let w = 0; w < 4; w++) { data[i * 4 + w] = Number(u & 0xffffffffn); u >>= 32n; }
    });
    return makeData({ type, ...base, data });
  }
  const parts: Uint8Array[] = [];
  const valueOffsets = new Int32Array(length + 1);
  let total = 0;
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) { const b = encoder.encode(v); parts.push(b); total += b.length; }
    valueOffsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { data.set(p, at); at += p.length; }
  return makeData({ type: new Utf8(), ...base, valueOffsets, data });
}

/** An Arrow table from Athena's columns and text rows (row-major). */
export function athenaRowsToArrow(columns: readonly AthenaColumn[], rows: readonly (readonly Text[])[]): Table {
  const fields: Field[] = [];
  const children: Data[] = [];
  columns.forEach((c, j) => {
    const type = arrowTypeOfAthena(c);
    let name = c.Name;
    for (let k = 1; fields.some((f) => f.name === name); k++) name = `${c.Name}_${k}`;
    const data = athenaColumnData(type, rows.map((r) => r[j]));
    fields.push(new Field(name, data.type, true));
    children.push(data);
  });
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

