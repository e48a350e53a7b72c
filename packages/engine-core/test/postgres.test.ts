import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { startPostgres, type PostgresPeer } from "./util/postgres.js";
import { repoRoot, tempDir } from "./util/tmp.js";

const ROWS = 1_000_000;
let peer: PostgresPeer;
let client: pg.Client;

beforeAll(async () => {
  peer = startPostgres();
  client = new pg.Client({ connectionString: peer.url });
  await client.connect();
  await client.query(`
    CREATE SCHEMA shop;
    CREATE TABLE shop.orders AS
      SELECT g::bigint AS id, 'customer-' || (g % 997) AS customer, round((g % 100000) / 100.0, 2)::numeric(12,2) AS amount,
             timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' AS ts, CASE WHEN g % 10 = 0 THEN NULL ELSE g % 7 END AS bucket
      FROM generate_series(1, ${ROWS}) AS g;
  `);
}, 600_000);

afterAll(async () => {
  await client?.end();
  peer?.stop();
});

function ordersSpec(options: Record<string, unknown>) {
  return {
    table: "shop.orders",
    source: { format: "postgres", options },
    columns: [
      { name: "id", type: "long", required: true },
      { name: "customer", type: "string" },
      { name: "amount", type: "decimal(12,2)" },
      { name: "ts", type: "timestamptz" },
      { name: "bucket", type: "int" },
    ],
  };
}

describe("postgres source", () => {
  it("loads a query in chunks, with the connection taken from an environment variable", async () => {
    const { dir, cleanup } = await tempDir("engine-pg-");
    const engine = await Engine.open({ warehouse: path.join(dir, "wh") });
    process.env["ENGINE_TEST_PG"] = peer.url;
    try {
      const result = await engine.load(ordersSpec({ connection: "ENGINE_TEST_PG", query: "select * from shop.orders where id <= 2500 order by id", chunkRows: 1000 }));
      expect(result).toMatchObject({ status: "committed", rowsRead: 2500, rowsWritten: 2500 });
      const rows = (await engine.query("select id, customer, amount::varchar amount, ts::varchar ts, bucket from shop.orders where id in (1, 10, 2500) order by id")).rows();
      expect(rows).toEqual([
        { id: 1n, customer: "customer-1", amount: "0.01", ts: "2024-01-01 00:00:01+00", bucket: 1 },
        { id: 10n, customer: "customer-10", amount: "0.10", ts: "2024-01-01 00:00:10+00", bucket: null },
        { id: 2500n, customer: "customer-506", amount: "25.00", ts: "2024-01-01 00:41:40+00", bucket: null },
      ]);
    } finally {
      delete process.env["ENGINE_TEST_PG"];
      engine.close();
      await cleanup();
    }
  });

  it("names a missing table and an unset variable", async () => {
    const { dir, cleanup } = await tempDir("engine-pg-");
    const engine = await Engine.open({ warehouse: path.join(dir, "wh") });
    try {
      await expect(engine.load(ordersSpec({ connection: peer.url, table: "shop.nope" }))).rejects.toThrow(/^source: postgres: query failed: relation "shop.nope" does not exist/);
      await expect(engine.load(ordersSpec({ connection: "ENGINE_NO_SUCH_VAR", table: "shop.orders" }))).rejects.toThrow("source: options.connection: environment variable ENGINE_NO_SUCH_VAR is not set");
    } finally {
      engine.close();
      await cleanup();
    }
  });

  it(`streams ${ROWS.toLocaleString("en")} rows into Iceberg with bounded memory, matching Postgres's own aggregates`, async () => {
    const { dir, cleanup } = await tempDir("engine-pg-big-");
    try {
      const warehouse = path.join(dir, "wh");
      const spec = ordersSpec({ connection: peer.url, table: "shop.orders", chunkRows: 50_000 });
      const out = execFileSync(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["--conditions=source", path.join(import.meta.dirname, "util", "postgres-load-child.ts"), warehouse, JSON.stringify(spec)], {
        encoding: "utf8", cwd: repoRoot, timeout: 600_000, maxBuffer: 1 << 24,
      });
      const child = JSON.parse(out.trim().split("\n").pop()!) as { result: { status: string; rowsWritten: number; stages: unknown }; maxRssMb: number; ms: number };
      console.log(`postgres source: ${ROWS} rows loaded in ${child.ms} ms, peak RSS ${child.maxRssMb} MB (chunkRows 50000, DuckDB memory_limit 1GB); stages ${JSON.stringify(child.result.stages)}`);
      expect(child.result).toMatchObject({ status: "committed", rowsWritten: ROWS });
      expect(child.maxRssMb).toBeLessThan(1500);

      const want = (await client.query("select count(*)::text n, sum(id)::text ids, sum(amount)::text amount, count(bucket)::text buckets, sum(bucket)::text bucket_sum, max(ts) max_ts, count(distinct customer)::text customers from shop.orders")).rows[0] as Record<string, string | Date>;
      const engine = await Engine.open({ warehouse });
      try {
        const got = (await engine.query("select count(*)::varchar n, sum(id)::varchar ids, sum(amount)::varchar amount, count(bucket)::varchar buckets, sum(bucket)::varchar bucket_sum, max(ts) max_ts, count(distinct customer)::varchar customers from shop.orders")).rows()[0]!;
        expect({ ...got, max_ts: new Date(got["max_ts"] as string | number).toISOString() }).toEqual({ ...want, max_ts: (want["max_ts"] as Date).toISOString() });
      } finally {
        engine.close();
      }
    } finally {
      await cleanup();
    }
  }, 600_000);
});
