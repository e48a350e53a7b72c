import type { IcebergType } from "../../spec/types.js";
import type { TableMetadata } from "../../spec/table-metadata.js";

// Spec: Iceberg's GlueCatalog (Java IcebergToGlueConverter, PyIceberg `_IcebergSchemaToGlueType`)
// stores every column with a Hive/Athena type name and these parameters.

/** Column parameter: the Iceberg field id. */
export const ICEBERG_FIELD_ID = "iceberg.field.id";
/** Column parameter: `"true"` when the field is optional. */
export const ICEBERG_FIELD_OPTIONAL = "iceberg.field.optional";
/** Column parameter: `"true"` for fields of the current schema, `"false"` for fields only older schemas have. */
export const ICEBERG_FIELD_CURRENT = "iceberg.field.current";

/** A Glue column as CreateTable/UpdateTable take it. */
export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
  readonly Comment?: string;
  readonly Parameters: Readonly<Record<string, string>>;
}

/**
 * The Glue (Hive/Athena) type name of an Iceberg type, as Java and PyIceberg write it: time and
 * uuid as `string`, both timestamps as `timestamp`, fixed as `binary`, nested types spelled out.
 */
export function glueTypeName(type: IcebergType): string {
  switch (type.kind) {
    case "decimal": return `decimal(${type.precision},${type.scale})`;
    case "fixed": return "binary";
    case "list": return `array<${glueTypeName(type.element)}>`;
    case "map": return `map<${glueTypeName(type.key)},${glueTypeName(type.value)}>`;
    case "struct": return `struct<${type.fields.map((f) => `${f.name}:${glueTypeName(f.type)}`).join(",")}>`;
    case "primitive":
      switch (type.name) {
        case "boolean": return "boolean";
        case "int": return "int";
        case "long": return "bigint";
        case "float": return "float";
        case "double": return "double";
        case "date": return "date";
        case "time": case "string": case "uuid": return "string";
        case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns": return "timestamp";
        case "binary": return "binary";
      }
  }
  return "string";
}

/** The Glue columns of table metadata: the current schema's fields first, then fields only older schemas have (by name, first wins). */
export function glueColumns(metadata: TableMetadata): GlueColumn[] {
  const out = new Map<string, GlueColumn>();
  const current = metadata.schemas.find((s) => s.schemaId === metadata.currentSchemaId);
  const add = (fields: typeof metadata.schemas[number]["fields"], isCurrent: boolean): void => {
    for (const f of fields) {
      if (out.has(f.name)) continue;
      out.set(f.name, {
        Name: f.name,
        Type: glueTypeName(f.type),
        ...(f.doc ? { Comment: f.doc } : {}),
        Parameters: { [ICEBERG_FIELD_ID]: String(f.id), [ICEBERG_FIELD_OPTIONAL]: String(!f.required), [ICEBERG_FIELD_CURRENT]: String(isCurrent) },
      });
    }
  };
  if (current) add(current.fields, true);
  for (const s of metadata.schemas) if (s !== current) add(s.fields, false);
  return [...out.values()];
}
