// The Glue scripts compiled from specs, one golden per write mode, plus the validate job wiring.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engineScripts, generateGlueJobs, loadSpecsFromDir, type GenInput } from "../src/index.js";
import { expectGolden, FIXTURES, OPTIONS } from "./util/golden.js";

const input = (): GenInput => ({ specs: loadSpecsFromDir(join(FIXTURES, "script-specs")), options: { ...OPTIONS, scripts: engineScripts() } });

describe("Glue load scripts", () => {
  it("matches the golden scripts and jobs (append, merge, replace-partitions, overwrite)", () => {
    expectGolden("scripts", generateGlueJobs(input()).files);
  });

  it("keeps {date} in the source path for the job to fill, and compiles every mode's write", () => {
    const files = generateGlueJobs(input()).files;
    const script = (name: string) => files.find((f) => f.path === `scripts/shop/${name}.load.py`)!.content;
    expect(script("orders_append")).toContain('"path": "s3://landing/shop/orders/{date}/*.csv"');
    expect(script("orders_append")).toContain("INSERT INTO {target} SELECT");
    expect(script("orders_append")).toContain("PARTITIONED BY (days(`order_ts`), bucket(16, `id`))");
    expect(script("orders_merge")).toContain("MERGE INTO {target} AS t USING (SELECT * FROM `__engine_input`) AS s ON t.`id` IS NOT DISTINCT FROM s.`id`");
    expect(script("orders_merge")).toContain("WHEN MATCHED AND NOT coalesce(((s.`updated_at` IS NULL AND t.`updated_at` IS NOT NULL) OR s.`updated_at` < t.`updated_at`), false) AND s.`__engine_delete` THEN DELETE");
    expect(script("events_replace")).toContain("INSERT OVERWRITE {target} SELECT");
    expect(script("ledger_overwrite")).toContain("PARTITIONED BY (truncate(4, `account`), years(`booked`))");
    const job = JSON.parse(files.find((f) => f.path === "jobs/engine-validate-shop__orders_append.json")!.content) as { DefaultArguments: Record<string, string> };
    const checks = JSON.parse(job.DefaultArguments["--engine-checks"]!) as { label: string; sql?: string }[];
    expect(checks.map((c) => c.label)).toEqual(["notNull(id, order_ts)", "unique(id)", "range(amount)", "pattern(customer)", "length(customer)", "rowCount"]);
    expect(checks[0]!.sql).toBe('SELECT count_if("id" IS NULL) + count_if("order_ts" IS NULL) AS failed, count_if("id" IS NULL) + count_if("order_ts" IS NULL) AS observed FROM "shop"."orders_append"');
  });

  it("takes Glue capacity from the spec's glue section, properties only as a fallback", () => {
    const files = generateGlueJobs(input()).files;
    const load = (name: string) => JSON.parse(files.find((f) => f.path === `jobs/engine-load-shop__${name}.json`)!.content) as Record<string, unknown>;
    expect(load("orders_append")).toMatchObject({ WorkerType: "G.2X", NumberOfWorkers: 4, GlueVersion: "4.0" });
    expect(load("ledger_overwrite")).toMatchObject({ ExecutionClass: "FLEX", WorkerType: "G.1X", NumberOfWorkers: 2 });
  });
});
