import { describe, expect, it } from "vitest";
import { parseSpec } from "@engine/core";
import { engineScripts, generateAirflow, parseIngestionCsv, parseScheduleCsv, type GenInput } from "../src/index.js";
import { specsOnlyInput, withCsvInput } from "./util/fixtures.js";
import { expectGolden, OPTIONS } from "./util/golden.js";

const dag = (input: GenInput, group: string): string => {
  const file = generateAirflow(input).files.find((f) => f.path === `${group}.py`);
  if (file === undefined) throw new Error(`no DAG ${group}`);
  return file.content;
};

describe("generateAirflow", () => {
  it("matches the golden DAGs for specs with schedule sections", () => {
    expectGolden("specs-only/airflow", generateAirflow(specsOnlyInput()).files);
  });

  it("matches the golden DAGs for specs plus schedule and ingestion CSVs", () => {
    expectGolden("with-csv/airflow", generateAirflow(withCsvInput()).files);
  });

  it("takes the cron and start from the schedule CSV over the spec", () => {
    const text = dag(withCsvInput(), "sales_daily");
    expect(text).toContain('schedule="0 18 * * *",');
    expect(dag(specsOnlyInput(), "sales_daily")).toContain('schedule="0 17 * * *",');
  });

  it("changes the DAG when a CSV cron changes, not the code", () => {
    const input = withCsvInput();
    const schedule = input.schedule!.map((row) => (row.group === "web_hourly" ? { ...row, cron: "15 * * * *" } : row));
    expect(dag(input, "web_hourly")).toContain('schedule="5 * * * *",');
    expect(dag({ ...input, schedule }, "web_hourly")).toContain('schedule="15 * * * *",');
  });

  it("adds a table's tasks when an ingestion row is added and drops them when it is disabled", () => {
    const base = withCsvInput();
    const text = (csv: string) => dag({ ...base, ingestion: parseIngestionCsv(csv, { file: "i.csv" }) }, "sales_daily");
    const head = "SYSTEM,DB_NAME,TABLE_NAME,ENABLED\n";
    const one = text(`${head}crm,sales,customers,Y\n`);
    expect(one).toContain("sales__customers_load = GlueJobOperator(");
    expect(one).not.toContain("sales__orders_load");
    const two = text(`${head}crm,sales,customers,Y\nerp,sales,orders,Y\n`);
    expect(two).toContain("sales__orders_load = GlueJobOperator(");
    expect(text(`${head}crm,sales,customers,Y\nerp,sales,orders,N\n`)).toBe(one);
  });

  it("moves a table to another DAG when its schedule row names another group", () => {
    const base = withCsvInput();
    const schedule = base.schedule!.map((r) => (r.system === "web" ? { ...r, group: "web_daily", cron: "0 6 * * *" } : r));
    const paths = generateAirflow({ ...base, schedule }).files.map((f) => f.path);
    expect(paths).toEqual(["finance_monthly.py", "sales_daily.py", "web_daily.py"]);
    expect(dag({ ...base, schedule }, "web_daily")).toContain('web__events_load = AthenaOperator(');
    // orders depends on customers: moving only erp to another DAG makes it wait for customers there.
    const split = base.schedule!.map((r) => (r.system === "erp" ? { ...r, group: "erp_daily", cron: "0 6 * * *" } : r));
    const erp = dag({ ...base, schedule: split }, "erp_daily");
    expect(erp).toContain("sales__orders_wait_sales__customers = ExternalTaskSensor(");
    expect(erp).toContain('external_dag_id="sales_daily",');
    expect(erp).toContain('external_task_id="crm.sales__customers.post_validate",');
    expect(erp).toContain('execution_date_fn=latest_run_of("0 18 * * *"),');
    expect(erp).toContain('mode="reschedule",');
    expect(erp).toContain("sales__orders_wait_sales__customers >> sales__orders_pre_validate");
    const sameCron = dag({ ...base, schedule: base.schedule!.map((r) => (r.system === "erp" ? { ...r, group: "erp_daily" } : r)) }, "erp_daily");
    expect(sameCron).not.toContain("execution_date_fn");
  });

  it("writes the same bytes for the same input, whatever the order of specs and rows", () => {
    const input = withCsvInput();
    const first = generateAirflow(input).files;
    expect(generateAirflow(withCsvInput()).files).toEqual(first);
    const shuffled: GenInput = { ...input, specs: [...input.specs].reverse(), schedule: [...input.schedule!].reverse(), ingestion: [...input.ingestion!].reverse() };
    expect(generateAirflow(shuffled).files).toEqual(first);
  });

  it("emits the Athena load statement next to the DAG only when a ScriptProvider supplies it", () => {
    const input = specsOnlyInput();
    expect(generateAirflow(input).files.map((f) => f.path)).toEqual(["sales_daily.py", "web_hourly.py"]);
    const withSql = generateAirflow({ ...input, options: { ...OPTIONS, scripts: { athenaLoadSql: (spec) => ({ stage: `-- stage ${spec.table}\n`, delete: "-- delete\n", load: "-- load\n", drop: "-- drop\n" }) } } });
    expect(withSql.files.map((f) => f.path)).toEqual(["sales_daily.py", "sql/web/events.delete.sql", "sql/web/events.drop.sql", "sql/web/events.load.sql", "sql/web/events.stage.sql", "web_hourly.py"]);
  });

  it("compiles the Athena statements of athena tables with engineScripts (one file per AthenaOperator)", () => {
    const files = generateAirflow({ ...specsOnlyInput(), options: { ...OPTIONS, scripts: engineScripts() } }).files.filter((f) => f.path.startsWith("sql/"));
    expectGolden("athena-sql", files);
    const sql = Object.fromEntries(files.map((f) => [f.path, f.content]));
    expect(sql["sql/web/events.stage.sql"]).toContain("CREATE EXTERNAL TABLE `web`.`engine_stg_events_{{ ts_nodash | lower }}`");
    expect(sql["sql/web/events.stage.sql"]).toContain("LOCATION 's3://landing/web/events/'");
    expect(sql["sql/web/events.delete.sql"]).toMatch(/^DELETE FROM "web"."events" WHERE date_trunc\('day', "event_ts"\) IN/);
    expect(sql["sql/web/events.load.sql"]).toMatch(/^INSERT INTO "web"."events"/);
    expect(sql["sql/web/events.drop.sql"]).toBe("DROP TABLE IF EXISTS `web`.`engine_stg_events_{{ ts_nodash | lower }}`\n");
    for (const f of files) expect(f.content.trimEnd()).not.toMatch(/;/);
  });

  it("fills {date} of an athena source path from the run's logical date and protects other Jinja-like text", () => {
    const spec = parseSpec({
      table: "web.clicks", source: { format: "csv", path: "s3://landing/clicks/{date}/part-*.csv", options: { header: true } },
      columns: [{ name: "id", type: "long" }, { name: "note", type: "string", from: "'{{x}}'" }], write: { mode: "append" },
      schedule: { group: "g", cron: "0 1 * * *", start: "2024-01-01" }, engine: "athena",
    }, { params: "defer" });
    const files = generateAirflow({ specs: [spec], options: { ...OPTIONS, scripts: engineScripts() } }).files;
    expect(files.map((f) => f.path)).toEqual(["g.py", "sql/web/clicks.drop.sql", "sql/web/clicks.load.sql", "sql/web/clicks.stage.sql"]);
    expect(files.find((f) => f.path === "sql/web/clicks.stage.sql")!.content).toContain("LOCATION 's3://landing/clicks/{{ ds }}/'");
    expect(files.find((f) => f.path === "sql/web/clicks.load.sql")!.content).toContain("{% raw %}");
    const dag = files.find((f) => f.path === "g.py")!.content;
    expect(dag).toContain("web__clicks_pre_validate >> web__clicks_stage >> web__clicks_load >> web__clicks_post_validate");
    expect(dag).toContain("web__clicks_load >> web__clicks_drop");
    expect(dag).toContain('trigger_rule="all_done"');
  });
});
