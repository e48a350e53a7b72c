// The Spark compiler is the DuckDB compiler's visitor with Spark hooks: same plan, Spark SQL.

import { describe, expect, it } from "vitest";
import { parseSpec, SpecError } from "../src/index.js";
import { planLoad } from "../src/load/planner.js";
import { partitionFieldsFromSpec, schemaFromSpec } from "../src/load/schema.js";
import { DuckDbLoadCompiler, RELATIONS } from "../src/load/duckdb-compiler.js";
import type { SourceRead } from "../src/source/read-sql.js";
import { AthenaRuleCompiler, compileGlueScript, SparkLoadCompiler, SparkRuleCompiler, sparkType } from "../src/spark/index.js";

const spec = parseSpec({
  table: "shop.orders",
  source: { format: "csv", path: "/in/{date}.csv" },
  columns: [
    { name: "id", type: "long", required: true },
    { name: "amount", type: "decimal(12,2)" },
    { name: "ts", type: "timestamptz" },
    { name: "local", type: "timestamp" },
    { name: "tags", type: "list<string>" },
    { name: "code", type: "string" },
  ],
  key: ["id"],
  dedupe: { keep: "latest", orderBy: ["ts"] },
  partition: ["day(ts)", "bucket(16, id)"],
  write: { mode: "merge", deleteMarker: { column: "op", value: "D" } },
  validate: [{ pattern: { column: "code", regex: "\\d+" } }, { range: { column: "ts", min: "2024-01-01" } }],
}, { params: "defer" });

function plan() {
  const schema = schemaFromSpec(spec);
  const columns = ["id", "amount", "ts", "local", "tags", "code", "op"];
  const source = { format: "csv", files: [], sql: "x", columns, dialect: { delimiter: ",", quote: '"' } } as unknown as SourceRead;
  return planLoad(spec, { source, inputColumns: columns, schema, partitionFields: partitionFieldsFromSpec(spec, schema), dataPath: "", filePrefix: "" });
}

describe("SparkLoadCompiler", () => {
  it("maps Iceberg types to Spark's: timestamptz -> timestamp, timestamp -> timestamp_ntz", () => {
    expect(sparkType({ kind: "decimal", precision: 12, scale: 2 })).toBe("decimal(12,2)");
    expect(sparkType({ kind: "primitive", name: "timestamptz" })).toBe("timestamp");
    expect(sparkType({ kind: "primitive", name: "timestamp" })).toBe("timestamp_ntz");
  });

  it("shares the DuckDB visitor: same dedupe order and tie-break, a row_number() subquery instead of QUALIFY", () => {
    const p = plan();
    const duck = new DuckDbLoadCompiler().inputQuery(p, RELATIONS.rows);
    const spark = new SparkLoadCompiler().inputQuery(p, RELATIONS.rows);
    expect(duck).toContain('QUALIFY row_number() OVER (PARTITION BY "id" ORDER BY "ts" DESC NULLS LAST, "id" ASC NULLS LAST');
    expect(spark).toBe(
      "SELECT __engine_row.* FROM (SELECT struct(*) AS __engine_row, row_number() OVER (PARTITION BY `id` ORDER BY `ts` DESC NULLS LAST, " +
      "`id` ASC NULLS LAST, `amount` ASC NULLS LAST, `ts` ASC NULLS LAST, `local` ASC NULLS LAST, `tags` ASC NULLS LAST, `code` ASC NULLS LAST) AS __engine_rn FROM `__engine_rows`) WHERE __engine_rn = 1",
    );
    expect(new SparkLoadCompiler().castQuery(p.cast, RELATIONS.source)).toBe(
      "SELECT CAST(`id` AS bigint) AS `id`, CAST(`amount` AS decimal(12,2)) AS `amount`, CAST(`ts` AS timestamp) AS `ts`, CAST(`local` AS timestamp_ntz) AS `local`, " +
      "CAST(`tags` AS array<string>) AS `tags`, CAST(`code` AS string) AS `code`, coalesce(CAST(`op` AS string) = 'D', false) AS `__engine_delete` FROM `source`",
    );
  });

  it("creates the table with Iceberg partition transforms and writes with MERGE INTO", () => {
    const c = new SparkLoadCompiler();
    expect(c.createTableStatement(plan())).toBe(
      "CREATE TABLE IF NOT EXISTS {target} (`id` bigint NOT NULL, `amount` decimal(12,2), `ts` timestamp, `local` timestamp_ntz, `tags` array<string>, `code` string) USING iceberg " +
      "PARTITIONED BY (days(`ts`), bucket(16, `id`)) TBLPROPERTIES ('format-version'='2', 'write.spark.fanout.enabled'='false')",
    );
    expect(c.mergeIntoStatement(plan()).split("\n")).toEqual([
      "MERGE INTO {target} AS t USING (SELECT * FROM `__engine_input`) AS s ON t.`id` IS NOT DISTINCT FROM s.`id`",
      "WHEN MATCHED AND NOT coalesce(((s.`ts` IS NULL AND t.`ts` IS NOT NULL) OR s.`ts` < t.`ts`), false) AND s.`__engine_delete` THEN DELETE",
      "WHEN MATCHED AND NOT coalesce(((s.`ts` IS NULL AND t.`ts` IS NOT NULL) OR s.`ts` < t.`ts`), false) THEN UPDATE SET t.`id` = s.`id`, t.`amount` = s.`amount`, t.`ts` = s.`ts`, t.`local` = s.`local`, t.`tags` = s.`tags`, t.`code` = s.`code`",
      "WHEN NOT MATCHED AND NOT s.`__engine_delete` THEN INSERT (`id`, `amount`, `ts`, `local`, `tags`, `code`) VALUES (s.`id`, s.`amount`, s.`ts`, s.`local`, s.`tags`, s.`code`)",
    ]);
  });

  it("compiles rules for Spark (backslash-escaped literals) and Athena (typed bounds, varchar)", () => {
    const [pattern, range] = new SparkRuleCompiler().compileAll(spec, "`__engine_input`");
    expect(pattern!.sql).toContain("regexp_like(CAST(`code` AS string), '^(?:\\\\d+)$')");
    expect(range!.sql).toContain("`ts` < CAST('2024-01-01' AS timestamp)");
    const athena = new AthenaRuleCompiler().compileAll(spec, '"shop"."orders"');
    expect(athena[0]!.sql).toContain(`regexp_like(CAST("code" AS varchar), '^(?:\\d+)$')`);
    expect(athena[1]!.sql).toContain(`"ts" < CAST('2024-01-01' AS timestamp(6) with time zone)`);
  });

  it("refuses what the glue engine cannot run like the local one", () => {
    expect(() => compileGlueScript(parseSpec({ ...baseSpec(), write: { mode: "overwrite", filter: { id: 1 } } }))).toThrow(SpecError);
    expect(() => compileGlueScript(parseSpec({ ...baseSpec(), source: { format: "csv", path: "/x.csv", options: { skip: 1 } } }))).toThrow("source.options.skip is not supported by the glue engine yet");
  });
});

function baseSpec() {
  return { table: "a.b", source: { format: "csv", path: "/x.csv" }, columns: [{ name: "id", type: "long" }] };
}
