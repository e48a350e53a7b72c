import { InvalidChangeError } from "../errors.js";
import { stringifyJson } from "../internal/json.js";
import { findFieldByName, schemaToJson, type Schema } from "../spec/schema.js";
import { DEFAULT_NAME_MAPPING, nameMappingToJson, parseNameMapping, updateNameMapping } from "../spec/name-mapping.js";
import { parseType, typeToString } from "../spec/type-json.js";
import type { IcebergType, NestedField } from "../spec/types.js";
import type { Table } from "../table/table.js";
import { commitMetadataChange } from "./metadata-commit.js";
import type { TableUpdate } from "./updates.js";

/** Replaces a field (a NestedField), removes it (null) or leaves it (undefined). */
type FieldFn = (f: NestedField) => NestedField | null | undefined;

function mapType(t: IcebergType, fn: FieldFn): IcebergType {
  switch (t.kind) {
    case "struct": return { kind: "struct", fields: mapFields(t.fields, fn) };
    case "list": {
      const e = pseudo(fn, { id: t.elementId, name: "element", required: t.elementRequired, type: t.element });
      return { ...t, elementRequired: e.required, element: mapType(e.type, fn) };
    }
    case "map": {
      const k = pseudo(fn, { id: t.keyId, name: "key", required: true, type: t.key });
      const v = pseudo(fn, { id: t.valueId, name: "value", required: t.valueRequired, type: t.value });
      return { ...t, key: mapType(k.type, fn), valueRequired: v.required, value: mapType(v.type, fn) };
    }
    default: return t;
  }
}

function pseudo(fn: FieldFn, f: NestedField): NestedField {
  const r = fn(f);
  if (r === null) throw new InvalidChangeError(`schema: ${f.name} (id ${f.id}): expected a struct field, got a list element or map key/value, which cannot be removed`);
  return r ?? f;
}

function mapFields(fields: readonly NestedField[], fn: FieldFn): NestedField[] {
  const out: NestedField[] = [];
  for (const f of fields) {
    const r = fn(f);
    if (r === null) continue;
    const g = r ?? f;
    out.push({ ...g, type: mapType(g.type, fn) });
  }
  return out;
}

const isStruct = (t: IcebergType): t is Extract<IcebergType, { kind: "struct" }> => t.kind === "struct";

/**
 * Changes the table schema (Java's UpdateSchema): add optional columns (nested too, fresh ids
 * from `last-column-id`), delete, rename, promote types (int→long, float→double, wider decimal),
 * make optional, reorder and set identifier fields. Names are resolved against the schema as
 * changed so far. Commits `add-schema` + `set-current-schema` with `assert-current-schema-id`;
 * a concurrent schema change fails the commit (CommitFailedError).
 *
 * ```ts
 * await table.updateSchema().addColumn("note", "string").renameColumn("amt", "amount").commit();
 * ```
 */
export class UpdateSchema {
  private fields: NestedField[];
  private identifierIds: number[];
  private lastColumnId: number;
  private readonly base: Schema;

  constructor(private readonly table: Table) {
    this.base = table.schema();
    this.fields = [...this.base.fields];
    this.identifierIds = [...(this.base.identifierFieldIds ?? [])];
    this.lastColumnId = table.metadata.lastColumnId;
  }

  private current(): Schema {
    return { schemaId: -1, fields: this.fields, ...(this.identifierIds.length > 0 ? { identifierFieldIds: this.identifierIds } : {}) };
  }

  private find(name: string, what: string): NestedField {
    const f = findFieldByName(this.current(), name);
    if (!f) throw new InvalidChangeError(`schema: ${what} ${name}: expected an existing column, got none by that name`);
    return f;
  }

  private apply(fn: FieldFn): void { this.fields = mapFields(this.fields, fn); }

  /** The id of the struct holding a field (undefined = the root), searching nested types. */
  private containerOf(id: number): number | undefined {
    const search = (t: IcebergType, containerId: number): number | undefined | null => {
      if (t.kind === "struct") {
        if (t.fields.some((f) => f.id === id)) return containerId;
        for (const f of t.fields) { const r = search(f.type, f.id); if (r !== null) return r; }
      } else if (t.kind === "list") return search(t.element, t.elementId);
      else if (t.kind === "map") { const r = search(t.key, t.keyId); return r !== null ? r : search(t.value, t.valueId); }
      return null;
    };
    if (this.fields.some((f) => f.id === id)) return undefined;
    for (const f of this.fields) { const r = search(f.type, f.id); if (r !== null) return r; }
    return undefined;
  }

  private siblings(containerId: number | undefined): readonly NestedField[] {
    if (containerId === undefined) return this.fields;
    let out: readonly NestedField[] = [];
    this.apply((f) => { if (f.id === containerId && isStruct(f.type)) out = f.type.fields; return undefined; });
    return out;
  }

  private updateStruct(containerId: number | undefined, fn: (fields: NestedField[]) => NestedField[]): void {
    if (containerId === undefined) { this.fields = fn([...this.fields]); return; }
    this.apply((f) => (f.id === containerId && isStruct(f.type) ? { ...f, type: { kind: "struct", fields: fn([...f.type.fields]) } } : undefined));
  }

  private freshIds(t: IcebergType): IcebergType {
    switch (t.kind) {
      case "struct": return { kind: "struct", fields: t.fields.map((f) => ({ ...f, id: ++this.lastColumnId, type: this.freshIds(f.type) })) };
      case "list": { const elementId = ++this.lastColumnId; return { ...t, elementId, element: this.freshIds(t.element) }; }
      case "map": { const keyId = ++this.lastColumnId; const valueId = ++this.lastColumnId; return { ...t, keyId, valueId, key: this.freshIds(t.key), value: this.freshIds(t.value) }; }
      default: return t;
    }
  }

  /** Adds an optional column at the end of the root or of `parent` (a struct, or a list/map whose element/value is a struct). */
  addColumn(name: string, type: IcebergType | string, options: { parent?: string; doc?: string } = {}): this {
    if (name.includes(".")) throw new InvalidChangeError(`schema: add ${name}: expected a name without ".", got one (use options.parent for nested columns)`);
    let containerId: number | undefined;
    if (options.parent !== undefined) {
      const p = this.find(options.parent, "add to parent");
      const t = p.type;
      containerId = t.kind === "struct" ? p.id : t.kind === "list" && isStruct(t.element) ? t.elementId : t.kind === "map" && isStruct(t.value) ? t.valueId : undefined;
      if (containerId === undefined) throw new InvalidChangeError(`schema: add ${name}: expected parent ${options.parent} to be a struct (or a list/map of structs), got ${typeToString(t)}`);
    }
    if (this.siblings(containerId).some((f) => f.name === name)) throw new InvalidChangeError(`schema: add ${name}: expected a new column name, got one that exists${options.parent ? ` in ${options.parent}` : ""}`);
    const parsed = typeof type === "string" ? parseType(type) : type;
    const field: NestedField = { id: ++this.lastColumnId, name, required: false, type: this.freshIds(parsed), ...(options.doc ? { doc: options.doc } : {}) };
    this.updateStruct(containerId, (fs) => [...fs, field]);
    return this;
  }

  /** Deletes a column (and its nested fields); identifier fields and sources of the current partition spec cannot be deleted. */
  deleteColumn(name: string): this {
    const f = this.find(name, "delete");
    const gone = new Set<number>([f.id]);
    const collect = (t: IcebergType): void => {
      if (t.kind === "struct") for (const c of t.fields) { gone.add(c.id); collect(c.type); }
      else if (t.kind === "list") { gone.add(t.elementId); collect(t.element); }
      else if (t.kind === "map") { gone.add(t.keyId); gone.add(t.valueId); collect(t.key); collect(t.value); }
    };
    collect(f.type);
    if (this.identifierIds.some((id) => gone.has(id))) throw new InvalidChangeError(`schema: delete ${name}: expected a column that is not an identifier field, got one (change setIdentifierFields first)`);
    const used = this.table.spec().fields.find((pf) => gone.has(pf.sourceId));
    if (used) throw new InvalidChangeError(`schema: delete ${name}: expected a column the current partition spec does not use, got the source of partition field ${used.name} (remove it with updateSpec first)`);
    this.apply((x) => (x.id === f.id ? null : undefined));
    return this;
  }

  /** Renames a column; its field id, and so its data, stay. */
  renameColumn(name: string, newName: string): this {
    const f = this.find(name, "rename");
    if (newName.includes(".") || newName === "") throw new InvalidChangeError(`schema: rename ${name}: expected a non-empty name without ".", got "${newName}"`);
    if (this.siblings(this.containerOf(f.id)).some((s) => s.name === newName && s.id !== f.id)) throw new InvalidChangeError(`schema: rename ${name}: expected a new name, got ${newName}, which a sibling has`);
    this.apply((x) => (x.id === f.id ? { ...x, name: newName } : undefined));
    return this;
  }

  /** Promotes a column's type. Spec: int→long, float→double, decimal(P,S)→decimal(P2,S) with P2 ≥ P; nothing else. */
  updateColumn(name: string, newType: IcebergType | string): this {
    const f = this.find(name, "update");
    const to = typeof newType === "string" ? parseType(newType) : newType;
    if (!canPromote(f.type, to)) {
      throw new InvalidChangeError(`schema: update ${name}: cannot change type ${typeToString(f.type)} to ${typeToString(to)}; allowed promotions are int→long, float→double and decimal(P,S)→decimal(P2,S) with P2 ≥ P`);
    }
    this.apply((x) => (x.id === f.id ? { ...x, type: to } : undefined));
    return this;
  }

  /** Makes a required column optional. */
  makeOptional(name: string): this {
    const f = this.find(name, "make optional");
    if (this.identifierIds.includes(f.id)) throw new InvalidChangeError(`schema: make optional ${name}: expected a column that is not an identifier field, got one`);
    this.apply((x) => (x.id === f.id ? { ...x, required: false } : undefined));
    return this;
  }

  /** Moves a column to the first position of its struct. */
  moveFirst(name: string): this { return this.move(name, () => 0, "first"); }

  /** Moves a column right before another column of the same struct. */
  moveBefore(name: string, before: string): this {
    const b = this.find(before, "move before");
    return this.move(name, (fs) => fs.findIndex((x) => x.id === b.id), `before ${before}`, b.id);
  }

  /** Moves a column right after another column of the same struct. */
  moveAfter(name: string, after: string): this {
    const a = this.find(after, "move after");
    return this.move(name, (fs) => fs.findIndex((x) => x.id === a.id) + 1, `after ${after}`, a.id);
  }

  private move(name: string, at: (fs: NestedField[]) => number, what: string, otherId?: number): this {
    const f = this.find(name, "move");
    const container = this.containerOf(f.id);
    if (otherId !== undefined) {
      if (otherId === f.id) throw new InvalidChangeError(`schema: move ${name} ${what}: expected another column, got the column itself`);
      if (this.containerOf(otherId) !== container) throw new InvalidChangeError(`schema: move ${name} ${what}: expected a column of the same struct, got one elsewhere`);
    }
    this.updateStruct(container, (fs) => {
      const rest = fs.filter((x) => x.id !== f.id);
      const i = at(rest);
      return [...rest.slice(0, i), f, ...rest.slice(i)];
    });
    return this;
  }

  /** Sets the identifier (row key) fields: required primitive columns, not float or double. */
  setIdentifierFields(...names: string[]): this {
    this.identifierIds = names.map((n) => {
      const f = this.find(n, "identifier field");
      const t = f.type;
      if (t.kind === "struct" || t.kind === "list" || t.kind === "map") throw new InvalidChangeError(`schema: identifier field ${n}: expected a primitive column, got ${typeToString(t)}`);
      if (t.kind === "primitive" && (t.name === "float" || t.name === "double")) throw new InvalidChangeError(`schema: identifier field ${n}: expected a non-floating type, got ${t.name}`);
      if (!f.required) throw new InvalidChangeError(`schema: identifier field ${n}: expected a required column, got an optional one`);
      return f.id;
    });
    return this;
  }

  /** The schema as changed so far (schema id not yet assigned: -1). */
  schema(): Schema { return this.current(); }

  /** Commits the new schema and makes it current; returns the updated table. */
  async commit(): Promise<Table> {
    return commitMetadataChange(this.table, "update-schema", (base) => {
      const next = this.current();
      const body = (s: Schema): string => stringifyJson({ ...schemaToJson(s), "schema-id": 0 });
      const same = base.metadata.schemas.find((s) => body(s) === body(next));
      const updates: TableUpdate[] = [];
      if (same) {
        if (same.schemaId !== base.metadata.currentSchemaId) updates.push({ action: "set-current-schema", schemaId: same.schemaId });
      } else {
        const schemaId = Math.max(...base.metadata.schemas.map((s) => s.schemaId)) + 1;
        updates.push({ action: "add-schema", schema: { ...next, schemaId }, lastColumnId: Math.max(this.lastColumnId, base.metadata.lastColumnId) });
        updates.push({ action: "set-current-schema", schemaId: -1 });
      }
      // Keep the name mapping in step, so files written before field ids existed still resolve.
      const mappingJson = base.metadata.properties[DEFAULT_NAME_MAPPING];
      if (mappingJson !== undefined && updates.length > 0) {
        updates.push({ action: "set-properties", updates: { [DEFAULT_NAME_MAPPING]: nameMappingToJson(updateNameMapping(parseNameMapping(mappingJson), next)) } });
      }
      return {
        requirements: [
          { type: "assert-current-schema-id", currentSchemaId: this.base.schemaId },
          { type: "assert-last-assigned-field-id", lastAssignedFieldId: this.table.metadata.lastColumnId },
        ],
        updates,
      };
    });
  }
}

/** Whether a column of type `from` may be read as `to`. Spec: "Schema Evolution" type promotion. */
export function canPromote(from: IcebergType, to: IcebergType): boolean {
  if (typeToString(from) === typeToString(to)) return true;
  if (from.kind === "primitive" && to.kind === "primitive") {
    return (from.name === "int" && to.name === "long") || (from.name === "float" && to.name === "double");
  }
  if (from.kind === "decimal" && to.kind === "decimal") return to.scale === from.scale && to.precision >= from.precision;
  return false;
}
