/** What a content file holds; spec: data_file.content. */
export enum FileContent { Data = 0, PositionDeletes = 1, EqualityDeletes = 2 }

/** A data or delete file as recorded in a manifest (spec: `data_file`, ids 100–146). */
export interface DataFile {
  readonly content: FileContent;
  readonly filePath: string;
  readonly fileFormat: "PARQUET" | "AVRO" | "ORC" | "PUFFIN";
  /** The partition tuple, one Iceberg value per field of the file's partition spec, in spec order. */
  readonly partition: readonly unknown[];
  readonly recordCount: bigint;
  readonly fileSizeInBytes: bigint;
  readonly columnSizes?: ReadonlyMap<number, bigint>;
  readonly valueCounts?: ReadonlyMap<number, bigint>;
  readonly nullValueCounts?: ReadonlyMap<number, bigint>;
  readonly nanValueCounts?: ReadonlyMap<number, bigint>;
  /** Single-value binary serialization of each column's lower bound, by field id. */
  readonly lowerBounds?: ReadonlyMap<number, Uint8Array>;
  readonly upperBounds?: ReadonlyMap<number, Uint8Array>;
  readonly keyMetadata?: Uint8Array;
  readonly splitOffsets?: readonly bigint[];
  readonly equalityIds?: readonly number[];
  readonly sortOrderId?: number;
  /** The spec id of the manifest this file was read from or is written to. */
  readonly specId: number;
  /** v3 (also written by Java 1.8 in v2): the data file a position-delete file or deletion vector applies to. */
  readonly referencedDataFile?: string;
  /** v3: deletion vector blob offset inside a Puffin file. */
  readonly contentOffset?: bigint;
  /** v3: deletion vector blob length. */
  readonly contentSizeInBytes?: bigint;
  /** v3: the first row id of the file's rows. */
  readonly firstRowId?: bigint;
}

/** Status of a manifest entry; spec: manifest_entry.status. */
export enum EntryStatus { Existing = 0, Added = 1, Deleted = 2 }

/** One entry of a manifest. Sequence numbers are resolved (inherited) when read. */
export interface ManifestEntry {
  readonly status: EntryStatus;
  readonly snapshotId?: bigint;
  readonly sequenceNumber?: bigint;
  readonly fileSequenceNumber?: bigint;
  readonly dataFile: DataFile;
}
