import { readAvroFile, writeAvroFile } from "../avro/avro-file.js";
import { namedTypes, recordById } from "../avro/field-ids.js";
import { manifestFileSchema } from "../avro/manifest-schemas.js";
import { IcebergError, InvalidMetadataError } from "../errors.js";
import type { ManifestFile, PartitionFieldSummary } from "./manifest-file.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : typeof v === "bigint" ? v : BigInt(v as number));
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Decodes a manifest list (v1 or v2) by field id. v1 entries read with sequence numbers 0 and content data. */
export function readManifestList(data: Uint8Array, options: { file?: string } = {}): ManifestFile[] {
  return typedDecode(options.file ?? "manifest list", () => decodeManifestList(data, options));
}

function decodeManifestList(data: Uint8Array, options: { file?: string }): ManifestFile[] {
  const where = options.file ?? "manifest list";
  const avro = readAvroFile(data, { file: where });
  const names = namedTypes(avro.schema);
  return avro.records.map((raw) => {
    const r = recordById(raw, avro.schema, names);
    const path = r.get(500);
    if (typeof path !== "string") throw new InvalidMetadataError(`manifest list: ${where}: manifest_path (500): expected a string, got ${String(path)}`);
    const mf: Mutable<ManifestFile> = {
      manifestPath: path,
      manifestLength: big(r.get(501)),
      partitionSpecId: num(r.get(502)),
      // Spec: v1 manifest lists have no content or sequence numbers: data, 0.
      content: num(r.get(517)) === 1 ? 1 : 0,
      sequenceNumber: big(r.get(515)),
      minSequenceNumber: big(r.get(516)),
      addedSnapshotId: big(r.get(503)),
      addedFilesCount: num(r.get(504)),
      existingFilesCount: num(r.get(505)),
      deletedFilesCount: num(r.get(506)),
      addedRowsCount: big(r.get(512)),
      existingRowsCount: big(r.get(513)),
      deletedRowsCount: big(r.get(514)),
    };
    const parts = r.records(507);
    if (parts) {
      mf.partitions = parts.map((p): PartitionFieldSummary => {
        const s: Mutable<PartitionFieldSummary> = { containsNull: p.get(509) === true };
        const nan = p.get(518);
        if (typeof nan === "boolean") s.containsNan = nan;
        const lo = p.get(510);
        if (lo instanceof Uint8Array) s.lowerBound = Uint8Array.from(lo);
        const hi = p.get(511);
        if (hi instanceof Uint8Array) s.upperBound = Uint8Array.from(hi);
        return s;
      });
    }
    const km = r.get(519);
    if (km instanceof Uint8Array) mf.keyMetadata = Uint8Array.from(km);
    return mf;
  });
}

/** Options of `writeManifestList`. */
export interface WriteManifestListOptions {
  readonly formatVersion: 1 | 2 | 3;
  readonly snapshotId: bigint;
  readonly parentSnapshotId?: bigint;
  /** v2: the snapshot's sequence number (header `sequence-number`). */
  readonly sequenceNumber?: bigint;
  readonly manifests: readonly ManifestFile[];
  readonly codec?: "deflate" | "null";
}

/** Encodes a manifest list with the spec's Avro schema and header keys (`snapshot-id`, `parent-snapshot-id`, `sequence-number`, `format-version`). */
export function writeManifestList(options: WriteManifestListOptions): Uint8Array {
  const v1 = options.formatVersion === 1;
  const records = options.manifests.map((m) => ({
    manifest_path: m.manifestPath,
    manifest_length: m.manifestLength,
    partition_spec_id: m.partitionSpecId,
    ...(v1 ? {} : { content: m.content, sequence_number: m.sequenceNumber, min_sequence_number: m.minSequenceNumber }),
    added_snapshot_id: m.addedSnapshotId,
    added_files_count: m.addedFilesCount,
    existing_files_count: m.existingFilesCount,
    deleted_files_count: m.deletedFilesCount,
    added_rows_count: m.addedRowsCount,
    existing_rows_count: m.existingRowsCount,
    deleted_rows_count: m.deletedRowsCount,
    partitions: m.partitions?.map((p) => ({
      contains_null: p.containsNull,
      contains_nan: p.containsNan ?? null,
      lower_bound: p.lowerBound ? Buffer.from(p.lowerBound) : null,
      upper_bound: p.upperBound ? Buffer.from(p.upperBound) : null,
    })) ?? null,
    key_metadata: m.keyMetadata ? Buffer.from(m.keyMetadata) : null,
  }));
  const metadata: Record<string, string> = {
    "snapshot-id": options.snapshotId.toString(),
    // Spec writers store the literal "null" when there is no parent.
    "parent-snapshot-id": options.parentSnapshotId === undefined ? "null" : options.parentSnapshotId.toString(),
    "format-version": String(options.formatVersion),
  };
  if (!v1) metadata["sequence-number"] = (options.sequenceNumber ?? 0n).toString();
  return writeAvroFile({ schema: manifestFileSchema(options.formatVersion), records, metadata, codec: options.codec ?? "deflate" });
}

/** Runs a decoder; values of the wrong type in damaged files (TypeError, RangeError…) become InvalidMetadataError. */
function typedDecode<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof IcebergError) throw error;
    throw new InvalidMetadataError(`manifest list: ${where}: expected valid manifest list entries, got damaged values (${(error as Error)?.message ?? String(error)})`, { cause: error });
  }
}
