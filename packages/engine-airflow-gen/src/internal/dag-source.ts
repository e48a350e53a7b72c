// The Python source of one DAG file. Layout, top to bottom: a header naming the sources, the
// imports (guarded for Airflow 2.9+ and 3.x), default_args, the DAG with one TaskGroup per system
// and one per table (pre_validate >> load >> post_validate), then the edges between tables.

import {
  jobRequestsFor,
  loadJobRequest,
  validateJobRequest,
  VALIDATE_JOB_DPU,
  type CreateJobRequest,
} from "../glue/create-job-request.js";
import type { ResolvedGenOptions } from "../options.js";
import type { ExternalDependency, PlannedGroup, PlannedTable } from "../plan/schedule-plan.js";
import { tableKey } from "./labels.js";
import { compare } from "../plan/plan-schedule.js";
import { GENERATED_HEADER } from "../write-generated.js";
import { parseStartDate } from "./start-date.js";
import { athenaWriteDeletes } from "../script/athena-load-sql.js";
import { py, pyCall, pyLiteral, pyText, type PyValue } from "./python.js";

/** The AthenaOperator tasks of an athena table, in order; each runs one statement. */
export type AthenaStep = "stage" | "delete" | "load" | "drop";

/** stage >> [delete >>] load >> drop: overwrite and replace-partitions delete before they insert. */
export function athenaSteps(table: PlannedTable): readonly AthenaStep[] {
  return athenaWriteDeletes(table.spec) ? ["stage", "delete", "load", "drop"] : ["stage", "load", "drop"];
}

/** Path (relative to the DAG file) of one Athena statement of a table. */
export function athenaSqlPath(table: PlannedTable, step: AthenaStep = "load"): string {
  return `sql/${[...table.spec.namespace, table.spec.name].join("/")}.${step}.sql`;
}

/** The full text of the DAG file of one schedule group. */
export function dagSource(group: PlannedGroup, options: ResolvedGenOptions): string {
  const out: string[] = [];
  const external = group.tables.flatMap((t) => t.external);
  const aligned = external.some((e) => e.cron !== group.cron);
  out.push(
    `${GENERATED_HEADER}: edit the sources below and regenerate.`,
    `# DAG ${group.group}, from:`,
    ...group.sources.map((s) => `#   ${s}`),
    "",
    "from __future__ import annotations",
    "",
    "import copy",
    aligned ? "from datetime import datetime, timedelta" : "from datetime import timedelta",
    "",
    "import pendulum",
    ...(aligned ? ["from croniter import croniter"] : []),
  );
  const usesAthena = group.tables.some((t) => t.engine === "athena");
  if (usesAthena) out.push("from airflow.providers.amazon.aws.operators.athena import AthenaOperator");
  out.push(
    "from airflow.providers.amazon.aws.operators.glue import GlueJobOperator",
    "",
    "try:  # Airflow 3: the Task SDK is the authoring interface.",
    "    from airflow.sdk import DAG, TaskGroup",
    "except ImportError:  # Airflow 2.9 / 2.10",
    "    from airflow.models.dag import DAG",
    "    from airflow.utils.task_group import TaskGroup",
    ...(external.length === 0 ? [] : [
      "try:  # Airflow 3",
      "    from airflow.providers.standard.sensors.external_task import ExternalTaskSensor",
      "except ImportError:  # Airflow 2",
      "    from airflow.sensors.external_task import ExternalTaskSensor",
    ]),
    "",
    `DOC_MD = ${pyText(docMd(group))}`,
    "",
    `default_args = ${pyLiteral({ owner: options.owner, retries: options.retries, retry_delay: py(`timedelta(minutes=${options.retryDelayMinutes})`) })}`,
    "",
    "# Glue CreateJob arguments per job: the jobs/<name>.json requests minus what the operator sets",
    "# and minus Tags (the operator also sends these to UpdateJob, which takes no Tags).",
    `GLUE_JOBS = ${pyLiteral(Object.fromEntries(group.tables.flatMap((t) => jobRequestsFor(t, options)).sort((a, b) => compare(a.Name, b.Name)).map((r) => [r.Name, createJobKwargs(r)])))}`,
    "",
    "",
    "def create_job_kwargs(job_name: str) -> dict:",
    "    # A fresh copy per task: GlueJobHook pops \"Command\" from the dict it is given.",
    "    return copy.deepcopy(GLUE_JOBS[job_name])",
    "",
    "",
    ...(aligned ? [
      "def latest_run_of(cron: str):",
      "    \"\"\"execution_date_fn of a sensor on a DAG with another schedule: that DAG's latest logical date <= ours.\"\"\"",
      "",
      "    def fn(logical_date, **_):",
      "        return croniter(cron, logical_date + timedelta(microseconds=1)).get_prev(datetime)",
      "",
      "    return fn",
      "",
      "",
    ] : []),
  );
  const start = parseStartDate(group.start)!;
  const systems = [...new Set(group.tables.map((t) => t.system))].sort(compare);
  out.push(
    `with ${pyCall("DAG", {
      dag_id: group.group,
      description: `Engine loads: ${group.tables.map((t) => t.table).join(", ")}`.slice(0, 1000),
      schedule: group.cron,
      start_date: py(`pendulum.datetime(${start.year}, ${start.month}, ${start.day}, ${start.hour}, ${start.minute}, tz="UTC")`),
      catchup: false,
      max_active_runs: 1,
      default_args: py("default_args"),
      tags: ["engine", ...systems.map((s) => `system:${s}`)],
      doc_md: py("DOC_MD"),
    })}:`,
  );
  for (const system of systems) {
    out.push(`    with TaskGroup(group_id=${JSON.stringify(system)}, tooltip=${JSON.stringify(`System ${system}`)}):`);
    for (const table of group.tables.filter((t) => t.system === system)) {
      const tooltip = table.spec.description ?? table.table;
      out.push(`        with TaskGroup(group_id=${JSON.stringify(table.key)}, tooltip=${JSON.stringify(tooltip)}):`);
      const indent = "            ";
      for (const up of table.external) out.push(`${indent}${table.key}_wait_${tableKey(up.table)} = ${sensorTask(up, group, options, indent)}`);
      out.push(`${indent}${table.key}_pre_validate = ${validateTask(table, "pre", options, indent)}`);
      for (const up of table.external) out.push(`${indent}${table.key}_wait_${tableKey(up.table)} >> ${table.key}_pre_validate`);
      if (table.engine === "glue") {
        out.push(`${indent}${table.key}_load = ${glueLoadTask(table, options, indent)}`);
        out.push(`${indent}${table.key}_post_validate = ${validateTask(table, "post", options, indent)}`);
        out.push(`${indent}${table.key}_pre_validate >> ${table.key}_load >> ${table.key}_post_validate`);
      } else {
        // One statement per AthenaOperator: stage >> [delete >>] load >> post_validate; the drop
        // of the staging table runs whatever happened (all_done) once the load is over.
        const steps = athenaSteps(table);
        for (const step of steps) out.push(`${indent}${table.key}_${step} = ${athenaTask(table, step, options, indent)}`);
        out.push(`${indent}${table.key}_post_validate = ${validateTask(table, "post", options, indent)}`);
        const chain = steps.filter((s) => s !== "drop").map((s) => `${table.key}_${s}`);
        out.push(`${indent}${[`${table.key}_pre_validate`, ...chain, `${table.key}_post_validate`].join(" >> ")}`);
        out.push(`${indent}${table.key}_load >> ${table.key}_drop`);
      }
    }
  }
  const edges = group.tables.flatMap((t) => t.dependsOn.map((up) => [up.split(".").join("__"), t.key] as const));
  if (edges.length > 0) {
    out.push("", "    # A table loads after the tables it depends on have loaded and passed validation.");
    for (const [up, down] of edges.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))) out.push(`    ${up}_post_validate >> ${down}_pre_validate`);
  }
  return `${out.join("\n")}\n`;
}

function docMd(group: PlannedGroup): string {
  const lines = [
    `### ${group.group}`,
    "",
    "Generated by `@engine/airflow-gen` from table specs and schedule metadata; each table runs",
    "pre-validate → load → post-validate.",
    "",
    "| table | system | engine | description |",
    "|---|---|---|---|",
    ...group.tables.map((t) => `| \`${t.table}\` | ${t.system} | ${t.engine} | ${(t.spec.description ?? "").replace(/\|/g, "\\|").replace(/\s+/g, " ")} |`),
  ];
  return lines.join("\n");
}

/**
 * create_job_kwargs: the request minus what the operator's own arguments set, and minus Tags:
 * with update_config=True the hook sends the same kwargs to UpdateJob when the job exists, and
 * UpdateJob has no Tags member (botocore rejects the call). jobs/<name>.json keeps the tags.
 */
function createJobKwargs(request: CreateJobRequest): PyValue {
  const { Name: _n, Description: _d, Role: _r, ExecutionProperty: _e, MaxRetries: _m, LogUri: _l, MaxCapacity: _c, Tags: _t, ...rest } = request;
  return rest as unknown as PyValue;
}

function awsArgs(options: ResolvedGenOptions): Record<string, PyValue | undefined> {
  return { aws_conn_id: options.awsConnId, region_name: options.region };
}

function retries(table: PlannedTable, options: ResolvedGenOptions): number | undefined {
  return table.retries === options.retries ? undefined : table.retries;
}

function glueCommon(request: CreateJobRequest, options: ResolvedGenOptions) {
  return {
    job_name: request.Name,
    job_desc: request.Description,
    script_location: request.Command.ScriptLocation,
    s3_bucket: options.artifactsBucket,
    iam_role_name: options.iamRoleName,
  };
}

/**
 * Waits for a table of another DAG: its `post_validate` task in the run whose logical date is
 * the upstream DAG's latest logical date <= ours (the same date when both DAGs share a cron).
 * Reschedule mode frees the worker slot between pokes.
 */
function sensorTask(up: ExternalDependency, group: PlannedGroup, options: ResolvedGenOptions, indent: string): string {
  return pyCall(
    "ExternalTaskSensor",
    {
      task_id: `wait_${tableKey(up.table)}`,
      external_dag_id: up.group,
      external_task_id: up.taskId,
      execution_date_fn: up.cron === group.cron ? undefined : py(`latest_run_of(${JSON.stringify(up.cron)})`),
      allowed_states: ["success"],
      failed_states: ["failed", "upstream_failed"],
      check_existence: true,
      mode: "reschedule",
      poke_interval: 300,
      timeout: options.externalWaitMinutes * 60,
      doc_md: `Waits for ${up.table} (DAG ${up.group}) to load and pass validation.`,
    },
    indent,
  );
}

function validateTask(table: PlannedTable, phase: "pre" | "post", options: ResolvedGenOptions, indent: string): string {
  const request = validateJobRequest(table, options);
  return pyCall(
    "GlueJobOperator",
    {
      task_id: `${phase}_validate`,
      ...glueCommon(request, options),
      script_args: { "--engine-phase": phase, "--engine-logical-date": "{{ ds }}" },
      // The hook sets MaxCapacity from num_of_dpus (default 10) whenever no WorkerType is given.
      num_of_dpus: VALIDATE_JOB_DPU,
      create_job_kwargs: py(`create_job_kwargs(${JSON.stringify(request.Name)})`),
      update_config: true,
      wait_for_completion: true,
      verbose: false,
      ...awsArgs(options),
      retries: retries(table, options),
    },
    indent,
  );
}

function glueLoadTask(table: PlannedTable, options: ResolvedGenOptions, indent: string): string {
  const request = loadJobRequest(table, options);
  return pyCall(
    "GlueJobOperator",
    {
      task_id: "load",
      ...glueCommon(request, options),
      script_args: { "--engine-logical-date": "{{ ds }}" },
      create_job_kwargs: py(`create_job_kwargs(${JSON.stringify(request.Name)})`),
      update_config: true,
      wait_for_completion: true,
      verbose: false,
      ...awsArgs(options),
      retries: retries(table, options),
      doc_md: table.spec.description,
    },
    indent,
  );
}

const ATHENA_STEP_DOC: Readonly<Record<AthenaStep, string>> = {
  stage: "Creates the run's external staging table over the source files in S3.",
  delete: "Deletes the rows the load replaces.",
  load: "Writes the Iceberg table from the staging table.",
  drop: "Drops the run's staging table (the source files stay).",
};

function athenaTask(table: PlannedTable, step: AthenaStep, options: ResolvedGenOptions, indent: string): string {
  return pyCall(
    "AthenaOperator",
    {
      task_id: step,
      // A .sql path is rendered from the file next to this DAG (AthenaOperator.template_ext).
      query: athenaSqlPath(table, step),
      database: table.spec.namespace.join("."),
      output_location: options.athenaOutputLocation,
      workgroup: options.athenaWorkgroup,
      ...awsArgs(options),
      ...(step === "drop" ? { trigger_rule: "all_done" } : {}),
      retries: retries(table, options),
      doc_md: step === "load" ? (table.spec.description ?? ATHENA_STEP_DOC.load) : ATHENA_STEP_DOC[step],
    },
    indent,
  );
}
