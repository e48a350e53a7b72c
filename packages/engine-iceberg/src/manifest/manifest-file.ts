/** Per-partition-field summary in a manifest list (spec: field_summary 509). */
export interface PartitionFieldSummary {
  readonly containsNull: boolean;
  readonly containsNan?: boolean;
  readonly lowerBound?: Uint8Array;
  readonly upperBound?: Uint8Array;
}

/** A manifest as listed in a manifest list (spec: manifest_file, ids 500–520). */
export interface ManifestFile {
  readonly manifestPath: string;
  readonly manifestLength: bigint;
  readonly partitionSpecId: number;
  /** 0 = data, 1 = deletes. */
  readonly content: 0 | 1;
  readonly sequenceNumber: bigint;
  readonly minSequenceNumber: bigint;
  readonly addedSnapshotId: bigint;
  readonly addedFilesCount: number;
  readonly existingFilesCount: number;
  readonly deletedFilesCount: number;
  readonly addedRowsCount: bigint;
  readonly existingRowsCount: bigint;
  readonly deletedRowsCount: bigint;
  readonly partitions?: readonly PartitionFieldSummary[];
  readonly keyMetadata?: Uint8Array;
}
