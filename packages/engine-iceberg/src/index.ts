// Public API of @engine/iceberg. Everything not listed here is private.

export * from "./errors.js";

// spec/
export type { PrimitiveTypeName, PrimitiveType, NestedField, StructType, ListType, MapType, IcebergType } from "./spec/types.js";
export { parseType, typeToString, typeFromJson, typeToJson, structFromJson, isPrimitive, primitive } from "./spec/type-json.js";
export type { Schema, FoundField } from "./spec/schema.js";
export { findField, findFieldByName, findColumnName, allFields, highestFieldId, schemaAsStruct, schemaToJson, schemaFromJson } from "./spec/schema.js";
export type { Transform, PartitionField, PartitionSpec, SortField, SortOrder } from "./spec/partition-spec.js";
export {
  UNPARTITIONED_SPEC, UNSORTED_ORDER, isUnpartitioned, partitionType, partitionSpecToJson, partitionSpecFromJson,
  partitionFieldsFromJson, sortOrderToJson, sortOrderFromJson, partitionToPath,
} from "./spec/partition-spec.js";
export { parseTransform, transformToString, canTransform, transformResultType, applyTransform, toHumanString, valueToHumanString } from "./spec/transform.js";
export { bucketHash, bucketOf } from "./spec/bucket-hash.js";
export { toBinary, fromBinary } from "./spec/single-value.js";
export { DEFAULT_TRUNCATE_LENGTH, truncateStringLower, truncateStringUpper, truncateBinaryLower, truncateBinaryUpper } from "./spec/bound-truncation.js";
export type { SnapshotOperation, SnapshotSummary, Snapshot, SnapshotRef, SnapshotLogEntry, MetadataLogEntry } from "./spec/snapshot.js";
export type { MappedField } from "./spec/name-mapping.js";
export { NameMapping, DEFAULT_NAME_MAPPING, parseNameMapping, nameMappingToJson, nameMappingFromSchema, updateNameMapping, nameMappingFor } from "./spec/name-mapping.js";
export type { TableMetadata, StatisticsFile, PartitionStatisticsFile, BlobMetadata } from "./spec/table-metadata.js";
export {
  SUPPORTED_FORMAT_VERSION, parseTableMetadata, serializeTableMetadata, tableMetadataFromJson, tableMetadataToJson, decodeMetadataBytes,
  snapshotToJson, snapshotFromJson,
} from "./spec/table-metadata-json.js";

// avro/ + manifest/
export type { AvroCodec, AvroSchema, AvroFile } from "./avro/avro-file.js";
export { readAvroFile, writeAvroFile } from "./avro/avro-file.js";
export { manifestEntrySchema, manifestFileSchema, dataFileSchema } from "./avro/manifest-schemas.js";
export { FileContent, EntryStatus } from "./manifest/data-file.js";
export type { DataFile, ManifestEntry } from "./manifest/data-file.js";
export type { ManifestFile, PartitionFieldSummary } from "./manifest/manifest-file.js";
export type { Manifest, ReadManifestOptions } from "./manifest/manifest-reader.js";
export { readManifest } from "./manifest/manifest-reader.js";
export type { WriteManifestOptions, WrittenManifest } from "./manifest/manifest-writer.js";
export { writeManifest } from "./manifest/manifest-writer.js";
export type { WriteManifestListOptions } from "./manifest/manifest-list.js";
export { readManifestList, writeManifestList } from "./manifest/manifest-list.js";
export { summarizePartitions } from "./manifest/partition-summary.js";

// io/
export type { FileInfo, InputFile, OutputFile, FileIO } from "./io/file-io.js";
export { LocalFileIO, toLocalPath } from "./io/local-file-io.js";
export type { FileIOFactory } from "./io/registry.js";
export { registerFileIO, fileIOFor, schemeOf } from "./io/registry.js";

// catalog/ + table/
export type { TableIdentifier, CreateTableOptions, CommitResult, Catalog } from "./catalog/catalog.js";
export type { FileSystemCatalogOptions } from "./catalog/filesystem-catalog.js";
export { FileSystemCatalog } from "./catalog/filesystem-catalog.js";
export type { RestCatalogOptions } from "./catalog/rest/rest-catalog.js";
export { RestCatalog } from "./catalog/rest/rest-catalog.js";
export { tableUpdateToJson, tableUpdateFromJson, tableRequirementToJson, tableRequirementFromJson } from "./catalog/rest/rest-serde.js";
export type { PathRemapper, TableOptions, StaticTableOptions } from "./table/table.js";
export { Table } from "./table/table.js";

// transaction/
export type { TableUpdate, TableRequirement } from "./transaction/updates.js";
export { applyUpdate, applyUpdates } from "./transaction/apply-update.js";
export { checkRequirement, checkRequirements } from "./transaction/requirements.js";
export type { RetryOptions, ValidationContext } from "./transaction/snapshot-producer.js";
export { SnapshotProducer } from "./transaction/snapshot-producer.js";
export { FastAppend } from "./transaction/fast-append.js";
export { OverwriteFiles } from "./transaction/overwrite-files.js";
export { DeleteFiles } from "./transaction/delete-files.js";
export { ReplacePartitions } from "./transaction/replace-partitions.js";
export { RewriteFiles } from "./transaction/rewrite-files.js";
export { RowDelta } from "./transaction/row-delta.js";
export { MANIFEST_MERGE_ENABLED, MANIFEST_MIN_MERGE_COUNT, MANIFEST_TARGET_SIZE_BYTES } from "./transaction/manifest-merge.js";
export type { SnapshotSummaryOptions } from "./transaction/snapshot-summary.js";
export { appendSummary, snapshotSummary } from "./transaction/snapshot-summary.js";
export type { MetadataChange } from "./transaction/metadata-commit.js";
export { commitMetadataChange } from "./transaction/metadata-commit.js";
export { UpdateSchema, canPromote } from "./transaction/update-schema.js";
export { UpdateSpec, defaultPartitionName } from "./transaction/update-spec.js";
export { UpdateProperties } from "./transaction/update-properties.js";
export { ManageSnapshots } from "./transaction/manage-snapshots.js";
export type { ExpireSnapshotsOptions, ExpireSnapshotsResult } from "./transaction/expire-snapshots.js";
export { expireSnapshots, snapshotsToExpire, MIN_SNAPSHOTS_TO_KEEP, MAX_SNAPSHOT_AGE_MS } from "./transaction/expire-snapshots.js";
export type { RemoveOrphanFilesOptions, RemoveOrphanFilesResult } from "./transaction/remove-orphan-files.js";
export { removeOrphanFiles, referencedFiles } from "./transaction/remove-orphan-files.js";

// expr/ + scan/
export type { PredicateOp, Predicate, Expression } from "./expr/expression.js";
export { alwaysTrue, alwaysFalse, eq, notEq, lt, ltEq, gt, gtEq, isIn, notIn, isNull, notNull, isNaN, notNaN, and, or, not } from "./expr/expression.js";
export { isIn as in } from "./expr/expression.js";
export type { BoundPredicate, BoundExpression } from "./expr/bind.js";
export { bind } from "./expr/bind.js";
export { toLiteral } from "./expr/literal.js";
export { projectToPartition } from "./expr/projection.js";
export { evaluate } from "./expr/evaluator.js";
export { fileMightMatch, fileMustMatch, summaryMightMatch } from "./expr/metrics-evaluator.js";
export { projectStrict } from "./expr/strict-projection.js";
export type { ScanOptions, FileScanTask } from "./scan/table-scan.js";
export { TableScan } from "./scan/table-scan.js";
export type { DeleteFileRef } from "./scan/delete-index.js";
export { DeleteIndex, referencedDataFile, partitionKey, POSITION_DELETE_FILE_PATH_ID } from "./scan/delete-index.js";
export type { LiveFile } from "./scan/live-files.js";
export { liveFiles } from "./scan/live-files.js";
export type { MatchKind, RowFilterMatcher } from "./scan/row-filter-match.js";
export { rowFilterMatcher } from "./scan/row-filter-match.js";
export type { DeletePlan } from "./scan/plan-delete.js";
export { planDelete } from "./scan/plan-delete.js";
