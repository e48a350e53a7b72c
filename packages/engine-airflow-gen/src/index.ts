// Public surface of @engine/airflow-gen. Anything not listed here is private.
export { GenError, CsvError, ScheduleError } from "./errors.js";
export { parseCsv, type CsvTable, type CsvRecord, type CsvField } from "./csv/parse-csv.js";
export { parseScheduleCsv, readScheduleCsv, SCHEDULE_COLUMNS, type ScheduleRow } from "./metadata/schedule-row.js";
export { parseIngestionCsv, readIngestionCsv, INGESTION_COLUMNS, type IngestionRow } from "./metadata/ingestion-row.js";
export type { SourceLocation } from "./metadata/source-location.js";
export { resolveGenOptions, type GenOptions, type ResolvedGenOptions } from "./options.js";
export { planSchedule, type GenInput } from "./plan/plan-schedule.js";
export type { SchedulePlan, PlannedGroup, PlannedTable, ExternalDependency } from "./plan/schedule-plan.js";
export {
  resolveGlueSettings,
  GLUE_VERSIONS,
  SPARK_WORKER_TYPES,
  SIZE_HINT_PROPERTY,
  GLUE_WORKER_TYPE_PROPERTY,
  GLUE_WORKERS_PROPERTY,
  GLUE_EXECUTION_CLASS_PROPERTY,
  GLUE_VERSION_PROPERTY,
  type GlueVersion,
  type SparkWorkerType,
  type GlueSpec,
  type GlueSettings,
  type GlueOverrides,
} from "./glue/glue-settings.js";
export {
  loadJobRequest,
  validateJobRequest,
  jobRequestsFor,
  loadJobName,
  validateJobName,
  icebergSparkConf,
  VALIDATE_JOB_DPU,
  type CreateJobRequest,
} from "./glue/create-job-request.js";
export { generateGlueJobs } from "./glue/generate-glue-jobs.js";
export { generateAirflow } from "./airflow/generate-airflow.js";
export type { ScriptProvider } from "./script/script-provider.js";
export { engineScripts, type EngineScriptsOptions } from "./script/engine-scripts.js";
export type { GeneratedFile, GenerateResult } from "./generated-file.js";
export { loadSpecsFromDir } from "./load-specs-from-dir.js";
export { writeGenerated, GENERATED_HEADER, type WriteReport } from "./write-generated.js";
export { registerGenCommands } from "./cli/register-gen-commands.js";
