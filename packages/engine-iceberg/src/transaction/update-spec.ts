import { InvalidChangeError } from "../errors.js";
import { findFieldByName, findColumnName } from "../spec/schema.js";
import type { PartitionField, PartitionSpec, Transform } from "../spec/partition-spec.js";
import { canTransform, parseTransform, transformToString } from "../spec/transform.js";
import { typeToString } from "../spec/type-json.js";
import type { Table } from "../table/table.js";
import { commitMetadataChange } from "./metadata-commit.js";
import type { TableUpdate } from "./updates.js";

/** The default partition field name of a transform of a column (Java's and PyIceberg's names). */
export function defaultPartitionName(source: string, t: Transform): string {
  switch (t.kind) {
    case "identity": return source;
    case "bucket": return `${source}_bucket_${t.n}`;
    case "truncate": return `${source}_trunc_${t.width}`;
    case "void": return `${source}_null`;
    default: return `${source}_${t.kind}`;
  }
}

/**
 * Evolves the partition spec (Java's UpdatePartitionSpec): add, remove and rename fields. The
 * new spec becomes the default, so new writes use it; existing files keep their spec. In v1 a
 * removed field becomes `void`, in v2 it is dropped. Field ids of fields that existed in an
 * earlier spec are reused; new ones come from `last-partition-id`. Commits `add-spec` +
 * `set-default-spec` with `assert-default-spec-id`.
 *
 * ```ts
 * await table.updateSpec().addField("id", "bucket[16]").removeField("category").commit();
 * ```
 */
export class UpdateSpec {
  private fields: PartitionField[];
  private lastPartitionId: number;
  private readonly baseSpecId: number;

  constructor(private readonly table: Table) {
    const spec = table.spec();
    this.baseSpecId = spec.specId;
    this.fields = [...spec.fields];
    this.lastPartitionId = table.metadata.lastPartitionId;
  }

  /** Adds a partition field: a transform (default identity) of a source column, named by default as Java does. */
  addField(source: string, transform: Transform | string = "identity", name?: string): this {
    const t = typeof transform === "string" ? parseTransform(transform) : transform;
    const schema = this.table.schema();
    const col = findFieldByName(schema, source);
    if (!col) throw new InvalidChangeError(`partition spec: add ${transformToString(t)}(${source}): expected a column of the schema, got none by that name`);
    if (!canTransform(t, col.type)) throw new InvalidChangeError(`partition spec: add ${transformToString(t)}(${source}): expected a source type the transform accepts, got ${typeToString(col.type)}`);
    const same = this.fields.find((f) => f.sourceId === col.id && transformToString(f.transform) === transformToString(t));
    if (same) throw new InvalidChangeError(`partition spec: add ${transformToString(t)}(${source}): expected a new partition field, got a duplicate of ${same.name}`);
    const fieldName = name ?? defaultPartitionName(source, t);
    this.checkName(fieldName, t, col.id);
    // Java (v2): a field equal to one of an earlier spec gets that field's id back.
    const earlier = this.table.metadata.formatVersion >= 2
      ? this.table.metadata.partitionSpecs.flatMap((s) => s.fields).find((f) => f.sourceId === col.id && transformToString(f.transform) === transformToString(t))
      : undefined;
    const fieldId = earlier && !this.fields.some((f) => f.fieldId === earlier.fieldId) ? earlier.fieldId : ++this.lastPartitionId;
    this.fields.push({ sourceId: col.id, fieldId, name: fieldName, transform: t });
    return this;
  }

  private checkName(name: string, t: Transform, sourceId: number, except?: number): void {
    if (this.fields.some((f) => f.name === name && f.fieldId !== except)) throw new InvalidChangeError(`partition spec: field ${name}: expected a new partition field name, got one in use`);
    // Spec: a partition name may equal a column name only for an identity partition of that column.
    const col = findFieldByName(this.table.schema(), name);
    if (col && !(t.kind === "identity" && col.id === sourceId)) {
      throw new InvalidChangeError(`partition spec: field ${name}: expected a name that is not a column of the schema (or an identity partition of it), got column ${findColumnName(this.table.schema(), col.id)}`);
    }
  }

  /** Removes a partition field by name (v1: replaced by a `void` transform). */
  removeField(name: string): this {
    const f = this.fields.find((x) => x.name === name);
    if (!f) throw new InvalidChangeError(`partition spec: remove ${name}: expected a field of the current spec, got none by that name`);
    if (this.table.metadata.formatVersion === 1) this.fields = this.fields.map((x) => (x === f ? { ...x, transform: { kind: "void" } } : x));
    else this.fields = this.fields.filter((x) => x !== f);
    return this;
  }

  /** Renames a partition field. */
  renameField(name: string, newName: string): this {
    const f = this.fields.find((x) => x.name === name);
    if (!f) throw new InvalidChangeError(`partition spec: rename ${name}: expected a field of the current spec, got none by that name`);
    this.checkName(newName, f.transform, f.sourceId, f.fieldId);
    this.fields = this.fields.map((x) => (x === f ? { ...x, name: newName } : x));
    return this;
  }

  /** The spec as changed so far (spec id not yet assigned: -1). */
  spec(): PartitionSpec { return { specId: -1, fields: this.fields }; }

  /** Commits the new spec and makes it the default; returns the updated table. */
  async commit(): Promise<Table> {
    return commitMetadataChange(this.table, "update-spec", (base) => {
      const key = (fs: readonly PartitionField[]): string => JSON.stringify(fs.map((f) => [f.sourceId, f.fieldId, f.name, transformToString(f.transform)]));
      const same = base.metadata.partitionSpecs.find((s) => key(s.fields) === key(this.fields));
      const updates: TableUpdate[] = [];
      if (same) {
        if (same.specId !== base.metadata.defaultSpecId) updates.push({ action: "set-default-spec", specId: same.specId });
      } else {
        const specId = Math.max(...base.metadata.partitionSpecs.map((s) => s.specId)) + 1;
        updates.push({ action: "add-spec", spec: { specId, fields: this.fields } });
        updates.push({ action: "set-default-spec", specId: -1 });
      }
      return {
        requirements: [
          { type: "assert-default-spec-id", defaultSpecId: this.baseSpecId },
          { type: "assert-last-assigned-partition-id", lastAssignedPartitionId: this.table.metadata.lastPartitionId },
        ],
        updates,
      };
    });
  }
}
