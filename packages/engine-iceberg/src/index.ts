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
export type { TableMetadata, StatisticsFile, PartitionStatisticsFile, BlobMetadata } from "./spec/table-metadata.js";
export { SUPPORTED_FORMAT_VERSION, parseTableMetadata, serializeTableMetadata, tableMetadataFromJson, tableMetadataToJson, decodeMetadataBytes } from "./spec/table-metadata-json.js";

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
export type { PathRemapper, TableOptions, StaticTableOptions } from "./table/table.js";
export { Table } from "./table/table.js";

// transaction/
export type { TableUpdate, TableRequirement } from "./transaction/updates.js";
export { applyUpdate, applyUpdates } from "./transaction/apply-update.js";
export { checkRequirement, checkRequirements } from "./transaction/requirements.js";
export type { RetryOptions } from "./transaction/fast-append.js";
export { FastAppend } from "./transaction/fast-append.js";
export { appendSummary } from "./transaction/snapshot-summary.js";

// expr/ + scan/
export type { PredicateOp, Predicate, Expression } from "./expr/expression.js";
export { alwaysTrue, alwaysFalse, eq, notEq, lt, ltEq, gt, gtEq, isIn, notIn, isNull, notNull, isNaN, notNaN, and, or, not } from "./expr/expression.js";
export { isIn as in } from "./expr/expression.js";
export type { BoundPredicate, BoundExpression } from "./expr/bind.js";
export { bind } from "./expr/bind.js";
export { toLiteral } from "./expr/literal.js";
export { projectToPartition } from "./expr/projection.js";
export { evaluate } from "./expr/evaluator.js";
export { fileMightMatch, summaryMightMatch } from "./expr/metrics-evaluator.js";
export type { ScanOptions, FileScanTask } from "./scan/table-scan.js";
export { TableScan } from "./scan/table-scan.js";
export type { DeleteFileRef } from "./scan/delete-index.js";
export { DeleteIndex, referencedDataFile, POSITION_DELETE_FILE_PATH_ID } from "./scan/delete-index.js";
