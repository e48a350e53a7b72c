// Glue CreateJob requests, member names exactly as the Glue API (botocore's glue model) spells
// them. The Airflow GlueJobOperator sends the same request: its hook builds Name, Description,
// Role, ExecutionProperty, Command, MaxRetries, LogUri and MaxCapacity (from num_of_dpus) and
// spreads `create_job_kwargs` over them — so both come from here.

import type { PlannedTable } from "../plan/schedule-plan.js";
import type { ResolvedGenOptions } from "../options.js";

/** A Glue `CreateJob` request body. */
export interface CreateJobRequest {
  readonly Name: string;
  readonly Description: string;
  /** IAM role name or ARN (Glue accepts either). */
  readonly Role: string;
  readonly ExecutionProperty: { readonly MaxConcurrentRuns: number };
  readonly Command: { readonly Name: "glueetl" | "pythonshell"; readonly ScriptLocation: string; readonly PythonVersion: string };
  readonly MaxRetries: number;
  readonly LogUri: string;
  readonly DefaultArguments: Readonly<Record<string, string>>;
  readonly GlueVersion: string;
  readonly WorkerType?: string;
  readonly NumberOfWorkers?: number;
  /** Python shell only: 0.0625 or 1 DPU. */
  readonly MaxCapacity?: number;
  /** glueetl only (FLEX needs Glue 3.0+ and glueetl). */
  readonly ExecutionClass?: "FLEX" | "STANDARD";
  /** Minutes. */
  readonly Timeout: number;
  readonly Tags: Readonly<Record<string, string>>;
}

/** DPUs of the validate job: the smallest Python shell. */
export const VALIDATE_JOB_DPU = 0.0625;
/** Python shell runtime of the validate job (Glue 3.0 runs Python 3.9 shells). */
export const PYTHON_SHELL = { glueVersion: "3.0", pythonVersion: "3.9" } as const;

/** Glue job name of a table's load, e.g. "engine-load-sales__orders". */
export function loadJobName(table: PlannedTable, options: ResolvedGenOptions): string {
  return `${options.jobNamePrefix}-load-${table.key}`;
}

/** Glue job name of a table's validate job, e.g. "engine-validate-sales__orders". */
export function validateJobName(table: PlannedTable, options: ResolvedGenOptions): string {
  return `${options.jobNamePrefix}-validate-${table.key}`;
}

/** Key (under the artifacts prefix) of a table's load script, e.g. "scripts/sales/orders.load.py". */
export function loadScriptKey(table: PlannedTable): string {
  return `scripts/${[...table.spec.namespace, table.spec.name].join("/")}.load.py`;
}

/** Key (under the artifacts prefix) of the validate script shared by every validate job. */
export const VALIDATE_SCRIPT_KEY = "scripts/engine_validate.py";

/** s3:// URL of an artifact key. */
export function artifactUrl(key: string, options: ResolvedGenOptions): string {
  return `s3://${options.artifactsBucket}/${options.prefix}/${key}`;
}

/**
 * The Spark `--conf` chain for Iceberg through the Glue Data Catalog, in the form AWS documents
 * for Glue jobs ("Using the Iceberg framework in AWS Glue"): one `--conf` key whose value chains
 * the other settings with ` --conf `.
 */
export function icebergSparkConf(options: ResolvedGenOptions): string {
  const c = `spark.sql.catalog.${options.catalogName}`;
  return [
    "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
    `${c}=org.apache.iceberg.spark.SparkCatalog`,
    `${c}.warehouse=${options.warehouse}`,
    `${c}.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog`,
    `${c}.io-impl=org.apache.iceberg.aws.s3.S3FileIO`,
  ].join(" --conf ");
}

function tags(table: PlannedTable, role: "load" | "validate"): Record<string, string> {
  return { "engine:group": table.group, "engine:role": role, "engine:system": table.system, "engine:table": table.table, "generated-by": "engine-airflow-gen" };
}

function describe(text: string): string {
  return text.length <= 2048 ? text : `${text.slice(0, 2047)}…`;
}

function logUri(name: string, options: ResolvedGenOptions): string {
  // Where GlueJobHook points LogUri when s3_bucket is set.
  return `s3://${options.artifactsBucket}/logs/glue-logs/${name}`;
}

/** The `glueetl` CreateJob request that loads a table with Spark and Iceberg. */
export function loadJobRequest(table: PlannedTable, options: ResolvedGenOptions): CreateJobRequest {
  const name = loadJobName(table, options);
  const glue = table.glue;
  return {
    Name: name,
    Description: describe(`Engine load of ${table.table} (${table.spec.write.mode})${table.spec.description === undefined ? "" : `: ${table.spec.description}`}`),
    Role: options.iamRoleName,
    ExecutionProperty: { MaxConcurrentRuns: 1 },
    Command: { Name: "glueetl", ScriptLocation: artifactUrl(loadScriptKey(table), options), PythonVersion: "3" },
    MaxRetries: 0,
    LogUri: logUri(name, options),
    DefaultArguments: {
      "--TempDir": artifactUrl("temp/", options),
      "--conf": icebergSparkConf(options),
      "--datalake-formats": "iceberg",
      "--engine-catalog": options.catalogName,
      "--engine-table": table.table,
      "--job-language": "python",
    },
    GlueVersion: glue.glueVersion,
    WorkerType: glue.workerType,
    NumberOfWorkers: glue.workers,
    ExecutionClass: glue.executionClass,
    Timeout: options.loadTimeoutMinutes,
    Tags: tags(table, "load"),
  };
}

/** The `pythonshell` CreateJob request (0.0625 DPU) that runs a table's validation rules as Athena queries. */
export function validateJobRequest(table: PlannedTable, options: ResolvedGenOptions): CreateJobRequest {
  const name = validateJobName(table, options);
  return {
    Name: name,
    Description: describe(`Engine validation of ${table.table} (pre and post load rules, run as Athena queries)`),
    Role: options.iamRoleName,
    ExecutionProperty: { MaxConcurrentRuns: 1 },
    Command: { Name: "pythonshell", ScriptLocation: artifactUrl(VALIDATE_SCRIPT_KEY, options), PythonVersion: PYTHON_SHELL.pythonVersion },
    MaxRetries: 0,
    LogUri: logUri(name, options),
    DefaultArguments: {
      "--engine-athena-output": options.athenaOutputLocation,
      "--engine-athena-workgroup": options.athenaWorkgroup,
      "--engine-table": table.table,
      "--job-language": "python",
      ...options.scripts.validateArgs?.(table.spec),
    },
    GlueVersion: PYTHON_SHELL.glueVersion,
    MaxCapacity: VALIDATE_JOB_DPU,
    Timeout: options.validateTimeoutMinutes,
    Tags: tags(table, "validate"),
  };
}

/** The Glue jobs a table needs: validate always, load only on the glue engine. */
export function jobRequestsFor(table: PlannedTable, options: ResolvedGenOptions): CreateJobRequest[] {
  return table.engine === "glue" ? [loadJobRequest(table, options), validateJobRequest(table, options)] : [validateJobRequest(table, options)];
}
