export * from "./plan.js";
export { DuckDbLoadCompiler, RELATIONS, type CompiledLoad, type CompiledStep } from "./duckdb-compiler.js";
export { planLoad, type PlanInputs } from "./planner.js";
export { schemaFromSpec, partitionFieldsFromSpec, parsePartitionExpr, partitionFieldName, type PartitionExpr } from "./schema.js";
export { partitionExpression } from "./partition-sql.js";
export { dataFilesFromStats, partitionValueFromKey, leafColumns, type CopyStatsRow } from "./data-files.js";
export { runLoad, computeLoadId, LOAD_ID_PROPERTY, type LoadResult, type RunLoadOptions } from "./run-load.js";
export { LoadError } from "./errors.js";
