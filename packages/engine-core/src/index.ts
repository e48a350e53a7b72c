// Public surface of @engine/core. Anything not listed here is private.
export { EngineError, SpecError, SourceError, ValidationFailedError } from "./errors.js";
export * from "./spec/index.js";
export { Engine, type EngineOptions, type LoadOptions, type QueryOptions, type HistoryEntry, type RemapOption, type CatalogOptions, type S3Options, type AthenaEngineOptions } from "./engine/index.js";
export { DuckDbSession, DuckDbError, toArrowTable, duckDbType, fieldIdsValue, type DuckDbSessionOptions, type DuckDbRows } from "./duckdb/index.js";
export { openSource, PROVENANCE_COLUMN, sourceErrorFrom, stageMemoryData, type SourceRead, type OpenSourceOptions, type SourceFile, type QuarantineRead } from "./source/index.js";
export {
  DuckDbLoadCompiler, planLoad, runLoad, schemaFromSpec, partitionFieldsFromSpec, dataFilesFromStats, conformParquetFiles, computeLoadId, type CopyStatsRow,
  LOAD_ID_PROPERTY, LoadError,
  type LoadPlan, type LoadNode, type StageNode, type TransformNode, type CastNode, type CastColumn, type DedupeNode,
  type PartitionNode, type PartitionFieldPlan, type WriteNode, type CompiledLoad, type CompiledStep, type LoadResult,
} from "./load/index.js";
export { QueryResult, scanSql, scanTasksSql, schemaMap, referencedTables, type SnapshotSelector } from "./query/index.js";
export {
  runValidations, throwIfFailed, blockingFailures, defaultPhase, phaseOf, tableRelationResolver, LoadChecks, runCheckedLoad,
  type ValidationOutcome, type ValidationPhase, type ValidationContext, type LoadChecksOptions, type LoadFailureReport, type CheckedLoadOptions,
} from "./validate/index.js";
export { AUDIT_TABLE, appendValidationResults, validationResultsSpec, sendWebhook, type ValidationResultRow, type WebhookResult } from "./audit/index.js";
export {
  display, inNotebook, mimeBundleOf, rowsHtml, MIME_BUNDLE, hasMimeBundle, arrowTableHtml, loadReportHtml, historyHtml, barChart, lineChart, Chart, toDanfo,
  type MimeBundle, type TableHtmlOptions, type ChartOptions, type ChartData, type DanfoDataFrame, type ToDanfoOptions, type LoadReportLike, type SnapshotLike,
} from "./notebook/index.js";
