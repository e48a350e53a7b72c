// `engine gen airflow` and `engine gen glue`, added to engine-core's commander program.

import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { loadSpec, type TableSpec } from "@engine/core";
import { generateAirflow } from "../airflow/generate-airflow.js";
import { GenError } from "../errors.js";
import { generateGlueJobs } from "../glue/generate-glue-jobs.js";
import type { GlueVersion } from "../glue/glue-settings.js";
import { loadSpecsFromDir } from "../load-specs-from-dir.js";
import { readIngestionCsv, type IngestionRow } from "../metadata/ingestion-row.js";
import { readScheduleCsv } from "../metadata/schedule-row.js";
import type { GenOptions } from "../options.js";
import type { GenInput } from "../plan/plan-schedule.js";
import { writeGenerated } from "../write-generated.js";
import { engineScripts } from "../script/engine-scripts.js";

interface GenCliOptions {
  specs?: string;
  schedule?: string;
  ingestion?: string;
  out: string;
  bucket?: string;
  role?: string;
  warehouse?: string;
  region?: string;
  glueVersion?: string;
  executionClass?: string;
  sizeThreshold?: string;
}

/**
 * Adds `gen airflow` and `gen glue` to a commander program (engine-core's CLI imports this lazily).
 *
 * ```ts
 * registerGenCommands(program); // engine gen airflow --specs specs --schedule meta/schedule.csv --out dags
 * ```
 */
export function registerGenCommands(program: Command, io: { stdout(text: string): void } = { stdout: (t) => void process.stdout.write(t) }): Command {
  const gen = program.command("gen").description("generate Airflow DAGs and Glue job definitions from specs and schedule metadata");
  const common = (command: Command): Command =>
    command
      .option("--specs <dir>", "folder of table specs (YAML or JSON)")
      .option("--schedule <csv>", "schedule metadata CSV (SYSTEM, DB_NAME, SCHEDULE_GROUP, DAG_START_DATE, DAG_SCHEDULE)")
      .option("--ingestion <csv>", "ingestion metadata CSV (SYSTEM, DB_NAME, TABLE_NAME, …): the tables to schedule")
      .requiredOption("--out <dir>", "output folder")
      .option("--bucket <name>", "S3 bucket for scripts, logs and temp files (or ENGINE_ARTIFACTS_BUCKET)")
      .option("--role <name>", "IAM role name of the Glue jobs (or ENGINE_GLUE_ROLE)")
      .option("--warehouse <url>", "Iceberg warehouse s3:// URL (or ENGINE_WAREHOUSE)")
      .option("--region <region>", "AWS region of the jobs")
      .option("--glue-version <version>", "default Glue version of load jobs: 4.0 or 5.0")
      .option("--execution-class <class>", "default execution class of load jobs: STANDARD or FLEX")
      .option("--size-threshold <size>", 'size hint above which loads get more workers (default "10GB")');

  common(gen.command("airflow").description("write one Airflow DAG file per schedule group")).action((options: GenCliOptions) => {
    report(io, options.out, writeGenerated(options.out, generateAirflow(cliInput(options)).files));
  });
  common(gen.command("glue").description("write Glue CreateJob requests (JSON) for every scheduled table")).action((options: GenCliOptions) => {
    report(io, options.out, writeGenerated(options.out, generateGlueJobs(cliInput(options)).files));
  });
  return gen;
}

function report(io: { stdout(text: string): void }, out: string, result: { written: readonly string[]; removed: readonly string[] }): void {
  const lines = [...result.written.map((p) => `wrote ${out}/${p}`), ...result.removed.map((p) => `removed ${out}/${p}`)];
  io.stdout(`${lines.join("\n")}\n`);
}

function cliInput(options: GenCliOptions): GenInput {
  const ingestion: IngestionRow[] | undefined = options.ingestion === undefined ? undefined : readIngestionCsv(options.ingestion);
  if (options.specs === undefined && !(ingestion ?? []).some((row) => row.specPath !== undefined)) {
    throw new GenError("GEN_INPUT_INVALID", "gen: --specs: expected a folder of specs (or SPEC_PATH in the ingestion CSV), got none", {});
  }
  const specs: TableSpec[] = options.specs === undefined ? [] : loadSpecsFromDir(options.specs);
  const loaded = new Set(specs.map((s) => s.file));
  for (const row of ingestion ?? []) {
    if (row.specPath === undefined || !row.enabled) continue;
    const path = resolve(dirname(options.ingestion!), row.specPath);
    if (loaded.has(path)) continue;
    const spec = loadSpec(path, { params: "defer" });
    if (specs.some((s) => s.table === spec.table)) continue;
    specs.push(spec);
    loaded.add(path);
  }
  const required = (flag: string, value: string | undefined, envName: string, what: string): string => {
    const given = value ?? process.env[envName];
    if (given === undefined || given === "") throw new GenError("GEN_INPUT_INVALID", `gen: ${flag}: expected ${what} (or ${envName}), got none`, { context: { option: flag } });
    return given;
  };
  const genOptions: GenOptions = {
    artifactsBucket: required("--bucket", options.bucket, "ENGINE_ARTIFACTS_BUCKET", "an S3 bucket name"),
    iamRoleName: required("--role", options.role, "ENGINE_GLUE_ROLE", "an IAM role name"),
    warehouse: required("--warehouse", options.warehouse, "ENGINE_WAREHOUSE", "an s3:// warehouse URL"),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.glueVersion === undefined ? {} : { glueVersion: options.glueVersion as GlueVersion }),
    ...(options.executionClass === undefined ? {} : { executionClass: options.executionClass.toUpperCase() as "FLEX" | "STANDARD" }),
    ...(options.sizeThreshold === undefined ? {} : { sizeThreshold: options.sizeThreshold }),
    // The load and validate scripts compiled by engine-core (scripts/…), beside the job definitions.
    scripts: engineScripts(),
  };
  return {
    specs,
    ...(options.schedule === undefined ? {} : { schedule: readScheduleCsv(options.schedule) }),
    ...(ingestion === undefined ? {} : { ingestion }),
    options: genOptions,
  };
}
