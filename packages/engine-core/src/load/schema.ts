import type { IcebergType, NestedField, PartitionField, Schema, Transform } from "@engine/iceberg";
import { SpecError } from "../errors.js";
import { parseSpecType } from "../internal/type-parse.js";
import type { TableSpec } from "../spec/table-spec.js";

/**
 * The schema a new table gets from its spec: top-level columns take ids 1..N in column order,
 * nested fields (struct fields, list elements, map keys and values) take ids after N.
 */
export function schemaFromSpec(spec: TableSpec): Schema {
  let next = spec.columns.length + 1;
  const assign = (type: IcebergType): IcebergType => {
    switch (type.kind) {
      case "struct": {
        const ids = type.fields.map(() => next++);
        return { kind: "struct", fields: type.fields.map((f, i) => ({ ...f, id: ids[i]!, type: assign(f.type) })) };
      }
      case "list": {
        const elementId = next++;
        return { ...type, elementId, element: assign(type.element) };
      }
      case "map": {
        const keyId = next++;
        const valueId = next++;
        return { ...type, keyId, valueId, key: assign(type.key), value: assign(type.value) };
      }
      default: return type;
    }
  };
  const fields: NestedField[] = spec.columns.map((c, i) => {
    let type: IcebergType;
    try {
      type = parseSpecType(c.type);
    } catch (cause) {
      throw new SpecError(`spec: columns[${i}].type: expected an Iceberg type like "decimal(10,2)", got "${c.type}"`, { cause });
    }
    return { id: i + 1, name: c.name, required: c.required, type, ...(c.doc ? { doc: c.doc } : {}) };
  });
  const withNested = fields.map((f) => ({ ...f, type: assign(f.type) }));
  const keyIds = (spec.key ?? []).map((k) => withNested.find((f) => f.name === k)?.id).filter((id): id is number => id !== undefined);
  const identifierOk = keyIds.length > 0 && keyIds.every((id) => withNested.find((f) => f.id === id)?.required);
  return { schemaId: 0, fields: withNested, ...(identifierOk ? { identifierFieldIds: keyIds } : {}) };
}

/** A parsed partition expression of the spec: `col`, `day(col)`, `bucket(16, col)`, `truncate(4, col)`. */
export interface PartitionExpr { readonly column: string; readonly transform: Transform }

/** Parses one spec partition expression. */
export function parsePartitionExpr(text: string, where: string): PartitionExpr {
  const m = /^\s*([a-zA-Z_]+)\s*\(\s*(?:(\d+)\s*,\s*)?([^()]+?)\s*\)\s*$/.exec(text);
  if (!m) return { column: text.trim(), transform: { kind: "identity" } };
  const fn = m[1]!.toLowerCase();
  const column = m[3]!;
  switch (fn) {
    case "identity": case "year": case "month": case "day": case "hour": case "void":
      if (m[2] !== undefined) break;
      return { column, transform: { kind: fn } };
    case "years": case "months": case "days": case "hours":
      return { column, transform: { kind: fn.slice(0, -1) as "year" | "month" | "day" | "hour" } };
    case "bucket": if (m[2] !== undefined) return { column, transform: { kind: "bucket", n: Number(m[2]) } }; break;
    case "truncate": if (m[2] !== undefined) return { column, transform: { kind: "truncate", width: Number(m[2]) } }; break;
  }
  throw new SpecError(`spec: ${where}: expected a partition like "day(order_ts)", "bucket(16, id)" or a column name, got "${text}"`);
}

/** Iceberg's conventional partition field name for a transform of a column. */
export function partitionFieldName(column: string, t: Transform): string {
  switch (t.kind) {
    case "identity": return column;
    case "bucket": return `${column}_bucket`;
    case "truncate": return `${column}_trunc`;
    case "void": return `${column}_null`;
    default: return `${column}_${t.kind}`;
  }
}

/** Partition fields of a new table from the spec, field ids from 1000. */
export function partitionFieldsFromSpec(spec: TableSpec, schema: Schema): PartitionField[] {
  return spec.partition.map((text, i) => {
    const { column, transform } = parsePartitionExpr(text, `partition[${i}]`);
    const source = schema.fields.find((f) => f.name === column);
    if (!source) throw new SpecError(`spec: partition[${i}]: column ${column} is not a column of the table (expected one of ${schema.fields.map((f) => f.name).join(", ")})`);
    return { sourceId: source.id, fieldId: 1000 + i, name: partitionFieldName(column, transform), transform };
  });
}
