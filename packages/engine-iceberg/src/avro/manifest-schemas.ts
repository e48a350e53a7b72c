import type { StructType } from "../spec/types.js";
import type { AvroSchema } from "./avro-file.js";
import { structToAvro } from "./iceberg-avro.js";

// Spec: "Manifests" (manifest_entry, data_file) and "Manifest Lists" (manifest_file,
// field_summary). Names and record names follow the Java writer (r2, r102, k117_v118, r508).

const opt = (name: string, type: AvroSchema, id: number, doc?: string): AvroSchema =>
  ({ name, type: ["null", type], default: null, "field-id": id, ...(doc ? { doc } : {}) });
const req = (name: string, type: AvroSchema, id: number, doc?: string): AvroSchema =>
  ({ name, type, "field-id": id, ...(doc ? { doc } : {}) });
const map = (name: string, id: number, keyId: number, valueId: number, value: AvroSchema, doc: string): AvroSchema =>
  opt(name, {
    type: "array", logicalType: "map",
    items: { type: "record", name: `k${keyId}_v${valueId}`, fields: [req("key", "int", keyId), req("value", value, valueId)] },
  }, id, doc);

/** The Avro schema of `data_file` (field 2) for a format version and partition type. */
export function dataFileSchema(formatVersion: 1 | 2 | 3, partition: StructType): AvroSchema {
  const v1 = formatVersion === 1;
  return {
    type: "record", name: "r2",
    fields: [
      ...(v1 ? [] : [req("content", "int", 134, "Contents of the file: 0=data, 1=position deletes, 2=equality deletes")]),
      req("file_path", "string", 100, "Location URI with FS scheme"),
      req("file_format", "string", 101, "File format name: avro, orc, or parquet"),
      req("partition", structToAvro(partition, "r102"), 102, "Partition data tuple, schema based on the partition spec"),
      req("record_count", "long", 103, "Number of records in the file"),
      req("file_size_in_bytes", "long", 104, "Total file size in bytes"),
      // Spec: block_size_in_bytes is deprecated; "Always write a default in v1. Do not write in v2."
      ...(v1 ? [req("block_size_in_bytes", "long", 105)] : []),
      map("column_sizes", 108, 117, 118, "long", "Map of column id to total size on disk"),
      map("value_counts", 109, 119, 120, "long", "Map of column id to total count, including null and NaN"),
      map("null_value_counts", 110, 121, 122, "long", "Map of column id to null value count"),
      map("nan_value_counts", 137, 138, 139, "long", "Map of column id to number of NaN values in the column"),
      map("lower_bounds", 125, 126, 127, "bytes", "Map of column id to lower bound"),
      map("upper_bounds", 128, 129, 130, "bytes", "Map of column id to upper bound"),
      opt("key_metadata", "bytes", 131, "Encryption key metadata blob"),
      opt("split_offsets", { type: "array", items: "long", "element-id": 133 }, 132, "Splittable offsets"),
      ...(v1 ? [] : [opt("equality_ids", { type: "array", items: "int", "element-id": 136 }, 135, "Equality comparison field IDs")]),
      opt("sort_order_id", "int", 140, "Sort order ID"),
      ...(formatVersion >= 3 ? [opt("first_row_id", "long", 142)] : []),
      // Spec: referenced_data_file is optional in v2 too; Java (1.8+) writes it in every v2 manifest.
      ...(v1 ? [] : [opt("referenced_data_file", "string", 143, "Fully qualified location (URI with FS scheme) of a data file that all deletes reference")]),
      ...(formatVersion >= 3 ? [opt("content_offset", "long", 144), opt("content_size_in_bytes", "long", 145)] : []),
    ],
  };
}

/** The Avro schema of `manifest_entry` records of a manifest. */
export function manifestEntrySchema(formatVersion: 1 | 2 | 3, partition: StructType): AvroSchema {
  return {
    type: "record", name: "manifest_entry",
    fields: [
      req("status", "int", 0),
      opt("snapshot_id", "long", 1),
      ...(formatVersion === 1 ? [] : [opt("sequence_number", "long", 3), opt("file_sequence_number", "long", 4)]),
      req("data_file", dataFileSchema(formatVersion, partition), 2),
    ],
  };
}

/** The Avro schema of `manifest_file` records of a manifest list. */
export function manifestFileSchema(formatVersion: 1 | 2 | 3): AvroSchema {
  const v1 = formatVersion === 1;
  const partitions = opt("partitions", {
    type: "array", "element-id": 508,
    items: {
      type: "record", name: "r508",
      fields: [
        req("contains_null", "boolean", 509, "True if any file has a null partition value"),
        opt("contains_nan", "boolean", 518, "True if any file has a nan partition value"),
        opt("lower_bound", "bytes", 510, "Partition lower bound for all files"),
        opt("upper_bound", "bytes", 511, "Partition upper bound for all files"),
      ],
    },
  }, 507, "Summary for each partition");
  const count = v1 ? opt : req;
  return {
    type: "record", name: "manifest_file",
    fields: [
      req("manifest_path", "string", 500, "Location URI with FS scheme"),
      req("manifest_length", "long", 501, "Total file size in bytes"),
      req("partition_spec_id", "int", 502, "Spec ID used to write"),
      ...(v1 ? [] : [
        req("content", "int", 517, "Contents of the manifest: 0=data, 1=deletes"),
        req("sequence_number", "long", 515, "Sequence number when the manifest was added"),
        req("min_sequence_number", "long", 516, "Lowest sequence number in the manifest"),
      ]),
      count("added_snapshot_id", "long", 503, "Snapshot ID that added the manifest"),
      count("added_files_count", "int", 504, "Added entry count"),
      count("existing_files_count", "int", 505, "Existing entry count"),
      count("deleted_files_count", "int", 506, "Deleted entry count"),
      count("added_rows_count", "long", 512, "Added rows count"),
      count("existing_rows_count", "long", 513, "Existing rows count"),
      count("deleted_rows_count", "long", 514, "Deleted rows count"),
      partitions,
      opt("key_metadata", "bytes", 519, "Encryption key metadata blob"),
      ...(formatVersion >= 3 ? [opt("first_row_id", "long", 520, "Starting row ID to assign to new rows in ADDED data files")] : []),
    ],
  };
}
