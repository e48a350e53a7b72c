import { InvalidMetadataError } from "../errors.js";
import { structFromJson, typeToJson } from "./type-json.js";
import type { IcebergType, NestedField } from "./types.js";

/** An Iceberg schema: a struct with an id and optional identifier (key) fields. */
export interface Schema {
  readonly schemaId: number;
  readonly fields: readonly NestedField[];
  readonly identifierFieldIds?: readonly number[];
}

/** A field found in a schema, with its dotted full name (`a.b`, list elements as `l.element`, maps as `m.key`/`m.value`). */
export interface FoundField {
  readonly field: NestedField;
  readonly fullName: string;
}

// Indexes are cached per schema object: schemas are immutable values.
const indexCache = new WeakMap<Schema, { byId: Map<number, FoundField>; byName: Map<string, FoundField> }>();

function index(schema: Schema): { byId: Map<number, FoundField>; byName: Map<string, FoundField> } {
  let idx = indexCache.get(schema);
  if (idx) return idx;
  const byId = new Map<number, FoundField>();
  const byName = new Map<string, FoundField>();
  const add = (field: NestedField, prefix: string): void => {
    const fullName = prefix === "" ? field.name : `${prefix}.${field.name}`;
    const found = { field, fullName };
    byId.set(field.id, found);
    byName.set(fullName, found);
    visit(field.type, fullName);
  };
  const visit = (type: IcebergType, prefix: string): void => {
    if (type.kind === "struct") for (const f of type.fields) add(f, prefix);
    else if (type.kind === "list") {
      add({ id: type.elementId, name: "element", required: type.elementRequired, type: type.element }, prefix);
    } else if (type.kind === "map") {
      add({ id: type.keyId, name: "key", required: true, type: type.key }, prefix);
      add({ id: type.valueId, name: "value", required: type.valueRequired, type: type.value }, prefix);
    }
  };
  for (const f of schema.fields) add(f, "");
  idx = { byId, byName };
  indexCache.set(schema, idx);
  return idx;
}

/** Finds a field (at any depth) by field id. */
export function findField(schema: Schema, id: number): NestedField | undefined {
  return index(schema).byId.get(id)?.field;
}

/** The dotted full name of a field id, e.g. `location.lat`. */
export function findColumnName(schema: Schema, id: number): string | undefined {
  return index(schema).byId.get(id)?.fullName;
}

/** Finds a field by its dotted full name (`a.b.c`); `caseSensitive: false` ignores case. */
export function findFieldByName(schema: Schema, name: string, options: { caseSensitive?: boolean } = {}): NestedField | undefined {
  const byName = index(schema).byName;
  const exact = byName.get(name);
  if (exact || options.caseSensitive !== false) return exact?.field;
  const lower = name.toLowerCase();
  for (const [k, v] of byName) if (k.toLowerCase() === lower) return v.field;
  return undefined;
}

/** Every field of the schema by id, nested ones included. */
export function allFields(schema: Schema): ReadonlyMap<number, NestedField> {
  const out = new Map<number, NestedField>();
  for (const [id, f] of index(schema).byId) out.set(id, f.field);
  return out;
}

/** The highest field id used anywhere in the schema (0 for an empty schema). */
export function highestFieldId(schema: Schema): number {
  let max = 0;
  for (const id of index(schema).byId.keys()) if (id > max) max = id;
  return max;
}

/** The schema as a struct type. */
export function schemaAsStruct(schema: Schema): IcebergType {
  return { kind: "struct", fields: schema.fields };
}

/** Writes a schema in its metadata JSON form (`type: "struct"`, `schema-id`, `identifier-field-ids`). */
export function schemaToJson(schema: Schema): Record<string, unknown> {
  const struct = typeToJson({ kind: "struct", fields: schema.fields }) as Record<string, unknown>;
  return {
    type: "struct",
    "schema-id": schema.schemaId,
    ...(schema.identifierFieldIds && schema.identifierFieldIds.length > 0 ? { "identifier-field-ids": [...schema.identifierFieldIds] } : {}),
    fields: struct["fields"],
  };
}

/** Reads a schema from its metadata JSON form; a missing `schema-id` (v1) reads as `defaultId`. */
export function schemaFromJson(json: unknown, where = "schema", defaultId = 0): Schema {
  const struct = structFromJson(json, where);
  const o = json as Record<string, unknown>;
  const id = o["schema-id"];
  if (id !== undefined && (typeof id !== "number" || !Number.isInteger(id))) {
    throw new InvalidMetadataError(`metadata: ${where}.schema-id: expected an integer, got ${JSON.stringify(id)}`);
  }
  const ids = o["identifier-field-ids"];
  const schema: { -readonly [K in keyof Schema]: Schema[K] } = { schemaId: id ?? defaultId, fields: struct.fields };
  if (Array.isArray(ids) && ids.length > 0) schema.identifierFieldIds = ids.map(Number);
  return schema;
}
