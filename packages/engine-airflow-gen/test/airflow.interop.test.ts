// Real Airflow (scripts/peers/airflow.sh: Airflow 2.10 + Amazon provider) imports the generated
// DAGs with DagBag; every assertion is on what Airflow reports.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAirflow, generateGlueJobs, writeGenerated, type CreateJobRequest, type GenInput } from "../src/index.js";
import { specsOnlyInput, withCsvInput } from "./util/fixtures.js";
import { EXAMPLES_AIRFLOW } from "./util/examples.js";
import { installPeer, peerSkipped, runPythonCheck } from "./util/python-peer.js";

interface TaskReport {
  operator: string;
  downstream: string[];
  retries: number;
  retry_delay_seconds: number;
  job_name?: string;
  wait_for_completion?: boolean;
  script_args?: Record<string, string>;
  create_job_config?: Record<string, unknown>;
  query?: string;
  database?: string;
  trigger_rule?: string;
  external_dag_id?: string;
  external_task_ids?: string[];
  mode?: string;
  waits_for_sample?: string;
}
interface DagReport {
  schedule: string;
  start_date: string;
  timezone: string;
  catchup: boolean;
  max_active_runs: number;
  tags: string[];
  has_doc_md: boolean;
  tasks: Record<string, TaskReport>;
}
interface BagReport {
  airflow: string;
  import_errors: Record<string, string>;
  dags: Record<string, DagReport>;
}

const skip = peerSkipped("airflow");

describe.skipIf(skip)("generated DAGs in Airflow's DagBag", () => {
  let peer: Record<string, string>;
  const dirs: string[] = [];
  beforeAll(async () => {
    peer = await installPeer("airflow");
  }, 3_600_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function bag(input: GenInput): Promise<{ report: BagReport; jobs: Map<string, CreateJobRequest> }> {
    const dir = mkdtempSync(join(tmpdir(), "engine-dags-"));
    dirs.push(dir);
    writeGenerated(join(dir, "dags"), generateAirflow(input).files);
    writeGenerated(join(dir, "glue"), generateGlueJobs(input).files);
    const report = await runPythonCheck<BagReport>(peer["python"]!, "dagbag_check.py", [join(dir, "dags")], {
      AIRFLOW_HOME: peer["home"]!,
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      AIRFLOW__CORE__DAGS_FOLDER: join(dir, "dags"),
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: peer["sqlAlchemyConn"]!,
    });
    const jobs = new Map<string, CreateJobRequest>();
    for (const file of generateGlueJobs(input).files) if (file.path.startsWith("jobs/")) {
      const request = JSON.parse(readFileSync(join(dir, "glue", file.path), "utf8")) as CreateJobRequest;
      jobs.set(request.Name, request);
    }
    return { report, jobs };
  }

  it("imports the spec-only DAGs with zero errors and the schedules, start dates and tasks of the specs", async () => {
    const { report } = await bag(specsOnlyInput());
    expect(report.import_errors).toEqual({});
    expect(Object.keys(report.dags)).toEqual(["sales_daily", "web_hourly"]);
    const sales = report.dags["sales_daily"]!;
    expect(sales).toMatchObject({ schedule: "0 17 * * *", start_date: "2024-01-01T00:00:00+00:00", timezone: "UTC", catchup: false, max_active_runs: 1, has_doc_md: true });
    expect(sales.tags).toEqual(["engine", "system:crm", "system:erp"]);
    expect(Object.keys(sales.tasks)).toEqual([
      "crm.sales__customers.load",
      "crm.sales__customers.post_validate",
      "crm.sales__customers.pre_validate",
      "erp.sales__orders.load",
      "erp.sales__orders.post_validate",
      "erp.sales__orders.pre_validate",
    ]);
    expect(report.dags["web_hourly"]).toMatchObject({ schedule: "5 * * * *", start_date: "2024-03-01T06:30:00+00:00" });
    expect(report.dags["web_hourly"]!.tasks["web.web__events.load"]).toMatchObject({ operator: "AthenaOperator", query: "sql/web/events.load.sql", database: "web" });
    // One statement per AthenaOperator: stage >> delete >> load >> post_validate, and the drop of the staging table after the load, whatever happened.
    const web = report.dags["web_hourly"]!.tasks;
    expect(Object.keys(web)).toEqual(["web.web__events.delete", "web.web__events.drop", "web.web__events.load", "web.web__events.post_validate", "web.web__events.pre_validate", "web.web__events.stage"]);
    expect(web["web.web__events.pre_validate"]!.downstream).toEqual(["web.web__events.stage"]);
    expect(web["web.web__events.stage"]).toMatchObject({ operator: "AthenaOperator", query: "sql/web/events.stage.sql", downstream: ["web.web__events.delete"] });
    expect(web["web.web__events.delete"]).toMatchObject({ query: "sql/web/events.delete.sql", downstream: ["web.web__events.load"] });
    expect(web["web.web__events.load"]!.downstream).toEqual(["web.web__events.drop", "web.web__events.post_validate"]);
    expect(web["web.web__events.drop"]).toMatchObject({ query: "sql/web/events.drop.sql", trigger_rule: "all_done", downstream: [] });
  });

  it("chains pre_validate >> load >> post_validate and orders tables by dependsOn", async () => {
    const { report } = await bag(specsOnlyInput());
    const t = report.dags["sales_daily"]!.tasks;
    expect(t["crm.sales__customers.pre_validate"]!.downstream).toEqual(["crm.sales__customers.load"]);
    expect(t["crm.sales__customers.load"]!.downstream).toEqual(["crm.sales__customers.post_validate"]);
    expect(t["crm.sales__customers.post_validate"]!.downstream).toEqual(["erp.sales__orders.pre_validate"]);
    expect(t["erp.sales__orders.post_validate"]!.downstream).toEqual([]);
    expect(t["crm.sales__customers.load"]).toMatchObject({ operator: "GlueJobOperator", retries: 2, retry_delay_seconds: 300, wait_for_completion: true });
    expect(t["erp.sales__orders.load"]!.retries).toBe(3);
  });

  it("has each GlueJobOperator create exactly the CreateJob request of jobs/<name>.json", async () => {
    for (const input of [specsOnlyInput(), withCsvInput()]) {
      const { report, jobs } = await bag(input);
      expect(report.import_errors).toEqual({});
      const glueTasks = Object.values(report.dags).flatMap((d) => Object.values(d.tasks)).filter((t) => t.operator === "GlueJobOperator");
      expect(glueTasks.length).toBeGreaterThan(0);
      for (const task of glueTasks) {
        const request = jobs.get(task.job_name!)!;
        expect(request, task.job_name).toBeDefined();
        const { Tags: _tags, ...withoutTags } = request;
        expect(task.create_job_config).toEqual({ ...withoutTags, Role: `arn:aws:iam::123456789012:role/${request.Role}` });
      }
    }
  });

  it("imports the committed examples/airflow DAGs, whose cross-DAG sensor waits for the upstream's latest run <= ours", async () => {
    const report = await runPythonCheck<BagReport>(peer["python"]!, "dagbag_check.py", [join(EXAMPLES_AIRFLOW, "dags")], {
      AIRFLOW_HOME: peer["home"]!,
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      AIRFLOW__CORE__DAGS_FOLDER: join(EXAMPLES_AIRFLOW, "dags"),
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: peer["sqlAlchemyConn"]!,
    });
    expect(report.import_errors).toEqual({});
    expect(Object.keys(report.dags)).toEqual(["sales_daily", "web_hourly"]);
    const web = report.dags["web_hourly"]!.tasks;
    expect(web["web.web__events.wait_sales__customers"]).toMatchObject({
      operator: "ExternalTaskSensor", external_dag_id: "sales_daily", external_task_ids: ["crm.sales__customers.post_validate"], mode: "reschedule",
      downstream: ["web.web__events.pre_validate"],
      // Ours: 2024-01-02 10:05 (hourly at :05); sales_daily runs at 17:00, so its latest logical date <= ours is the day before.
      waits_for_sample: "2024-01-01T17:00:00+00:00",
    });
    expect(Object.keys(report.dags["sales_daily"]!.tasks)).toContain("crm.sales__customers.post_validate");
  });

  it("follows the CSVs: their crons, start dates, groups and tables", async () => {
    const { report } = await bag(withCsvInput());
    expect(report.import_errors).toEqual({});
    expect(Object.keys(report.dags)).toEqual(["finance_monthly", "sales_daily", "web_hourly"]);
    expect(report.dags["sales_daily"]!.schedule).toBe("0 18 * * *");
    expect(report.dags["finance_monthly"]).toMatchObject({ schedule: "0 3 1 * *", start_date: "2024-01-01T00:00:00+00:00" });
    expect(Object.keys(report.dags["finance_monthly"]!.tasks)).toEqual(["fin.finance__ledger.load", "fin.finance__ledger.post_validate", "fin.finance__ledger.pre_validate"]);
    expect(report.dags["sales_daily"]!.tasks["erp.sales__orders.load"]!.retries).toBe(4);
  });
});
