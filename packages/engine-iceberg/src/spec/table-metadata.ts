import type { PartitionSpec, SortOrder } from "./partition-spec.js";
import type { Schema } from "./schema.js";
import type { MetadataLogEntry, Snapshot, SnapshotLogEntry, SnapshotRef } from "./snapshot.js";

/** Table metadata in domain form (camelCase, bigint ids); serde maps it to the spec's JSON. */
export interface TableMetadata {
  readonly formatVersion: 1 | 2 | 3;
  readonly tableUuid: string;
  readonly location: string;
  readonly lastSequenceNumber: bigint;
  readonly lastUpdatedMs: bigint;
  readonly lastColumnId: number;
  readonly schemas: readonly Schema[];
  readonly currentSchemaId: number;
  readonly partitionSpecs: readonly PartitionSpec[];
  readonly defaultSpecId: number;
  readonly lastPartitionId: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly currentSnapshotId?: bigint;
  readonly snapshots: readonly Snapshot[];
  readonly snapshotLog: readonly SnapshotLogEntry[];
  readonly metadataLog: readonly MetadataLogEntry[];
  readonly sortOrders: readonly SortOrder[];
  readonly defaultSortOrderId: number;
  readonly refs: Readonly<Record<string, SnapshotRef>>;
  /** Table statistics files (Puffin), kept so a rewrite does not lose them. */
  readonly statistics?: readonly StatisticsFile[];
  /** Partition statistics files, kept so a rewrite does not lose them. */
  readonly partitionStatistics?: readonly PartitionStatisticsFile[];
  /** v3: the next row id to assign (row lineage). */
  readonly nextRowId?: bigint;
}

/** A blob described by a statistics file. */
export interface BlobMetadata {
  readonly type: string;
  readonly snapshotId: bigint;
  readonly sequenceNumber: bigint;
  readonly fields: readonly number[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** A Puffin statistics file of a snapshot; spec: table metadata `statistics`. */
export interface StatisticsFile {
  readonly snapshotId: bigint;
  readonly statisticsPath: string;
  readonly fileSizeInBytes: bigint;
  readonly fileFooterSizeInBytes: bigint;
  readonly keyMetadata?: string;
  readonly blobMetadata: readonly BlobMetadata[];
}

/** A partition statistics file of a snapshot; spec: table metadata `partition-statistics`. */
export interface PartitionStatisticsFile {
  readonly snapshotId: bigint;
  readonly statisticsPath: string;
  readonly fileSizeInBytes: bigint;
}
