// examples/airflow is exactly what the generators make of examples/specs today.

import { describe, expect, it } from "vitest";
import { EXAMPLES_AIRFLOW, exampleFiles, listRelative, readExample, writeExamples } from "./util/examples.js";

describe("examples/airflow", () => {
  it("regenerates byte for byte from examples/specs (UPDATE_GOLDEN=1 rewrites it)", () => {
    const files = exampleFiles();
    if (process.env["UPDATE_GOLDEN"] === "1") writeExamples(files);
    expect(listRelative(EXAMPLES_AIRFLOW)).toEqual(files.map((f) => f.path).sort());
    for (const f of files) expect(f.content, `examples/airflow/${f.path}`).toBe(readExample(f.path));
  });

  it("waits for sales.customers of sales_daily in web_hourly, at sales_daily's latest logical date <= its own", () => {
    const web = exampleFiles().find((f) => f.path === "dags/web_hourly.py")!.content;
    expect(web).toContain('external_dag_id="sales_daily",');
    expect(web).toContain('external_task_id="crm.sales__customers.post_validate",');
    expect(web).toContain('execution_date_fn=latest_run_of("0 17 * * *"),');
  });
});
