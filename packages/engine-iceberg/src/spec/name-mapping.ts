import { InvalidMetadataError } from "../errors.js";
import { parseJson, stringifyJson } from "../internal/json.js";
import type { Schema } from "./schema.js";
import type { IcebergType } from "./types.js";

/** Table property holding the default name mapping (JSON). Spec: "Column Projection". */
export const DEFAULT_NAME_MAPPING = "schema.name-mapping.default";

/** One mapped field: the names a file may use for it, its field id (absent: unmapped), and nested fields. */
export interface MappedField {
  readonly fieldId?: number;
  readonly names: readonly string[];
  readonly fields?: readonly MappedField[];
}

/**
 * A name mapping: resolves columns of data files written without field ids (e.g. Parquet from
 * other tools) to field ids by name. Spec: "Column Projection" — list elements are named
 * `element`, map keys and values `key` and `value`.
 *
 * ```ts
 * const id = nameMappingFor(table)?.find("location", "lat");
 * ```
 */
export class NameMapping {
  private readonly ids = new Map<number, MappedField>();

  constructor(readonly fields: readonly MappedField[]) {
    const index = (fs: readonly MappedField[]): void => {
      for (const f of fs) {
        if (f.fieldId !== undefined) this.ids.set(f.fieldId, f);
        if (f.fields) index(f.fields);
      }
    };
    index(fields);
  }

  /** The field id mapped to a path of names (`find("a", "b")` for column `b` inside struct `a`); undefined when unmapped. */
  find(...path: string[]): number | undefined {
    let level: readonly MappedField[] | undefined = this.fields;
    let found: MappedField | undefined;
    for (const name of path) {
      found = level?.find((f) => f.names.includes(name));
      if (!found) return undefined;
      level = found.fields;
    }
    return found?.fieldId;
  }

  /** The mapped field of a field id. */
  byId(fieldId: number): MappedField | undefined { return this.ids.get(fieldId); }
}

function mappedFromJson(json: unknown, where: string): MappedField[] {
  if (!Array.isArray(json)) throw new InvalidMetadataError(`name mapping: ${where}: expected an array of fields, got ${JSON.stringify(json)}`);
  return json.map((o: unknown, i) => {
    const w = `${where}[${i}]`;
    if (o === null || typeof o !== "object") throw new InvalidMetadataError(`name mapping: ${w}: expected an object, got ${JSON.stringify(o)}`);
    const r = o as Record<string, unknown>;
    const names = r["names"];
    if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) throw new InvalidMetadataError(`name mapping: ${w}.names: expected an array of strings, got ${JSON.stringify(names)}`);
    const id = r["field-id"];
    if (id !== undefined && id !== null && (typeof id !== "number" || !Number.isInteger(id))) throw new InvalidMetadataError(`name mapping: ${w}.field-id: expected an integer, got ${JSON.stringify(id)}`);
    return {
      names: names as string[],
      ...(typeof id === "number" ? { fieldId: id } : {}),
      ...(r["fields"] !== undefined && r["fields"] !== null ? { fields: mappedFromJson(r["fields"], `${w}.fields`) } : {}),
    };
  });
}

/** Parses a name mapping from its JSON text (the value of `schema.name-mapping.default`). */
export function parseNameMapping(json: string): NameMapping {
  let parsed: unknown;
  try { parsed = parseJson(json); } catch (cause) {
    throw new InvalidMetadataError(`name mapping: expected JSON, got a parse error: ${(cause as Error).message}`, { cause });
  }
  return new NameMapping(mappedFromJson(parsed, "$"));
}

/** Writes a name mapping as JSON text. */
export function nameMappingToJson(mapping: NameMapping): string {
  const go = (fs: readonly MappedField[]): unknown[] => fs.map((f) => ({
    ...(f.fieldId !== undefined ? { "field-id": f.fieldId } : {}),
    names: [...f.names],
    ...(f.fields && f.fields.length > 0 ? { fields: go(f.fields) } : {}),
  }));
  return stringifyJson(go(mapping.fields));
}

function typeMapping(t: IcebergType): MappedField[] | undefined {
  switch (t.kind) {
    case "struct": return t.fields.map((f) => field(f.id, f.name, f.type));
    case "list": return [field(t.elementId, "element", t.element)];
    case "map": return [field(t.keyId, "key", t.key), field(t.valueId, "value", t.value)];
    default: return undefined;
  }
}
function field(id: number, name: string, type: IcebergType): MappedField {
  const nested = typeMapping(type);
  return { fieldId: id, names: [name], ...(nested ? { fields: nested } : {}) };
}

/** A name mapping of a schema's current names (what Java's MappingUtil.create writes). */
export function nameMappingFromSchema(schema: Schema): NameMapping {
  return new NameMapping(schema.fields.map((f) => field(f.id, f.name, f.type)));
}

/** Updates a mapping for a changed schema: renamed fields gain their new name (old names stay), added fields are mapped. */
export function updateNameMapping(mapping: NameMapping, schema: Schema): NameMapping {
  const merge = (old: readonly MappedField[], fresh: readonly MappedField[]): MappedField[] => {
    const out: MappedField[] = [];
    const seen = new Set<number>();
    for (const n of fresh) {
      const o = old.find((x) => x.fieldId === n.fieldId);
      if (n.fieldId !== undefined) seen.add(n.fieldId);
      if (!o) { out.push(n); continue; }
      const names = [...o.names, ...n.names.filter((x) => !o.names.includes(x))];
      const fields = n.fields || o.fields ? merge(o.fields ?? [], n.fields ?? []) : undefined;
      out.push({ ...(o.fieldId !== undefined ? { fieldId: o.fieldId } : {}), names, ...(fields ? { fields } : {}) });
    }
    // Fields gone from the schema stay mapped: old files may still hold them.
    for (const o of old) if (o.fieldId === undefined || !seen.has(o.fieldId)) out.push(o);
    return out;
  };
  return new NameMapping(merge(mapping.fields, nameMappingFromSchema(schema).fields));
}

/** The table's default name mapping (`schema.name-mapping.default`), or undefined when it has none. */
export function nameMappingFor(table: { readonly metadata: { readonly properties: Readonly<Record<string, string>> } }): NameMapping | undefined {
  const json = table.metadata.properties[DEFAULT_NAME_MAPPING];
  return json === undefined ? undefined : parseNameMapping(json);
}
