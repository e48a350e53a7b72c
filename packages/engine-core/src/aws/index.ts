// `@engine/core/aws`: the Athena client and engine, and the S3/Glue/Athena toolkit. The AWS SDK
// packages are optional peers, loaded on first use, so `@engine/core` itself never needs them.
export { type AwsOptions, type AwsClients, athenaClientOf, glueClientOf, s3ClientOf, s3PropertiesOf, importAws, loadAthenaSdk, loadGlueSdk, loadS3Sdk } from "./clients.js";
export { AthenaQueryError } from "./athena/errors.js";
export { startQueryExecutionRequest, getQueryResultsRequest, type AthenaQueryContext } from "./athena/requests.js";
export { runAthenaQuery, isHeaderRow, type AthenaQueryOptions, type AthenaQueryResult } from "./athena/run-query.js";
export { arrowTypeOfAthena, athenaRowsToArrow, athenaColumnData, parseDateDays, parseTimestampMicros, parseDecimalUnscaled, type AthenaColumn } from "./athena/result-types.js";
export { athenaUnload, unloadSql, type AthenaUnloadOptions } from "./athena/unload.js";
export { trinoType, hiveTypeOfDuckDb } from "./athena/trino-types.js";
export { AthenaLoadCompiler, type AthenaCompileOptions, type AthenaCompiledLoad } from "./athena/athena-compiler.js";
export { createStagingTableSql, dropStagingTableSql, athenaChecks, hiveIdent, hiveString, type StagingTableOptions, type AthenaCheck } from "./athena/load-sql.js";
export { runAthenaLoad, type AthenaLoadOptions, type AthenaLoadResult } from "./athena/run-athena-load.js";
export * as toolkit from "./toolkit/index.js";
export * from "./toolkit/index.js";
