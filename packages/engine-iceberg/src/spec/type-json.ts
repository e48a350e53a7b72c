import { InvalidMetadataError } from "../errors.js";
import type { IcebergType, NestedField, PrimitiveType, PrimitiveTypeName, StructType } from "./types.js";

const PRIMITIVE_NAMES: ReadonlySet<string> = new Set<PrimitiveTypeName>([
  "boolean", "int", "long", "float", "double", "date", "time", "timestamp",
  "timestamptz", "timestamp_ns", "timestamptz_ns", "string", "uuid", "binary",
]);

/** Parses a primitive type string such as `"long"`, `"decimal(10,2)"` or `"fixed[16]"`. */
export function parseType(text: string): PrimitiveType {
  const s = text.trim();
  // Spec: "decimal(P,S)" and "fixed[L]" carry their parameters in the type string.
  const dec = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
  if (dec) {
    const precision = Number(dec[1]);
    const scale = Number(dec[2]);
    if (precision < 1 || precision > 38 || scale > precision) {
      throw new InvalidMetadataError(`type: expected decimal(P,S) with 1 <= P <= 38 and S <= P, got "${text}"`);
    }
    return { kind: "decimal", precision, scale };
  }
  const fixed = /^fixed\s*\[\s*(\d+)\s*\]$/.exec(s);
  if (fixed) return { kind: "fixed", length: Number(fixed[1]) };
  if (PRIMITIVE_NAMES.has(s)) return { kind: "primitive", name: s as PrimitiveTypeName };
  throw new InvalidMetadataError(`type: expected an Iceberg type like "decimal(10,2)", got "${text}"`);
}

/** Formats a type as it is written in metadata; nested types become a short readable form. */
export function typeToString(type: IcebergType): string {
  switch (type.kind) {
    case "primitive": return type.name;
    case "decimal": return `decimal(${type.precision},${type.scale})`;
    case "fixed": return `fixed[${type.length}]`;
    case "struct": return `struct<${type.fields.map((f) => `${f.id}: ${f.name}: ${f.required ? "required" : "optional"} ${typeToString(f.type)}`).join(", ")}>`;
    case "list": return `list<${typeToString(type.element)}>`;
    case "map": return `map<${typeToString(type.key)}, ${typeToString(type.value)}>`;
  }
}

/** Whether a type is primitive (not struct, list or map). */
export function isPrimitive(type: IcebergType): type is PrimitiveType {
  return type.kind === "primitive" || type.kind === "decimal" || type.kind === "fixed";
}

/** Shorthand for a primitive type by name. */
export function primitive(name: PrimitiveTypeName): PrimitiveType {
  return { kind: "primitive", name };
}

type Json = unknown;

function obj(v: Json, where: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new InvalidMetadataError(`Cannot parse type from json: ${where}: expected an object, got ${JSON.stringify(v)}`);
  }
  return v as Record<string, unknown>;
}

function int(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new InvalidMetadataError(`Cannot parse type from json: ${where}: expected an integer, got ${JSON.stringify(v)}`);
}

/** Reads a type from its metadata JSON form (a string for primitives, an object for struct/list/map). */
export function typeFromJson(json: Json, where = "type"): IcebergType {
  if (typeof json === "string") {
    try {
      return parseType(json);
    } catch (cause) {
      throw new InvalidMetadataError(`Cannot parse type from json: ${where}: expected an Iceberg type, got "${json}"`, { cause });
    }
  }
  const o = obj(json, where);
  switch (o["type"]) {
    case "struct": return structFromJson(o, where);
    case "list":
      return {
        kind: "list",
        elementId: int(o["element-id"], `${where}.element-id`),
        elementRequired: o["element-required"] === true,
        element: typeFromJson(o["element"], `${where}.element`),
      };
    case "map":
      return {
        kind: "map",
        keyId: int(o["key-id"], `${where}.key-id`),
        key: typeFromJson(o["key"], `${where}.key`),
        valueId: int(o["value-id"], `${where}.value-id`),
        valueRequired: o["value-required"] === true,
        value: typeFromJson(o["value"], `${where}.value`),
      };
    default:
      throw new InvalidMetadataError(`Cannot parse type from json: ${where}: expected "struct", "list" or "map", got ${JSON.stringify(o["type"])}`);
  }
}

/** Reads a struct type from JSON (`{"type":"struct","fields":[…]}`). */
export function structFromJson(json: Json, where = "struct"): StructType {
  const o = obj(json, where);
  if (o["type"] !== "struct") {
    throw new InvalidMetadataError(`Cannot parse type from json: ${where}.type: expected "struct", got ${JSON.stringify(o["type"])}`);
  }
  const fields = o["fields"];
  if (!Array.isArray(fields)) {
    throw new InvalidMetadataError(`Cannot parse type from json: ${where}.fields: expected an array, got ${JSON.stringify(fields)}`);
  }
  return { kind: "struct", fields: fields.map((f, i) => fieldFromJson(f, `${where}.fields[${i}]`)) };
}

function fieldFromJson(json: Json, where: string): NestedField {
  const o = obj(json, where);
  const name = o["name"];
  if (typeof name !== "string") throw new InvalidMetadataError(`schema: ${where}.name: expected a string, got ${JSON.stringify(name)}`);
  if (!("type" in o)) throw new InvalidMetadataError(`Cannot parse type from json: ${where}.type: expected a type, got nothing`);
  const field: { -readonly [K in keyof NestedField]: NestedField[K] } = {
    id: int(o["id"], `${where}.id`),
    name,
    required: o["required"] === true,
    type: typeFromJson(o["type"], `${where}.type`),
  };
  if (typeof o["doc"] === "string") field.doc = o["doc"];
  if ("initial-default" in o) field.initialDefault = o["initial-default"];
  if ("write-default" in o) field.writeDefault = o["write-default"];
  return field;
}

/** Writes a type in its metadata JSON form. */
export function typeToJson(type: IcebergType): unknown {
  switch (type.kind) {
    case "primitive": case "decimal": case "fixed": return typeToString(type);
    case "struct": return { type: "struct", fields: type.fields.map(fieldToJson) };
    case "list": return { type: "list", "element-id": type.elementId, element: typeToJson(type.element), "element-required": type.elementRequired };
    case "map":
      return {
        type: "map", "key-id": type.keyId, key: typeToJson(type.key),
        "value-id": type.valueId, value: typeToJson(type.value), "value-required": type.valueRequired,
      };
  }
}

function fieldToJson(f: NestedField): unknown {
  return {
    id: f.id, name: f.name, required: f.required, type: typeToJson(f.type),
    doc: f.doc, "initial-default": f.initialDefault, "write-default": f.writeDefault,
  };
}
