import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseSpec, partitionFieldsFromSpec, planLoad, schemaFromSpec, type TableSpec } from "../src/index.js";
import { AthenaLoadCompiler, athenaChecks, createStagingTableSql, dropStagingTableSql } from "../src/aws/index.js";

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), "golden/athena");
const MODES = ["append", "overwrite", "replace-partitions", "merge"] as const;

function specFor(mode: (typeof MODES)[number]): TableSpec {
  return parseSpec({
    table: "sales.orders",
    source: { format: "csv", path: "orders.csv", options: { header: true } },
    columns: [
      { name: "order_id", type: "long", required: true },
      { name: "customer_id", type: "long" },
      { name: "email", type: "string" },
      { name: "amount", type: "decimal(12,2)" },
      { name: "order_ts", type: "timestamptz" },
      { name: "updated_at", type: "timestamptz" },
      { name: "order_day", type: "date", from: "CAST(substr(order_ts, 1, 10) AS date)" },
    ],
    key: ["order_id"],
    dedupe: { keep: "latest", orderBy: ["updated_at"] },
    partition: ["day(order_ts)"],
    write: { mode },
    validate: [{ notNull: ["order_id", "order_ts"] }, { unique: ["order_id"] }, { rowCount: { min: 1 } }],
  });
}

/** Every statement an Athena load of the spec runs, in order, as one SQL file. */
function athenaScript(spec: TableSpec): string {
  const schema = schemaFromSpec(spec);
  const staging = { database: "sales", name: "engine_stg_orders_0123456789ab", location: "s3://lake/_staging/engine_stg_orders_0123456789ab/" };
  const columns = ["order_id", "customer_id", "email", "amount", "order_ts", "updated_at"];
  const plan = planLoad(spec, {
    source: { format: "csv", files: [], sql: `"${staging.database}"."${staging.name}"`, columns, dialect: { delimiter: ",", quote: '"' } } as never,
    inputColumns: columns, schema, partitionFields: partitionFieldsFromSpec(spec, schema), dataPath: "", filePrefix: "0123456789ab",
  });
  const compiled = new AthenaLoadCompiler({ table: ["sales", "orders"], key: spec.key!, keep: spec.dedupe!.keep, orderBy: spec.dedupe!.orderBy! }).compile(plan);
  const { checks } = athenaChecks(spec.validate, compiled.finalQuery);
  const statements = [
    createStagingTableSql({ ...staging, format: "csv", columns: columns.map((name) => ({ name, type: "string" })) }),
    compiled.requiredCheck!,
    ...checks.map((c) => c.sql),
    ...compiled.statements,
    dropStagingTableSql(staging.database, staging.name),
  ];
  return `${statements.join(";\n\n")};\n`;
}

describe("AthenaLoadCompiler", () => {
  for (const mode of MODES) {
    it(`compiles a ${mode} load to the golden Athena SQL`, () => {
      const sql = athenaScript(specFor(mode));
      const file = path.join(GOLDEN, `${mode}.sql`);
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, sql);
      expect(sql).toBe(readFileSync(file, "utf8"));
    });
  }

  it("uses row_number() in a subquery, never QUALIFY, and Trino types and ISO-8601 parsing for text sources", () => {
    const sql = athenaScript(specFor("append"));
    expect(sql).not.toMatch(/QUALIFY/);
    expect(sql).toContain(`row_number() OVER (PARTITION BY "order_id" ORDER BY "updated_at" DESC NULLS LAST`);
    expect(sql).toContain(`CAST(from_iso8601_timestamp(replace(trim("order_ts"), ' ', 'T')) AS timestamp(6) with time zone)`);
    expect(sql).toContain(`CAST("amount" AS decimal(12,2))`);
    expect(sql).toContain(`NULLIF("email", '') AS "email"`);
  });

  it("refuses replace-partitions over a bucket partition, which Trino cannot compute", () => {
    const spec = parseSpec({ ...JSON.parse(JSON.stringify({ table: "s.t", source: { format: "csv", path: "x.csv", options: {} } })), columns: [{ name: "id", type: "long" }], partition: ["bucket(4, id)"], write: { mode: "replace-partitions" } });
    const schema = schemaFromSpec(spec);
    const plan = planLoad(spec, { source: { format: "csv", files: [], sql: `"s"."stg"`, columns: ["id"], dialect: { delimiter: ",", quote: '"' } } as never, inputColumns: ["id"], schema, partitionFields: partitionFieldsFromSpec(spec, schema), dataPath: "", filePrefix: "p" });
    expect(() => new AthenaLoadCompiler({ table: ["s", "t"] }).compile(plan)).toThrow(/bucket.*cannot be expressed in Athena SQL/);
  });
});
