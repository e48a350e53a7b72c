// Footer edits that make a Parquet file written by DuckDB (or by the fixed[L] transcode) carry
// the annotations Iceberg Java's own writer gives each Iceberg type, where the difference
// matters to a reader. Only annotations change: physical types and pages stay as written.

import type { IcebergType } from "@engine/iceberg";
import { ConvertedType, fieldValue, listItems, PhysicalType, removeField, schemaLeaves, setField, Thrift } from "./footer.js";
import { CompactType, struct, type ThriftStruct } from "./thrift-compact.js";

/** Key of the Arrow schema arrow-rs embeds in the files it writes. */
const ARROW_SCHEMA_KEY = "ARROW:schema";

/**
 * Edits `metadata` (a `FileMetaData`) in place; returns whether anything changed.
 *
 * - INT32 columns annotated INT(32, signed) (DuckDB writes `converted_type` INT_32) become bare
 *   INT32, as Iceberg Java writes `int`. Iceberg Java 1.10's vectorized reader allocates the
 *   Arrow vector of the *table* type for an annotated INT32, so after an int→long promotion it
 *   casts a BigIntVector to IntVector and fails (apache/iceberg#16341); bare INT32 reads.
 *   INT(8)/INT(16) annotations stay: no Iceberg type is written that way.
 * - FIXED_LEN_BYTE_ARRAY(16) columns of Iceberg `uuid` without a logical type get UUID back
 *   (arrow-rs drops it when the fixed[L] transcode rewrites a file).
 * - The `ARROW:schema` key-value entry arrow-rs adds is dropped: readers of Iceberg tables map
 *   columns by field id, and a stale Arrow schema only misleads plain Parquet readers.
 */
export function conformFooter(metadata: ThriftStruct, types: ReadonlyMap<number, IcebergType>): boolean {
  let changed = false;
  for (const leaf of schemaLeaves(metadata)) {
    const e = leaf.element;
    const physical = fieldValue(e, Thrift.SchemaElement.type);
    if (physical === PhysicalType.INT32 && isSignedInt32(e)) {
      changed = removeField(e, Thrift.SchemaElement.convertedType) || changed;
      changed = removeField(e, Thrift.SchemaElement.logicalType) || changed;
    }
    const type = leaf.fieldId === undefined ? undefined : types.get(leaf.fieldId);
    if (
      physical === PhysicalType.FIXED_LEN_BYTE_ARRAY && type?.kind === "primitive" && type.name === "uuid" &&
      fieldValue(e, Thrift.SchemaElement.logicalType) === undefined
    ) {
      setField(e, Thrift.SchemaElement.logicalType, CompactType.STRUCT, struct([{ id: Thrift.LogicalType.uuid, type: CompactType.STRUCT, value: struct() }]));
      changed = true;
    }
  }
  const kv = listItems<ThriftStruct>(metadata, Thrift.FileMetaData.keyValueMetadata);
  const arrow = kv.findIndex((entry) => new TextDecoder().decode(fieldValue(entry, Thrift.KeyValue.key) as Uint8Array) === ARROW_SCHEMA_KEY);
  if (arrow >= 0) {
    kv.splice(arrow, 1);
    if (kv.length === 0) removeField(metadata, Thrift.FileMetaData.keyValueMetadata);
    changed = true;
  }
  return changed;
}

/** An INT32 element annotated as a signed 32-bit integer (converted type or logical type). */
function isSignedInt32(e: ThriftStruct): boolean {
  const converted = fieldValue(e, Thrift.SchemaElement.convertedType);
  const logical = fieldValue(e, Thrift.SchemaElement.logicalType) as ThriftStruct | undefined;
  const int = logical ? (fieldValue(logical, Thrift.LogicalType.integer) as ThriftStruct | undefined) : undefined;
  if (logical && !int) return false; // another logical type (DATE, DECIMAL, …) wins over converted_type
  if (int) return fieldValue(int, Thrift.IntType.bitWidth) === 32 && fieldValue(int, Thrift.IntType.isSigned) === true;
  return converted === ConvertedType.INT_32;
}
