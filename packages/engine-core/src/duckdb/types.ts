import type { IcebergType, NestedField } from "@engine/iceberg";
import { quoteIdent } from "../internal/sql.js";

/**
 * The DuckDB type that holds an Iceberg type exactly. Nanosecond timestamps map to
 * TIMESTAMP_NS (DuckDB has no nanosecond TIMESTAMPTZ); `fixed[L]` maps to BLOB.
 */
export function duckDbType(type: IcebergType): string {
  switch (type.kind) {
    case "decimal": return `DECIMAL(${type.precision},${type.scale})`;
    case "fixed": return "BLOB";
    case "primitive":
      switch (type.name) {
        case "boolean": return "BOOLEAN";
        case "int": return "INTEGER";
        case "long": return "BIGINT";
        case "float": return "FLOAT";
        case "double": return "DOUBLE";
        case "date": return "DATE";
        case "time": return "TIME";
        case "timestamp": return "TIMESTAMP";
        case "timestamptz": return "TIMESTAMPTZ";
        case "timestamp_ns": return "TIMESTAMP_NS";
        case "timestamptz_ns": return "TIMESTAMP_NS";
        case "string": return "VARCHAR";
        case "uuid": return "UUID";
        case "binary": return "BLOB";
      }
      break;
    case "list": return `${duckDbType(type.element)}[]`;
    case "map": return `MAP(${duckDbType(type.key)}, ${duckDbType(type.value)})`;
    case "struct": return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${duckDbType(f.type)}`).join(", ")})`;
  }
  throw new Error(`duckdb: no DuckDB type for ${JSON.stringify(type)}`);
}

/**
 * DuckDB's `FIELD_IDS` value for one column: a bare id for primitives, a struct with
 * `__duckdb_field_id` and child ids for nested types (list `element`, map `key`/`value`).
 */
export function fieldIdsValue(field: NestedField): string {
  return `${quoteKey(field.name)}: ${nestedIds(field.id, field.type)}`;
}

function nestedIds(id: number, type: IcebergType): string {
  switch (type.kind) {
    case "list": return `{__duckdb_field_id: ${id}, element: ${nestedIds(type.elementId, type.element)}}`;
    case "map": return `{__duckdb_field_id: ${id}, key: ${nestedIds(type.keyId, type.key)}, value: ${nestedIds(type.valueId, type.value)}}`;
    case "struct": return `{__duckdb_field_id: ${id}, ${type.fields.map(fieldIdsValue).join(", ")}}`;
    default: return String(id);
  }
}

function quoteKey(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
