// A generated DAG runs end to end with Airflow's dag.test() against moto server's AWS: every
// GlueJobOperator creates its job (CreateJob from the generated kwargs, the IAM role looked up
// in moto), starts a run and polls it to SUCCEEDED. moto does not execute the scripts (its job
// runs move STARTING -> RUNNING -> SUCCEEDED by themselves), so this proves the DAG's wiring
// with the AWS APIs, not the scripts: glue-script.interop.test.ts runs those in Spark. The
// validate job of each table runs twice (pre, post): the second run updates the existing job
// (update_config=True), which failed while create_job_kwargs carried Tags (UpdateJob has none).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSpec } from "@engine/core";
import { engineScripts, generateAirflow, writeGenerated } from "../src/index.js";
import { motoPeer, peerSkipped, runAirflowPython, uniqueName } from "../../../test/util/peers.js";

const skip = peerSkipped("airflow") || peerSkipped("moto");

describe.skipIf(skip)("a generated DAG in dag.test() against moto", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("creates, starts and waits for every Glue job of the DAG, in dependency order", async () => {
    const moto = await motoPeer();
    const group = uniqueName("e2e");
    const schedule = (dependsOn: string[]) => ({ group, cron: "0 2 * * *", start: "2024-01-01", system: "shop", dependsOn });
    const column = { name: "id", type: "long", required: true };
    const specs = [
      parseSpec({ table: "shop.customers", source: { format: "json", path: "s3://landing/customers/{date}/*.ndjson" }, columns: [column], key: ["id"], write: { mode: "merge" }, validate: [{ unique: ["id"] }], schedule: schedule([]), engine: "glue" }, { params: "defer" }),
      parseSpec({ table: "shop.orders", source: { format: "csv", path: "s3://landing/orders/*.csv" }, columns: [column], write: { mode: "append" }, validate: [{ rowCount: { min: 1 } }], schedule: schedule(["shop.customers"]), engine: "glue" }, { params: "defer" }),
    ];
    const dir = mkdtempSync(join(tmpdir(), "engine-dagrun-"));
    dirs.push(dir);
    const bucket = uniqueName("art").replace(/_/g, "-");
    writeGenerated(dir, generateAirflow({ specs, options: { artifactsBucket: bucket, iamRoleName: "EngineGlueRole", warehouse: "s3://lake/wh", region: moto.region, scripts: engineScripts() } }).files);
    const connection = JSON.stringify({ conn_type: "aws", login: moto.accessKeyId, password: moto.secretAccessKey, extra: { endpoint_url: moto.endpoint, region_name: moto.region } });
    const report = await runAirflowPython<{ state: string; tasks: Record<string, string>; order: string[]; jobs: Record<string, { command: string; runs: string[]; args: Record<string, string> }> }>(
      `
import boto3, json, pendulum
from airflow.models import DagBag
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

iam = boto3.client("iam")
try:
    iam.create_role(RoleName="EngineGlueRole", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
except iam.exceptions.EntityAlreadyExistsException:
    pass
bag = DagBag(dag_folder=args["folder"], include_examples=False)
assert not bag.import_errors, bag.import_errors
dag = bag.get_dag(args["dag"])
for task in dag.tasks:
    task.retries = 0  # fail now rather than wait for a retry
    if isinstance(task, GlueJobOperator):
        task.job_poll_interval = 1  # moto's runs finish after a few polls
run = dag.test(execution_date=pendulum.datetime(2024, 1, 5, 2, tz="UTC"))
tis = sorted(run.get_task_instances(), key=lambda ti: (ti.end_date, ti.task_id))
glue = boto3.client("glue")
jobs = {}
for ti in tis:
    task = dag.get_task(ti.task_id)
    name = task.job_name
    job = glue.get_job(JobName=name)["Job"]
    runs = glue.get_job_runs(JobName=name)["JobRuns"]
    jobs[name] = {"command": job["Command"]["Name"], "runs": [r["JobRunState"] for r in runs], "args": job["DefaultArguments"]}
result = {"state": run.state, "tasks": {ti.task_id: ti.state for ti in tis}, "order": [ti.task_id for ti in tis], "jobs": jobs}
`,
      { folder: dir, dag: group },
      { env: { ...moto.env, AIRFLOW_CONN_AWS_DEFAULT: connection }, timeoutMs: 600_000 },
    );
    expect(report.state).toBe("success");
    expect(Object.values(report.tasks).every((s) => s === "success")).toBe(true);
    expect(report.order).toEqual([
      "shop.shop__customers.pre_validate", "shop.shop__customers.load", "shop.shop__customers.post_validate",
      "shop.shop__orders.pre_validate", "shop.shop__orders.load", "shop.shop__orders.post_validate",
    ]);
    expect(report.jobs["engine-load-shop__orders"]).toMatchObject({ command: "glueetl" });
    expect(report.jobs["engine-validate-shop__orders"]!.command).toBe("pythonshell");
    // Pre and post validation ran the validate job twice; the checks travel as a job argument.
    expect(report.jobs["engine-validate-shop__orders"]!.runs).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(JSON.parse(report.jobs["engine-validate-shop__orders"]!.args["--engine-checks"]!)).toMatchObject([{ label: "rowCount", phase: "post" }]);
  }, 900_000);
});
