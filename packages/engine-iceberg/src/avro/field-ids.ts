import type { AvroSchema } from "./avro-file.js";

// Spec: readers resolve manifest fields by `field-id`, not by name: writers disagree on names
// (e.g. `added_data_files_count` vs `added_files_count` for id 504).

/** A decoded Avro record with its fields addressable by Iceberg field id. */
export interface RecordById {
  /** The value of the field with this id (undefined when the writer did not write it). */
  get(id: number): unknown;
  /** The record of a nested record-typed field, or undefined when absent or null. */
  record(id: number): RecordById | undefined;
  /** Nested records of an array-of-records field (maps and partition summaries). */
  records(id: number): RecordById[] | undefined;
  /** The names of the fields by id, in writer order. */
  readonly fieldIds: readonly number[];
  /** The (null-stripped) schema of a field. */
  schemaOf(id: number): AvroSchema | undefined;
  /** The field name the writer used. */
  nameOf(id: number): string | undefined;
}

type Obj = { readonly [key: string]: unknown };

/** Collects named types so references by name (`"r508"`) resolve. */
export function namedTypes(schema: AvroSchema, into = new Map<string, AvroSchema>()): Map<string, AvroSchema> {
  if (Array.isArray(schema)) for (const s of schema) namedTypes(s as AvroSchema, into);
  else if (schema !== null && typeof schema === "object") {
    const o = schema as Obj;
    if (typeof o["name"] === "string" && (o["type"] === "record" || o["type"] === "fixed" || o["type"] === "enum")) into.set(o["name"], schema);
    if (Array.isArray(o["fields"])) for (const f of o["fields"] as Obj[]) namedTypes(f["type"] as AvroSchema, into);
    if (o["items"] !== undefined) namedTypes(o["items"] as AvroSchema, into);
    if (o["values"] !== undefined) namedTypes(o["values"] as AvroSchema, into);
    if (o["type"] !== undefined && typeof o["type"] === "object") namedTypes(o["type"] as AvroSchema, into);
  }
  return into;
}

/** Strips `null` from a union and resolves named references. */
export function nonNull(schema: AvroSchema | undefined, names: ReadonlyMap<string, AvroSchema>): AvroSchema | undefined {
  let s = schema;
  if (Array.isArray(s)) s = (s as AvroSchema[]).find((b) => b !== "null");
  if (typeof s === "string" && names.has(s)) s = names.get(s);
  // `{ "type": { …record… } }` wrappers.
  if (s !== null && typeof s === "object" && !Array.isArray(s) && typeof (s as Obj)["type"] === "object") return nonNull((s as Obj)["type"] as AvroSchema, names);
  return s;
}

/** Views a decoded record through its writer schema by field id. */
export function recordById(value: unknown, schema: AvroSchema, names: ReadonlyMap<string, AvroSchema>): RecordById {
  const rec = (nonNull(schema, names) ?? {}) as Obj;
  const fields = (Array.isArray(rec["fields"]) ? rec["fields"] : []) as Obj[];
  const byId = new Map<number, Obj>();
  for (const f of fields) {
    const id = f["field-id"];
    if (typeof id === "number") byId.set(id, f);
  }
  const v = (value ?? {}) as Obj;
  const self: RecordById = {
    fieldIds: [...byId.keys()],
    get: (id) => {
      const f = byId.get(id);
      return f === undefined ? undefined : v[f["name"] as string];
    },
    nameOf: (id) => byId.get(id)?.["name"] as string | undefined,
    schemaOf: (id) => nonNull(byId.get(id)?.["type"] as AvroSchema | undefined, names),
    record: (id) => {
      const x = self.get(id);
      if (x === null || x === undefined) return undefined;
      return recordById(x, self.schemaOf(id)!, names);
    },
    records: (id) => {
      const x = self.get(id);
      if (!Array.isArray(x)) return undefined;
      const arr = self.schemaOf(id) as Obj;
      const items = arr["items"] as AvroSchema;
      return x.map((item) => recordById(item, items, names));
    },
  };
  return self;
}
