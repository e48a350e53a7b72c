// DuckDB result values → an Apache Arrow table, built buffer by buffer so that 64-bit integers,
// microsecond timestamps and decimals keep their exact values.
//
// Type choices (documented for users of QueryResult.arrow):
// - BIGINT → Int64; HUGEINT (e.g. `sum(bigint)`) → Int64 when every value fits, else Float64.
// - DECIMAL(p,s) → Decimal128(p,s) holding the exact unscaled value.
// - DATE → DateDay; TIMESTAMP → Timestamp(µs); TIMESTAMPTZ → Timestamp(µs, "UTC"); TIME → Time64(µs).
// - VARCHAR, UUID, ENUM, INTERVAL and anything else → Utf8 (DuckDB's text form); BLOB → Binary.
// - LIST/ARRAY → List, STRUCT → Struct, MAP → Map.
import {
  Binary, Bool, DataType, RecordBatch, Schema, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Map_,
  Struct, Table, TimeMicrosecond, TimestampMicrosecond, Uint16, Uint32, Uint64, Uint8, Utf8, makeData,
  type Data,
} from "apache-arrow";
import {
  DuckDBArrayType, DuckDBDecimalType, DuckDBListType, DuckDBMapType, DuckDBStructType, DuckDBTypeId,
  type DuckDBType, type DuckDBValue,
} from "@duckdb/node-api";

type Values = readonly DuckDBValue[];
const encoder = new TextEncoder();
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Builds an Arrow table from column names, DuckDB types and values by column. */
export function toArrowTable(names: readonly string[], types: readonly DuckDBType[], columns: readonly Values[]): Table {
  const length = columns[0]?.length ?? 0;
  const fields: Field[] = [];
  const children: Data[] = [];
  names.forEach((name, i) => {
    const data = toArrowData(types[i]!, columns[i] ?? [], length);
    fields.push(new Field(uniqueName(name, fields), data.type, true));
    children.push(data);
  });
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

function uniqueName(name: string, fields: readonly Field[]): string {
  let candidate = name;
  for (let i = 1; fields.some((f) => f.name === candidate); i++) candidate = `${name}_${i}`;
  return candidate;
}

function validity(values: Values): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8) || 1);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

/** Converts one column of DuckDB values to Arrow data of the matching type. */
export function toArrowData(type: DuckDBType, values: Values, length = values.length): Data {
  const { nullBitmap, nullCount } = validity(values);
  const base = { length, nullCount, nullBitmap };
  const nums = (Ctor: Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Int16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor) => {
    const out = new Ctor(length);
    values.forEach((v, i) => { if (v !== null) out[i] = Number(v); });
    return out;
  };
  const bigs = (signed: boolean) => {
    const out = signed ? new BigInt64Array(length) : new BigUint64Array(length);
    values.forEach((v, i) => { if (v !== null) out[i] = BigInt(v as bigint); });
    return out;
  };
  const micros = () => {
    const out = new BigInt64Array(length);
    values.forEach((v, i) => { if (v !== null) out[i] = (v as unknown as { micros: bigint }).micros; });
    return out;
  };
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: {
      const data = new Uint8Array(Math.ceil(length / 8) || 1);
      values.forEach((v, i) => { if (v === true) data[i >> 3]! |= 1 << (i & 7); });
      return makeData({ type: new Bool(), ...base, data });
    }
    case DuckDBTypeId.TINYINT: return makeData({ type: new Int8(), ...base, data: nums(Int8Array) });
    case DuckDBTypeId.SMALLINT: return makeData({ type: new Int16(), ...base, data: nums(Int16Array) });
    case DuckDBTypeId.INTEGER: return makeData({ type: new Int32(), ...base, data: nums(Int32Array) });
    case DuckDBTypeId.UTINYINT: return makeData({ type: new Uint8(), ...base, data: nums(Uint8Array) });
    case DuckDBTypeId.USMALLINT: return makeData({ type: new Uint16(), ...base, data: nums(Uint16Array) });
    case DuckDBTypeId.UINTEGER: return makeData({ type: new Uint32(), ...base, data: nums(Uint32Array) });
    case DuckDBTypeId.BIGINT: return makeData({ type: new Int64(), ...base, data: bigs(true) as BigInt64Array });
    case DuckDBTypeId.UBIGINT: return makeData({ type: new Uint64(), ...base, data: bigs(false) as BigUint64Array });
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT: {
      const fits = values.every((v) => v === null || ((v as bigint) >= INT64_MIN && (v as bigint) <= INT64_MAX));
      if (fits) return makeData({ type: new Int64(), ...base, data: bigs(true) as BigInt64Array });
      return makeData({ type: new Float64(), ...base, data: nums(Float64Array) });
    }
    case DuckDBTypeId.FLOAT: return makeData({ type: new Float32(), ...base, data: nums(Float32Array) });
    case DuckDBTypeId.DOUBLE: return makeData({ type: new Float64(), ...base, data: nums(Float64Array) });
    case DuckDBTypeId.DECIMAL: {
      const t = type as DuckDBDecimalType;
      const data = new Uint32Array(length * 4);
      values.forEach((v, i) => {
        if (v === null) return;
        let u = BigInt.asUintN(128, (v as unknown as { value: bigint }).value);
        for (let w = 0; w < 4; w++) { data[i * 4 + w] = Number(u & 0xffffffffn); u >>= 32n; }
      });
      return makeData({ type: new Decimal(t.scale, t.width, 128), ...base, data });
    }
    case DuckDBTypeId.DATE: {
      const data = new Int32Array(length);
      values.forEach((v, i) => { if (v !== null) data[i] = (v as unknown as { days: number }).days; });
      return makeData({ type: new DateDay(), ...base, data });
    }
    case DuckDBTypeId.TIMESTAMP: return makeData({ type: new TimestampMicrosecond(), ...base, data: micros() });
    case DuckDBTypeId.TIMESTAMP_TZ: return makeData({ type: new TimestampMicrosecond("UTC"), ...base, data: micros() });
    case DuckDBTypeId.TIME: return makeData({ type: new TimeMicrosecond(), ...base, data: micros() });
    case DuckDBTypeId.BLOB: return bytesData(new Binary(), values, base, (v) => (v as unknown as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const childType = (type as DuckDBListType | DuckDBArrayType).valueType;
      const valueOffsets = new Int32Array(length + 1);
      const items: DuckDBValue[] = [];
      values.forEach((v, i) => {
        if (v !== null) items.push(...(v as unknown as { items: DuckDBValue[] }).items);
        valueOffsets[i + 1] = items.length;
      });
      const child = toArrowData(childType, items);
      return makeData({ type: new List(new Field("item", child.type, true)), ...base, valueOffsets, child });
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as DuckDBStructType;
      const children = t.entryNames.map((name, e) =>
        toArrowData(t.entryTypes[e]!, values.map((v) => (v === null ? null : (v as unknown as { entries: Record<string, DuckDBValue> }).entries[name] ?? null)), length));
      const fields = t.entryNames.map((name, e) => new Field(name, children[e]!.type, true));
      return makeData({ type: new Struct(fields), ...base, children });
    }
    case DuckDBTypeId.MAP: {
      const t = type as DuckDBMapType;
      const valueOffsets = new Int32Array(length + 1);
      const keys: DuckDBValue[] = [];
      const vals: DuckDBValue[] = [];
      values.forEach((v, i) => {
        if (v !== null) for (const e of (v as unknown as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries) { keys.push(e.key); vals.push(e.value); }
        valueOffsets[i + 1] = keys.length;
      });
      const k = toArrowData(t.keyType, keys);
      const vv = toArrowData(t.valueType, vals);
      const entryType = new Struct([new Field("key", k.type, false), new Field("value", vv.type, true)]);
      const child = makeData({ type: entryType, length: keys.length, nullCount: 0, children: [k, vv] });
      return makeData({ type: new Map_(new Field("entries", entryType, false)), ...base, valueOffsets, child });
    }
    default:
      return bytesData(new Utf8(), values, base, (v) => encoder.encode(String(v)));
  }
}

function bytesData<T extends Utf8 | Binary>(
  type: T, values: Values, base: { length: number; nullCount: number; nullBitmap: Uint8Array },
  toBytes: (v: DuckDBValue) => Uint8Array,
): Data<T> {
  const parts: Uint8Array[] = [];
  const valueOffsets = new Int32Array(base.length + 1);
  let total = 0;
  values.forEach((v, i) => {
    if (v !== null) { const b = toBytes(v); parts.push(b); total += b.length; }
    valueOffsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { data.set(p, at); at += p.length; }
  return makeData({ type, ...base, valueOffsets, data } as never) as unknown as Data<T>;
}

/** Whether an Arrow type is one of ours that needs conversion for plain-object rows. */
export function isDecimal(type: DataType): type is Decimal {
  return DataType.isDecimal(type);
}
