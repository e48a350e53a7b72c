import type { IcebergType, PrimitiveTypeName } from "@engine/iceberg";
import { SpecError } from "../errors.js";
import { parseIcebergType, type IcebergTypeNode } from "../spec/iceberg-type.js";

/**
 * Parses a spec column type (`long`, `decimal(12,2)`, `list<T>`, `map<K,V>`, `struct<a:T,…>`)
 * with the spec's own type parser and returns it as an Iceberg type. Field ids are left at 0;
 * the caller assigns them (see `assignFieldIds`).
 */
export function parseSpecType(text: string): IcebergType {
  const parsed = parseIcebergType(text);
  if (!parsed.ok) throw new SpecError(`spec: type: expected an Iceberg type like "decimal(10,2)", got "${text}" (${parsed.reason})`);
  return toIcebergType(parsed.type);
}

function toIcebergType(node: IcebergTypeNode): IcebergType {
  switch (node.kind) {
    case "primitive": return { kind: "primitive", name: node.name as PrimitiveTypeName };
    case "decimal": return { kind: "decimal", precision: node.precision, scale: node.scale };
    case "fixed": return { kind: "fixed", length: node.length };
    case "list": return { kind: "list", elementId: 0, elementRequired: false, element: toIcebergType(node.element) };
    case "map": return { kind: "map", keyId: 0, key: toIcebergType(node.key), valueId: 0, valueRequired: false, value: toIcebergType(node.value) };
    case "struct": return { kind: "struct", fields: node.fields.map((f) => ({ id: 0, name: f.name, required: false, type: toIcebergType(f.type) })) };
  }
}
