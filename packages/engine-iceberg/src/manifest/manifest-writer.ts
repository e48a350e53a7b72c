import { writeAvroFile } from "../avro/avro-file.js";
import { manifestEntrySchema } from "../avro/manifest-schemas.js";
import { avroFieldName, toAvroValue } from "../avro/iceberg-avro.js";
import { stringifyJson } from "../internal/json.js";
import { partitionSpecToJson, partitionType, type PartitionSpec } from "../spec/partition-spec.js";
import { schemaToJson, type Schema } from "../spec/schema.js";
import { EntryStatus, FileContent, type DataFile, type ManifestEntry } from "./data-file.js";
import type { ManifestFile } from "./manifest-file.js";
import { summarizePartitions } from "./partition-summary.js";

/** Options of `writeManifest`. */
export interface WriteManifestOptions {
  readonly formatVersion: 1 | 2 | 3;
  /** Where the manifest will be stored (recorded in the returned ManifestFile). */
  readonly path: string;
  readonly spec: PartitionSpec;
  readonly schema: Schema;
  /** The snapshot that writes this manifest (`added_snapshot_id`). */
  readonly snapshotId: bigint;
  /** The sequence number of that snapshot, when known (v2); ADDED entries still inherit it on read. */
  readonly sequenceNumber?: bigint;
  /** 0 = data, 1 = deletes. */
  readonly content?: 0 | 1;
  readonly entries: readonly ManifestEntry[];
  readonly codec?: "deflate" | "null";
}

/** A written manifest: its bytes and its manifest-list entry. */
export interface WrittenManifest {
  readonly data: Uint8Array;
  readonly manifestFile: ManifestFile;
}

// Spec: "block_size_in_bytes … Always write a default in v1" — Java writes 64 MB.
const V1_BLOCK_SIZE = 67108864n;

const mapToAvro = <V>(m: ReadonlyMap<number, V> | undefined, conv: (v: V) => unknown): unknown =>
  m === undefined ? null : [...m].map(([key, value]) => ({ key, value: conv(value) }));

/** Encodes a manifest with the spec's Avro schema and header keys and computes its manifest-list entry. */
export function writeManifest(options: WriteManifestOptions): WrittenManifest {
  const { formatVersion: fv, spec, schema } = options;
  const content = options.content ?? 0;
  const ptype = partitionType(spec, schema);
  const v1 = fv === 1;
  const records = options.entries.map((e) => {
    const f: DataFile = e.dataFile;
    const partition: Record<string, unknown> = {};
    ptype.fields.forEach((pf, i) => { partition[avroFieldName(pf.name)] = toAvroValue(pf.type, f.partition[i] ?? null); });
    const dataFile: Record<string, unknown> = {
      ...(v1 ? {} : { content: f.content }),
      file_path: f.filePath,
      file_format: f.fileFormat,
      partition,
      record_count: f.recordCount,
      file_size_in_bytes: f.fileSizeInBytes,
      ...(v1 ? { block_size_in_bytes: V1_BLOCK_SIZE } : {}),
      column_sizes: mapToAvro(f.columnSizes, (v) => v),
      value_counts: mapToAvro(f.valueCounts, (v) => v),
      null_value_counts: mapToAvro(f.nullValueCounts, (v) => v),
      nan_value_counts: mapToAvro(f.nanValueCounts, (v) => v),
      lower_bounds: mapToAvro(f.lowerBounds, (v) => Buffer.from(v)),
      upper_bounds: mapToAvro(f.upperBounds, (v) => Buffer.from(v)),
      key_metadata: f.keyMetadata ? Buffer.from(f.keyMetadata) : null,
      split_offsets: f.splitOffsets ? [...f.splitOffsets] : null,
      ...(v1 ? {} : { equality_ids: f.equalityIds ? [...f.equalityIds] : null }),
      sort_order_id: f.sortOrderId ?? null,
      ...(fv >= 3 ? { first_row_id: f.firstRowId ?? null } : {}),
      ...(v1 ? {} : { referenced_data_file: f.referencedDataFile ?? null }),
      ...(fv >= 3 ? { content_offset: f.contentOffset ?? null, content_size_in_bytes: f.contentSizeInBytes ?? null } : {}),
    };
    return {
      status: e.status,
      snapshot_id: e.snapshotId ?? null,
      ...(v1 ? {} : { sequence_number: e.sequenceNumber ?? null, file_sequence_number: e.fileSequenceNumber ?? null }),
      data_file: dataFile,
    };
  });
  const metadata: Record<string, string> = {
    schema: stringifyJson(schemaToJson(schema)),
    "schema-id": String(schema.schemaId),
    "partition-spec": stringifyJson(partitionSpecToJson(spec)["fields"]),
    "partition-spec-id": String(spec.specId),
    "format-version": String(fv),
    ...(v1 ? {} : { content: content === 1 ? "deletes" : "data" }),
  };
  const data = writeAvroFile({ schema: manifestEntrySchema(fv, ptype), records, metadata, codec: options.codec ?? "deflate" });

  let added = 0, existing = 0, deleted = 0;
  let addedRows = 0n, existingRows = 0n, deletedRows = 0n;
  let minSeq: bigint | undefined;
  for (const e of options.entries) {
    const rows = e.dataFile.recordCount;
    if (e.status === EntryStatus.Added) { added++; addedRows += rows; }
    else if (e.status === EntryStatus.Existing) { existing++; existingRows += rows; }
    else { deleted++; deletedRows += rows; }
    if (e.status !== EntryStatus.Deleted) {
      const seq = e.sequenceNumber ?? options.sequenceNumber;
      if (seq !== undefined && (minSeq === undefined || seq < minSeq)) minSeq = seq;
    }
  }
  const seq = options.sequenceNumber ?? 0n;
  const manifestFile: ManifestFile = {
    manifestPath: options.path,
    manifestLength: BigInt(data.length),
    partitionSpecId: spec.specId,
    content: content === 1 || options.entries.some((e) => e.dataFile.content !== FileContent.Data) ? 1 : 0,
    sequenceNumber: seq,
    minSequenceNumber: minSeq ?? seq,
    addedSnapshotId: options.snapshotId,
    addedFilesCount: added,
    existingFilesCount: existing,
    deletedFilesCount: deleted,
    addedRowsCount: addedRows,
    existingRowsCount: existingRows,
    deletedRowsCount: deletedRows,
    partitions: summarizePartitions(ptype, options.entries.filter((e) => e.status !== EntryStatus.Deleted).map((e) => e.dataFile.partition)),
  };
  return { data, manifestFile };
}

