import { InvalidMetadataError } from "../errors.js";
import { bigintToFixedBytes, bytesToUuid, fromUtf8, minBytesToBigint, uuidToBytes } from "../internal/bytes.js";
import { isPrimitive, typeToString } from "../spec/type-json.js";
import type { IcebergType, StructType } from "../spec/types.js";
import type { AvroSchema } from "./avro-file.js";

/** Spec (Appendix A): bytes needed to store any unscaled decimal of precision P as fixed. */
export function decimalRequiredBytes(precision: number): number {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) - 1n < 10n ** BigInt(precision) - 1n) n++;
  return n;
}

/** The Avro schema of an Iceberg type per Appendix A; `name` makes fixed/record names unique. */
export function icebergToAvro(type: IcebergType, name: string): AvroSchema {
  switch (type.kind) {
    case "decimal":
      return { type: "fixed", name: `${name}_decimal_${type.precision}_${type.scale}`, size: decimalRequiredBytes(type.precision), logicalType: "decimal", precision: type.precision, scale: type.scale };
    case "fixed": return { type: "fixed", name: `${name}_fixed_${type.length}`, size: type.length };
    case "struct": return structToAvro(type, name);
    case "list":
      return { type: "array", items: optionalIf(!type.elementRequired, icebergToAvro(type.element, `${name}_e${type.elementId}`)), "element-id": type.elementId };
    case "map":
      return {
        type: "array", logicalType: "map",
        items: {
          type: "record", name: `k${type.keyId}_v${type.valueId}`,
          fields: [
            { name: "key", type: icebergToAvro(type.key, `${name}_k${type.keyId}`), "field-id": type.keyId },
            { name: "value", type: optionalIf(!type.valueRequired, icebergToAvro(type.value, `${name}_v${type.valueId}`)), "field-id": type.valueId },
          ],
        },
      };
    case "primitive":
      switch (type.name) {
        case "boolean": case "int": case "long": case "float": case "double": case "string": return type.name;
        case "binary": return "bytes";
        case "date": return { type: "int", logicalType: "date" };
        case "time": return { type: "long", logicalType: "time-micros" };
        case "timestamp": return { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": false };
        case "timestamptz": return { type: "long", logicalType: "timestamp-micros", "adjust-to-utc": true };
        case "timestamp_ns": return { type: "long", logicalType: "timestamp-nanos", "adjust-to-utc": false };
        case "timestamptz_ns": return { type: "long", logicalType: "timestamp-nanos", "adjust-to-utc": true };
        case "uuid": return { type: "fixed", name: `${name}_uuid_fixed`, size: 16, logicalType: "uuid" };
      }
  }
}

function optionalIf(optional: boolean, s: AvroSchema): AvroSchema {
  return optional ? ["null", s] : s;
}

/** An Avro record schema for a struct; optional fields become `["null", T]` with default null. */
export function structToAvro(type: StructType, name: string): AvroSchema {
  return {
    type: "record", name,
    fields: type.fields.map((f) => ({
      name: avroFieldName(f.name),
      type: optionalIf(!f.required, icebergToAvro(f.type, `${name}_f${f.id}`)),
      ...(f.required ? {} : { default: null }),
      "field-id": f.id,
    })),
  };
}

/** Java's Avro name sanitising: invalid characters become `_xHEX`, a leading digit gets `_`. */
export function avroFieldName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const ok = /[A-Za-z_]/.test(c) || (i > 0 && /[0-9]/.test(c));
    out += ok ? c : /[0-9]/.test(c) ? `_${c}` : `_x${c.charCodeAt(0).toString(16).toUpperCase()}`;
  }
  return out;
}

const toU8 = (v: unknown): Uint8Array => (v instanceof Uint8Array ? Uint8Array.from(v) : new Uint8Array(0));

/** Converts a decoded Avro value to the Iceberg value of a primitive type (see spec/README-contract.md). */
export function fromAvroValue(type: IcebergType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (!isPrimitive(type)) return v;
  if (type.kind === "decimal") return typeof v === "bigint" ? v : minBytesToBigint(toU8(v));
  if (type.kind === "fixed") return toU8(v);
  switch (type.name) {
    case "int": case "date": return Number(v);
    case "long": case "time": case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns":
      return typeof v === "bigint" ? v : BigInt(v as number);
    case "float": case "double": return Number(v);
    case "boolean": return Boolean(v);
    case "string": return typeof v === "string" ? v : fromUtf8(toU8(v));
    case "uuid": return typeof v === "string" ? v.toLowerCase() : bytesToUuid(toU8(v));
    case "binary": return toU8(v);
  }
}

/** Converts an Iceberg value to what avsc expects for `icebergToAvro(type)`. */
export function toAvroValue(type: IcebergType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (!isPrimitive(type)) throw new InvalidMetadataError(`avro: expected a primitive value, got a ${typeToString(type)}`);
  if (type.kind === "decimal") return Buffer.from(bigintToFixedBytes(v as bigint, decimalRequiredBytes(type.precision)));
  if (type.kind === "fixed") return Buffer.from(v as Uint8Array);
  switch (type.name) {
    case "int": case "date": return v as number;
    case "long": case "time": case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns": return BigInt(v as bigint);
    case "uuid": return Buffer.from(uuidToBytes(v as string));
    case "binary": return Buffer.from(v as Uint8Array);
    default: return v;
  }
}
