import { describe, expect, it } from "vitest";
import { generateGlueJobs, type CreateJobRequest } from "../src/index.js";
import { specsOnlyInput, withCsvInput } from "./util/fixtures.js";
import { expectGolden, OPTIONS } from "./util/golden.js";

const jobs = (files: readonly { path: string; content: string }[]): Map<string, CreateJobRequest> =>
  new Map(files.filter((f) => f.path.startsWith("jobs/")).map((f) => [f.path.slice(5, -5), JSON.parse(f.content) as CreateJobRequest]));

describe("generateGlueJobs", () => {
  it("matches the golden CreateJob requests", () => {
    expectGolden("specs-only/glue", generateGlueJobs(specsOnlyInput()).files);
    expectGolden("with-csv/glue", generateGlueJobs(withCsvInput()).files);
  });

  it("runs Spark loads as glueetl with workers and Iceberg arguments, never with MaxCapacity", () => {
    const load = jobs(generateGlueJobs(withCsvInput()).files).get("engine-load-finance__ledger")!;
    expect(load.Command).toEqual({ Name: "glueetl", ScriptLocation: "s3://lake-artifacts/engine/scripts/finance/ledger.load.py", PythonVersion: "3" });
    expect(load).toMatchObject({ GlueVersion: "5.0", WorkerType: "G.2X", NumberOfWorkers: 3, ExecutionClass: "FLEX" });
    expect(load.MaxCapacity).toBeUndefined();
    expect(load.DefaultArguments["--datalake-formats"]).toBe("iceberg");
    expect(load.DefaultArguments["--conf"]).toBe(
      "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions" +
        " --conf spark.sql.catalog.glue_catalog=org.apache.iceberg.spark.SparkCatalog" +
        " --conf spark.sql.catalog.glue_catalog.warehouse=s3://lake/warehouse/" +
        " --conf spark.sql.catalog.glue_catalog.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog" +
        " --conf spark.sql.catalog.glue_catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO",
    );
  });

  it("runs validation as a 0.0625-DPU pythonshell job without worker type or execution class", () => {
    const validate = jobs(generateGlueJobs(specsOnlyInput()).files).get("engine-validate-web__events")!;
    expect(validate).toMatchObject({ Command: { Name: "pythonshell", PythonVersion: "3.9" }, GlueVersion: "3.0", MaxCapacity: 0.0625 });
    expect(validate.WorkerType).toBeUndefined();
    expect(validate.NumberOfWorkers).toBeUndefined();
    expect(validate.ExecutionClass).toBeUndefined();
  });

  it("gives athena tables a validate job only", () => {
    const names = [...jobs(generateGlueJobs(specsOnlyInput()).files).keys()];
    expect(names).toEqual(["engine-load-sales__customers", "engine-load-sales__orders", "engine-validate-sales__customers", "engine-validate-sales__orders", "engine-validate-web__events"]);
  });

  it("emits scripts only when a ScriptProvider supplies them", () => {
    const files = generateGlueJobs({ ...specsOnlyInput(), options: { ...OPTIONS, scripts: { loadScript: (s) => `# ${s.table}\n`, validateScript: () => "# validate\n" } } }).files;
    expect(files.filter((f) => f.path.startsWith("scripts/")).map((f) => f.path)).toEqual(["scripts/engine_validate.py", "scripts/sales/customers.load.py", "scripts/sales/orders.load.py"]);
  });
});
