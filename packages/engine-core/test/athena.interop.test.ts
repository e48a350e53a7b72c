import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbSession, ValidationFailedError, parseSpec } from "../src/index.js";
import { AthenaQueryError, athenaUnload, optimize, runAthenaLoad, runAthenaQuery, s3PropertiesOf, vacuum, type AwsOptions } from "../src/aws/index.js";
import { motoPeer, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { athenaQueriesSeen, createBucket, motoAws, seedAthenaResults, setAthenaProgression, startJsonRewriteProxy, type CannedResult } from "./util/aws-moto.js";

// moto's Athena queue of canned results is per region: this file owns its own regions, and runs
// its tests one after another (moto's state transitions are server-wide).
let moto: MotoPeer;
let aws: AwsOptions;
const REGION = "ap-southeast-2";

beforeAll(async () => {
  moto = await motoPeer();
  aws = motoAws(moto, REGION);
});
afterAll(async () => { await setAthenaProgression(moto, undefined).catch(() => undefined); });

describe("runAthenaQuery", () => {
  it("polls until SUCCEEDED with growing delays and types every column from ColumnInfo", async () => {
    await setAthenaProgression(moto, 2);
    try {
      await seedAthenaResults(moto, REGION, [{
        header: true,
        columns: [["s", "varchar"], ["n", "bigint"], ["i", "integer"], ["d", "double"], ["m", "decimal(12,2)"], ["b", "boolean"], ["day", "date"], ["ts", "timestamp"], ["tz", "timestamp with time zone"], ["arr", "array"]],
        rows: [
          ["a", "9007199254740993", "7", "1.5", "-12.30", "true", "2024-01-31", "2024-01-31 10:11:12.123456", "2024-01-31 10:11:12.5 UTC", "[1, 2]"],
          [null, null, null, "NaN", "0.05", "false", "1969-12-31", "1970-01-01 00:00:00.000", "2024-07-01 12:00:00.000 Europe/Berlin", null],
        ],
      }]);
      const r = await runAthenaQuery("SELECT * FROM typed", { aws, pollMs: 20, maxPollMs: 50, database: "db1", outputLocation: "s3://athena-out/q/" });
      expect(r.polls).toBeGreaterThanOrEqual(4);
      expect(r.statementType).toBe("DML");
      expect(r.table.numRows).toBe(2);
      const types = Object.fromEntries(r.table.schema.fields.map((f) => [f.name, String(f.type)]));
      expect(types).toEqual({
        s: "Utf8", n: "Int64", i: "Int32", d: "Float64", m: "Decimal[12e+2]", b: "Bool", day: "Date32<DAY>", ts: "Timestamp<MICROSECOND>", tz: "Timestamp<MICROSECOND, UTC>", arr: "Utf8",
      });
      expect(r.table.schema.fields[4]!.type).toMatchObject({ precision: 12, scale: 2 });
      const row0 = r.table.get(0)!.toJSON();
      expect(row0.s).toBe("a");
      expect(row0.n).toBe(9007199254740993n);
      expect(row0.i).toBe(7);
      expect(row0.b).toBe(true);
      expect(row0.day).toBe(Date.UTC(2024, 0, 31));
      expect(r.table.getChild("ts")!.data[0]!.values[0]).toBe(BigInt(Date.UTC(2024, 0, 31, 10, 11, 12)) * 1000n + 123456n);
      expect(r.table.getChild("tz")!.data[0]!.values[1]).toBe(BigInt(Date.UTC(2024, 6, 1, 10)) * 1000n);
      expect(r.table.getChild("m")!.data[0]!.values[0]).toBe(2 ** 32 - 1230); // low word of -1230
      expect(r.table.get(1)!.toJSON().s).toBeNull();
      expect(Number.isNaN(r.table.get(1)!.toJSON().d)).toBe(true);
      expect(r.table.get(1)!.toJSON().day).toBe(Date.UTC(1969, 11, 31));
      const seen = (await athenaQueriesSeen(aws)).find((q) => q.id === r.queryId)!;
      expect(seen).toMatchObject({ sql: "SELECT * FROM typed", state: "SUCCEEDED", database: "db1" });
    } finally {
      await setAthenaProgression(moto, undefined);
    }
  });

  it("reads every page of GetQueryResults (pages cut by a proxy: moto answers in one) and keeps only the first header", async () => {
    const proxy = await startJsonRewriteProxy(moto.endpoint, (op, req, res) => {
      if (op !== "GetQueryResults") return undefined;
      const rows = res.ResultSet.Rows as unknown[];
      const start = req.NextToken ? Number(req.NextToken) : 0;
      const end = start + 3;
      return { ...res, ResultSet: { ...res.ResultSet, Rows: rows.slice(start, end) }, ...(end < rows.length ? { NextToken: String(end) } : {}) };
    });
    try {
      await seedAthenaResults(moto, REGION, [{ header: true, columns: [["k", "integer"], ["v", "varchar"]], rows: Array.from({ length: 10 }, (_, i) => [String(i), `v${i}`]) }]);
      const r = await runAthenaQuery("SELECT k, v FROM paged", { aws: { ...aws, endpoint: proxy.url }, pollMs: 5, pageSize: 3 });
      expect(proxy.calls.get("GetQueryResults")).toBe(4);
      expect(r.table.toArray().map((x) => x.toJSON())).toEqual(Array.from({ length: 10 }, (_, i) => ({ k: i, v: `v${i}` })));
    } finally {
      await proxy.close();
    }
  });

  it("stops the query on timeout and on abort: moto then reports it CANCELLED", async () => {
    await setAthenaProgression(moto, 100_000);
    try {
      const timedOut = await runAthenaQuery("SELECT slow()", { aws, pollMs: 20, timeoutMs: 300 }).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(AthenaQueryError);
      expect((timedOut as AthenaQueryError).code).toBe("ATHENA_TIMEOUT");
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error("user pressed stop")), 200);
      const aborted = await runAthenaQuery("SELECT slower()", { aws, pollMs: 20, signal: ac.signal }).catch((e: unknown) => e);
      expect((aborted as AthenaQueryError).code).toBe("ATHENA_CANCELLED");
      const seen = await athenaQueriesSeen(aws);
      for (const e of [timedOut, aborted] as AthenaQueryError[]) expect(seen.find((q) => q.id === e.queryId)!.state).toBe("CANCELLED");
    } finally {
      await setAthenaProgression(moto, undefined);
    }
  });

  it("fails with the query id and Athena's StateChangeReason (FAILED injected by a proxy: moto never fails a query)", async () => {
    const proxy = await startJsonRewriteProxy(moto.endpoint, (op, _req, res) =>
      op === "GetQueryExecution" && /bad_column/.test(res.QueryExecution.Query)
        ? { QueryExecution: { ...res.QueryExecution, Status: { ...res.QueryExecution.Status, State: "FAILED", StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'bad_column' cannot be resolved", AthenaError: { ErrorCategory: 2, ErrorType: 1006 } } } }
        : undefined);
    try {
      const err = (await runAthenaQuery("SELECT bad_column FROM t", { aws: { ...aws, endpoint: proxy.url }, pollMs: 5 }).catch((e: unknown) => e)) as AthenaQueryError;
      expect(err).toBeInstanceOf(AthenaQueryError);
      expect(err.queryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(err.reason).toMatch(/COLUMN_NOT_FOUND/);
      expect(err.message).toContain(err.queryId!);
      expect(err.context).toMatchObject({ state: "FAILED", errorCategory: 2, errorType: 1006, sql: "SELECT bad_column FROM t" });
    } finally {
      await proxy.close();
    }
  });
});

describe("runAthenaLoad against moto (moto records the SQL but runs none of it)", () => {
  const LOAD_REGION = "eu-north-1";
  let loadAws: AwsOptions;
  let bucket: string;
  let dir: string;
  beforeAll(async () => {
    loadAws = motoAws(moto, LOAD_REGION);
    bucket = uniqueName("athena").replaceAll("_", "-");
    await createBucket(moto, bucket);
    dir = mkdtempSync(path.join(tmpdir(), "athena-load-"));
    writeFileSync(path.join(dir, "orders.csv"), "order_id,amount,order_ts\n1,10.50,2024-01-05T10:00:00Z\n2,3.25,2024-01-06T11:00:00Z\n2,3.50,2024-01-06T12:00:00Z\n");
  });
  const spec = (db: string) => parseSpec({
    table: `${db}.orders`,
    source: { format: "csv", path: path.join(dir, "orders.csv"), options: { header: true } },
    columns: [{ name: "order_id", type: "long", required: true }, { name: "amount", type: "decimal(12,2)" }, { name: "order_ts", type: "timestamptz" }],
    key: ["order_id"], dedupe: { keep: "latest", orderBy: ["order_ts"] }, partition: ["day(order_ts)"],
    write: { mode: "append" },
    validate: [{ unique: ["order_id"] }, { rowCount: { min: 1 } }],
  });
  const count = (n: string): CannedResult => ({ header: true, columns: [["_col0", "bigint"]], rows: [[n]] });
  const staged = async () => {
    const { list } = await import("../src/aws/index.js");
    return (await list(`s3://${bucket}/_staging/`, { aws: loadAws })).objects;
  };

  it("stages, checks, creates the Iceberg table in Glue, inserts, then drops the staging table and deletes staged objects", async () => {
    const db = uniqueName("db");
    // One canned result per statement, in order: CREATE EXTERNAL, required check, unique, rowCount, INSERT, DROP.
    await seedAthenaResults(moto, LOAD_REGION, [{}, count("0"), count("0"), count("2"), {}, {}]);
    const r = await runAthenaLoad(spec(db), {
      aws: loadAws, stagingLocation: `s3://${bucket}/_staging`, warehouse: `s3://${bucket}/wh`, outputLocation: `s3://${bucket}/athena-results/`, pollMs: 5,
    });
    const seen = (await athenaQueriesSeen(loadAws)).filter((q) => r.queries.some((x) => x.queryId === q.id));
    expect(seen.map((q) => q.sql)).toEqual(r.queries.map((q) => q.sql));
    expect(seen.map((q) => q.sql.split(/\s/)[0])).toEqual(["CREATE", "SELECT", "SELECT", "SELECT", "INSERT", "DROP"]);
    expect(seen[0]!.sql).toContain(`LOCATION 's3://${bucket}/_staging/${r.stagingTable.split(".")[1]}/'`);
    expect(seen[4]!.sql).toMatch(new RegExp(`^INSERT INTO "${db}"."orders"`));
    expect(seen[5]!.sql).toBe(`DROP TABLE IF EXISTS \`${db}\`.\`${r.stagingTable.split(".")[1]}\``);
    expect(seen.every((q) => q.database === db)).toBe(true);
    expect(r.checks.map((c) => [c.label, c.passed])).toEqual([["unique(order_id)", true], ["rowCount", true]]);
    expect(r.stagedFiles).toBe(1);
    expect(await staged()).toEqual([]);
    const { GlueCatalog } = await import("@engine/iceberg/catalog/glue");
    const catalog = new GlueCatalog({ warehouse: `s3://${bucket}/wh`, region: LOAD_REGION, endpoint: moto.endpoint, properties: s3PropertiesOf(loadAws) });
    const table = await catalog.loadTable({ namespace: [db], name: "orders" });
    expect(table.schema().fields.map((f) => `${f.name}:${JSON.stringify(f.type)}`)).toEqual([
      `order_id:{"kind":"primitive","name":"long"}`, `amount:{"kind":"decimal","precision":12,"scale":2}`, `order_ts:{"kind":"primitive","name":"timestamptz"}`,
    ]);
  });

  it("cleans up when a check fails: no write, staging table dropped, staged objects deleted", async () => {
    const db = uniqueName("db");
    await seedAthenaResults(moto, LOAD_REGION, [{}, count("0"), count("1"), count("2"), {}]);
    const before = (await athenaQueriesSeen(loadAws)).length;
    const err = await runAthenaLoad(spec(db), { aws: loadAws, stagingLocation: `s3://${bucket}/_staging`, warehouse: `s3://${bucket}/wh`, pollMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailedError);
    expect((err as Error).message).toMatch(/unique\(order_id\): expected unique \(order_id\), found 1 duplicated key/);
    const seen = (await athenaQueriesSeen(loadAws)).slice(before).map((q) => q.sql.split(/\s/)[0]);
    expect(seen).toEqual(["CREATE", "SELECT", "SELECT", "SELECT", "DROP"]);
    expect(await staged()).toEqual([]);
  });

  it("cleans up when Athena fails the INSERT (FAILED injected by a proxy)", async () => {
    const db = uniqueName("db");
    const proxy = await startJsonRewriteProxy(moto.endpoint, (op, _req, res) =>
      op === "GetQueryExecution" && /^INSERT/.test(res.QueryExecution.Query)
        ? { QueryExecution: { ...res.QueryExecution, Status: { ...res.QueryExecution.Status, State: "FAILED", StateChangeReason: "ICEBERG_COMMIT_ERROR: commit failed" } } }
        : undefined);
    try {
      await seedAthenaResults(moto, LOAD_REGION, [{}, count("0"), count("0"), count("2"), {}, {}]);
      const before = (await athenaQueriesSeen(loadAws)).length;
      const err = await runAthenaLoad(spec(db), { aws: { ...loadAws, endpoint: proxy.url }, stagingLocation: `s3://${bucket}/_staging`, warehouse: `s3://${bucket}/wh`, pollMs: 5 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AthenaQueryError);
      expect((err as AthenaQueryError).reason).toMatch(/ICEBERG_COMMIT_ERROR/);
      const seen = (await athenaQueriesSeen(loadAws)).slice(before).map((q) => q.sql.split(/\s/)[0]);
      expect(seen).toEqual(["CREATE", "SELECT", "SELECT", "SELECT", "INSERT", "DROP"]);
      expect(await staged()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe("athenaUnload and the Athena toolkit", () => {
  it("runs UNLOAD … WITH (format = 'PARQUET'), downloads the Parquet files and reads them with DuckDB (files placed as Athena would: moto writes none)", async () => {
    const bucket = uniqueName("unload").replaceAll("_", "-");
    await createBucket(moto, bucket);
    const session = await DuckDbSession.create();
    try {
      const dir = mkdtempSync(path.join(tmpdir(), "unload-src-"));
      await session.run(`COPY (SELECT range AS id, 'r' || range AS s FROM range(2500)) TO '${dir}/part.parquet' (FORMAT parquet)`);
      const { uploadFile, list } = await import("../src/aws/index.js");
      await uploadFile(`${dir}/part.parquet`, `s3://${bucket}/out/20240101_000000_00001_abcde_0001`, { aws });
      const r = await athenaUnload("SELECT id, s FROM big", { aws, to: `s3://${bucket}/out/`, session, pollMs: 5 });
      expect(r.files).toBe(1);
      expect(r.table.numRows).toBe(2500);
      expect((await athenaQueriesSeen(aws)).find((q) => q.id === r.queryId)!.sql).toBe(`UNLOAD (SELECT id, s FROM big) TO 's3://${bucket}/out/' WITH (format = 'PARQUET', compression = 'SNAPPY')`);
      expect((await list(`s3://${bucket}/out/`, { aws })).objects).toEqual([]);
    } finally {
      session.close();
    }
  });

  it("sends OPTIMIZE … REWRITE DATA USING BIN_PACK and VACUUM", async () => {
    const o = await optimize("sales.orders", { aws, pollMs: 5, where: `"order_ts" >= TIMESTAMP '2024-01-01 00:00:00 UTC'` });
    const v = await vacuum("sales.orders", { aws, pollMs: 5 });
    const seen = await athenaQueriesSeen(aws);
    expect(seen.find((q) => q.id === o.queryId)!.sql).toBe(`OPTIMIZE "sales"."orders" REWRITE DATA USING BIN_PACK WHERE "order_ts" >= TIMESTAMP '2024-01-01 00:00:00 UTC'`);
    expect(seen.find((q) => q.id === v.queryId)!.sql).toBe(`VACUUM "sales"."orders"`);
  });
});
