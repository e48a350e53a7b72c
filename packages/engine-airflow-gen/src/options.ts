// Options shared by the Airflow and Glue generators.

import { parseByteSize } from "@engine/core";
import { GenError } from "./errors.js";
import { GLUE_VERSIONS, type GlueVersion } from "./glue/glue-settings.js";
import type { ScriptProvider } from "./script/script-provider.js";

/** Where and how the generated jobs run; only the bucket, role and warehouse have no default. */
export interface GenOptions {
  /** S3 bucket for scripts, Glue logs and temp files (a bucket name, no s3://). */
  readonly artifactsBucket: string;
  /** IAM role name the Glue jobs assume. */
  readonly iamRoleName: string;
  /** Iceberg warehouse URL, s3://bucket/prefix. */
  readonly warehouse: string;
  /** AWS region; when absent the Airflow connection's region is used. */
  readonly region?: string;
  /** Airflow AWS connection id (default "aws_default"). */
  readonly awsConnId?: string;
  /** Key prefix inside the artifacts bucket (default "engine"). */
  readonly prefix?: string;
  /** Prefix of Glue job names (default "engine"). */
  readonly jobNamePrefix?: string;
  /** Spark catalog name of the Iceberg Glue catalog (default "glue_catalog"). */
  readonly catalogName?: string;
  /** Default Glue version of load jobs (default "5.0"). */
  readonly glueVersion?: GlueVersion;
  /** Default execution class of load jobs (default "STANDARD"). */
  readonly executionClass?: "FLEX" | "STANDARD";
  /** Size hint above which a load gets more than the smallest capacity (default "10GB"). */
  readonly sizeThreshold?: string | number;
  /** Airflow retries of every task unless a table says otherwise (default 2). */
  readonly retries?: number;
  /** Minutes between Airflow retries (default 5). */
  readonly retryDelayMinutes?: number;
  /** Glue timeout of load jobs in minutes (default 120). */
  readonly loadTimeoutMinutes?: number;
  /** Glue timeout of validate jobs in minutes (default 30). */
  readonly validateTimeoutMinutes?: number;
  /** How long an ExternalTaskSensor waits for a table in another DAG, in minutes (default 720). */
  readonly externalWaitMinutes?: number;
  /** Athena query result location (default s3://<bucket>/<prefix>/athena-results/). */
  readonly athenaOutputLocation?: string;
  /** Athena workgroup (default "primary"). */
  readonly athenaWorkgroup?: string;
  /** DAG owner (default "engine"). */
  readonly owner?: string;
  /** Folder that file names in generated headers are relative to (default the current directory). */
  readonly baseDir?: string;
  /** Supplies load and validate scripts; without it no script files are emitted. */
  readonly scripts?: ScriptProvider;
}

/** GenOptions with every default filled in. */
export interface ResolvedGenOptions extends Required<Omit<GenOptions, "region" | "scripts" | "sizeThreshold">> {
  readonly region: string | undefined;
  readonly scripts: ScriptProvider;
  readonly sizeThresholdBytes: number;
}

/** Fills in defaults and checks the options that have none. */
export function resolveGenOptions(options: GenOptions): ResolvedGenOptions {
  const bad = (name: string, expected: string, got: unknown) =>
    new GenError("GEN_OPTIONS_INVALID", `gen: options.${name}: expected ${expected}, got ${JSON.stringify(got)}`, { context: { option: name } });
  if (typeof options.artifactsBucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.artifactsBucket)) {
    throw bad("artifactsBucket", "an S3 bucket name (no s3://)", options.artifactsBucket);
  }
  if (typeof options.iamRoleName !== "string" || options.iamRoleName === "") throw bad("iamRoleName", "an IAM role name", options.iamRoleName);
  if (typeof options.warehouse !== "string" || !/^s3a?:\/\/[^/]+/.test(options.warehouse)) throw bad("warehouse", "an s3:// URL", options.warehouse);
  const threshold = parseByteSize(options.sizeThreshold ?? "10GB");
  if (threshold === undefined) throw bad("sizeThreshold", 'a byte size like "10GB"', options.sizeThreshold);
  if (options.glueVersion !== undefined && !(GLUE_VERSIONS as readonly string[]).includes(options.glueVersion)) throw bad("glueVersion", GLUE_VERSIONS.join(" or "), options.glueVersion);
  if (options.executionClass !== undefined && options.executionClass !== "FLEX" && options.executionClass !== "STANDARD") throw bad("executionClass", "FLEX or STANDARD", options.executionClass);
  const prefix = (options.prefix ?? "engine").replace(/^\/+|\/+$/g, "");
  return {
    artifactsBucket: options.artifactsBucket,
    iamRoleName: options.iamRoleName,
    warehouse: options.warehouse.endsWith("/") ? options.warehouse : `${options.warehouse}/`,
    region: options.region,
    awsConnId: options.awsConnId ?? "aws_default",
    prefix,
    jobNamePrefix: options.jobNamePrefix ?? "engine",
    catalogName: options.catalogName ?? "glue_catalog",
    glueVersion: options.glueVersion ?? "5.0",
    executionClass: options.executionClass ?? "STANDARD",
    sizeThresholdBytes: threshold,
    retries: options.retries ?? 2,
    retryDelayMinutes: options.retryDelayMinutes ?? 5,
    loadTimeoutMinutes: options.loadTimeoutMinutes ?? 120,
    validateTimeoutMinutes: options.validateTimeoutMinutes ?? 30,
    externalWaitMinutes: options.externalWaitMinutes ?? 720,
    athenaOutputLocation: options.athenaOutputLocation ?? `s3://${options.artifactsBucket}/${prefix}/athena-results/`,
    athenaWorkgroup: options.athenaWorkgroup ?? "primary",
    owner: options.owner ?? "engine",
    baseDir: options.baseDir ?? process.cwd(),
    scripts: options.scripts ?? {},
  };
}
