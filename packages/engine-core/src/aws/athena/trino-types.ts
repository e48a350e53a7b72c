import type { IcebergType } from "@engine/iceberg";
import { quoteIdent } from "../../internal/sql.js";

/**
 * The Trino (Athena engine v3) type holding an Iceberg type as Athena reads Iceberg tables:
 * microsecond timestamps, uuid and time as varchar (Athena's Iceberg connector has neither),
 * fixed and binary as varbinary.
 */
export function trinoType(type: IcebergType): string {
  switch (type.kind) {
    case "decimal": return `decimal(${type.precision},${type.scale})`;
    case "fixed": return "varbinary";
    case "list": return `array(${trinoType(type.element)})`;
    case "map": return `map(${trinoType(type.key)}, ${trinoType(type.value)})`;
    case "struct": return `row(${type.fields.map((f) => `${quoteIdent(f.name)} ${trinoType(f.type)}`).join(", ")})`;
    case "primitive":
      switch (type.name) {
        case "boolean": return "boolean";
        case "int": return "integer";
        case "long": return "bigint";
        case "float": return "real";
        case "double": return "double";
        case "date": return "date";
        case "time": case "string": case "uuid": return "varchar";
        case "timestamp": case "timestamp_ns": return "timestamp(6)";
        case "timestamptz": case "timestamptz_ns": return "timestamp(6) with time zone";
        case "binary": return "varbinary";
      }
  }
  return "varchar";
}

/** The Hive DDL type (CREATE EXTERNAL TABLE) of a DuckDB column type read from a Parquet source. */
export function hiveTypeOfDuckDb(duck: string): string {
  const t = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  if (t.endsWith("[]")) return `array<${hiveTypeOfDuckDb(duck.slice(0, -2))}>`;
  switch (t) {
    case "BOOLEAN": return "boolean";
    case "TINYINT": return "tinyint";
    case "SMALLINT": return "smallint";
    case "INTEGER": return "int";
    case "BIGINT": case "UBIGINT": case "UINTEGER": case "HUGEINT": return "bigint";
    case "FLOAT": return "float";
    case "DOUBLE": return "double";
    case "DATE": return "date";
    case "TIMESTAMP": case "TIMESTAMP WITH TIME ZONE": case "TIMESTAMPTZ": case "TIMESTAMP_MS": case "TIMESTAMP_NS": case "TIMESTAMP_S": return "timestamp";
    case "BLOB": return "binary";
    default: return "string";
  }
}
