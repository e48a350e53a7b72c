import { describe, expect, it } from "vitest";
import { applyTransform, parseType, type Transform } from "@engine/iceberg";
import { DuckDbSession } from "../src/duckdb/session.js";
import { DuckDbLoadCompiler } from "../src/load/duckdb-compiler.js";
import { partitionValueFromKey } from "../src/load/data-files.js";
import { partitionExpression } from "../src/load/partition-sql.js";
import { freezeNode, type LoadPlan } from "../src/load/plan.js";

const long = parseType("long");
const tstz = parseType("timestamptz");

function plan(over: Partial<LoadPlan> = {}): LoadPlan {
  return freezeNode({
    kind: "load",
    table: "sales.orders",
    stage: { kind: "stage", format: "csv", relation: "read_csv(['/in/a.csv'])", columns: ["id", "ts"] },
    cast: {
      kind: "cast",
      columns: [
        { name: "id", fieldId: 1, type: long, required: true, from: "id", isExpression: false },
        { name: "ts", fieldId: 2, type: tstz, required: false, from: "ts", isExpression: false },
      ],
    },
    dedupe: { kind: "dedupe", keep: "latest", key: ["id"], orderBy: ["ts"], allColumns: ["id", "ts"], against: false },
    partition: {
      kind: "partition",
      fields: [{ name: "ts_day", fieldId: 1000, sourceColumn: "ts", sourceId: 2, sourceType: tstz, transform: { kind: "day" }, resultType: parseType("date") }],
    },
    write: { kind: "write", mode: "append", dataPath: "/wh/sales/orders/data", filePrefix: "p", fields: [{ id: 1, name: "id", required: true, type: long }, { id: 2, name: "ts", required: false, type: tstz }], targetFileSizeBytes: 1000, rowGroupSize: 100, key: ["id"], mergeOrderBy: [] },
    ...over,
  });
}

describe("DuckDbLoadCompiler", () => {
  it("compiles stage, cast, dedupe, partition and write to the expected DuckDB SQL", () => {
    const c = new DuckDbLoadCompiler().compile(plan());
    expect(c.steps.map((s) => s.sql)).toEqual([
      `CREATE OR REPLACE TEMP VIEW "source" AS SELECT * FROM read_csv(['/in/a.csv'])`,
      `CREATE OR REPLACE TEMP VIEW "__engine_rows" AS SELECT CAST("id" AS BIGINT) AS "id", CAST("ts" AS TIMESTAMPTZ) AS "ts" FROM "source"`,
      `CREATE OR REPLACE TEMP TABLE "__engine_input" AS SELECT * FROM "__engine_rows"; DROP VIEW "__engine_rows"; ` +
        `CREATE OR REPLACE TEMP TABLE "__engine_counts" AS SELECT count(*) AS "__engine_n", count(*) FILTER (WHERE "id" IS NULL) AS "__engine_null_0" FROM "__engine_input"; ` +
        `DELETE FROM "__engine_input" WHERE rowid IN (WITH d AS MATERIALIZED (SELECT "id" FROM "__engine_input" GROUP BY "id" HAVING count(*) > 1) ` +
        `SELECT __engine_rowid FROM (SELECT c.rowid AS __engine_rowid, c.* FROM "__engine_input" AS c SEMI JOIN d ON c."id" IS NOT DISTINCT FROM d."id") ` +
        `QUALIFY row_number() OVER (PARTITION BY "id" ORDER BY "ts" DESC NULLS LAST, "id" ASC NULLS LAST, "ts" ASC NULLS LAST) > 1)`,
      `COPY (SELECT "id", "ts", CAST(("ts" AT TIME ZONE 'UTC') AS DATE) AS "ts_day" FROM (SELECT "id", "ts" FROM "__engine_input") ORDER BY "ts_day") TO '/wh/sales/orders/data' (FORMAT parquet, COMPRESSION zstd, FIELD_IDS {'id': 1, 'ts': 2}, ROW_GROUP_SIZE 100, FILENAME_PATTERN 'p-{uuid}', RETURN_STATS, PARTITION_BY ("ts_day"), APPEND)`,
    ]);
    expect(c.requiredCheck).toBe(`SELECT count(*) FILTER (WHERE "id" IS NULL) AS "id" FROM "__engine_rows"`);
    expect(c.inputCounts).toBe(`SELECT "__engine_n" AS rows_read, (SELECT count(*) FROM "__engine_input") AS input_rows, "__engine_null_0" AS "id" FROM "__engine_counts"`);
    expect(c.inputFinish).toBe(`DROP TABLE "__engine_counts"`);
  });

  it("lets a dialect replace QUALIFY with a row_number() subquery through the keepOne hook", () => {
    class NoQualify extends DuckDbLoadCompiler {
      override keepOne(from: string, partitionBy: readonly string[], orderBy: readonly string[]): string {
        return `SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY ${partitionBy.join(", ")} ORDER BY ${orderBy.join(", ")}) AS rn FROM ${from}) WHERE rn = 1`;
      }
    }
    const { partition: _p, ...rest } = plan();
    const compiler = new NoQualify();
    const steps = compiler.compile(rest as LoadPlan).steps;
    expect(compiler.inputQuery(rest as LoadPlan, "__engine_rows")).toContain(`SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY "id" ORDER BY "ts" DESC NULLS LAST`);
    expect(steps.at(-1)!.sql).toContain("FILE_SIZE_BYTES 1000, APPEND");
  });

  it("keeps plans immutable", () => {
    const p = plan();
    expect(Object.isFrozen(p.cast.columns)).toBe(true);
    expect(() => { (p.cast.columns as unknown[]).push(1); }).toThrow();
  });
});

describe("partitionExpression", () => {
  it("computes year/month/day/hour exactly as Iceberg's transforms, before and after 1970", async () => {
    const db = await DuckDbSession.create();
    try {
      const micros = [-86_400_000_001n, -3_600_000_000n, -1n, 0n, 1n, 3_599_999_999n, 1_704_067_200_000_000n, -2_208_988_800_000_000n, 951_782_400_000_000n];
      for (const kind of ["year", "month", "day", "hour"] as const) {
        const t: Transform = { kind };
        const expr = partitionExpression(t, "v", tstz);
        const r = await db.query(`SELECT CAST(${expr} AS VARCHAR) AS k FROM (SELECT make_timestamptz(x) AS v, i FROM (SELECT unnest(l) AS x, generate_subscripts(l, 1) AS i FROM (SELECT [${micros.join(", ")}]::BIGINT[] AS l))) ORDER BY i`);
        const got = (r.columns[0] ?? []).map((k, i) => partitionValueFromKey({ name: "p", fieldId: 1000, sourceColumn: "v", sourceId: 1, sourceType: tstz, transform: t, resultType: parseType("int") }, String(k)));
        expect({ kind, got }).toEqual({ kind, got: micros.map((m) => applyTransform(t, tstz, m)) });
      }
      const trunc = await db.query(`SELECT ${partitionExpression({ kind: "truncate", width: 10 }, "v", long)} AS k FROM (SELECT unnest(l) AS v, generate_subscripts(l, 1) AS i FROM (SELECT [-11, -1, 0, 9, 10, 15]::BIGINT[] AS l)) ORDER BY i`);
      expect((trunc.columns[0] ?? []).map(Number)).toEqual([-11n, -1n, 0n, 9n, 10n, 15n].map((v) => Number(applyTransform({ kind: "truncate", width: 10 }, long, v))));
    } finally {
      db.close();
    }
  });
});
