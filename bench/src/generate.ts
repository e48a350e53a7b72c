// Deterministic generator of the benchmark's orders dataset, as CSV and Parquet, written by DuckDB
// SQL (10M rows take well under a minute). Every value is a pure function of (key, version)
// through integer arithmetic, so the same size always gives the same rows on any DuckDB version;
// two rows with the same key and version are identical, so "latest wins" has no ambiguous ties.
//
//   node --conditions=source --import tsx bench/src/generate.ts [--size 1m|10m|100k] [--force]

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { DuckDbSession } from "@engine/core";
import { COLUMNS, datasetFiles, STATUSES, type DatasetManifest } from "./dataset.js";

const DAY_S = 86_400;
const DAYS = 365;

/** Generates the dataset of one size unless it is there already; returns its manifest. */
export async function generate(size: string, options: { force?: boolean; log?: (s: string) => void } = {}): Promise<DatasetManifest> {
  const files = datasetFiles(size);
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (existsSync(files.manifest) && options.force !== true) return JSON.parse(readFileSync(files.manifest, "utf8")) as DatasetManifest;
  rmSync(files.dir, { recursive: true, force: true });
  mkdirSync(files.dir, { recursive: true });
  const started = Date.now();
  const n = files.rows;
  const duplicates = Math.round(n * 0.05);
  const unique = n - duplicates;
  const changed = Math.round(n * 0.01);
  const added = Math.round(n * 0.005);
  const customers = Math.max(1_000, Math.round(n / 10));
  const db = await DuckDbSession.create({ threads: 2 });
  try {
    // Two-round LCGs mod 2^31 (values stay inside BIGINT); `// 256` drops their weak low bits and
    // two of them make 46 bits.
    await db.run(`CREATE MACRO lcg(x, salt) AS ((((x * 1103515245 + salt * 7919 + 12345) % 2147483648) * 1103515245 + 12345) % 2147483648) // 256`);
    await db.run(`CREATE MACRO mix(x, salt) AS lcg(x, salt) * 8388608 + lcg(x, salt + 1000)`);
    await db.run(`CREATE MACRO pick(x, salt, m) AS (mix(x, salt) % m)`);
    const statuses = `['pending', 'paid', 'shipped', 'delivered', 'cancelled']`;
    // One row of key k at version v (0 = first export, 1–2 = later versions, 3 = merge change).
    const row = (k: string, v: string): string => [
      `${k} AS order_id`,
      `1 + pick(${k}, 11, ${customers}) AS customer_id`,
      `'customer' || (1 + pick(${k}, 11, ${customers})) || '@example.com' AS email`,
      `(${statuses})[CASE WHEN ${v} = 0 THEN 1 + pick(${k}, 12, 2) WHEN ${v} = 3 THEN 5 ELSE 2 + ${v} END] AS status`,
      `(['web', 'app', 'store', 'phone'])[1 + pick(${k}, 13, 4)] AS channel`,
      `(['KR', 'US', 'JP', 'DE', 'FR', 'GB', 'BR', 'IN'])[1 + pick(${k}, 14, 8)] AS country`,
      `'SKU-' || lpad(CAST(pick(${k}, 15, 100000) AS VARCHAR), 6, '0') AS sku`,
      `CAST(1 + pick(${k}, 16, 5) AS INTEGER) AS quantity`,
      `CAST((100 + pick(${k}, 17, 100000)) / 100 AS DECIMAL(12,2)) AS amount`,
      `CAST(((100 + pick(${k}, 17, 100000)) * pick(${k}, 18, 20)) // 100 / 100 AS DECIMAL(10,2)) AS discount`,
      `strftime(TIMESTAMP '2024-01-01' + to_seconds(pick(${k}, 19, ${DAYS * DAY_S})), '%Y-%m-%dT%H:%M:%SZ') AS order_ts`,
      `strftime(TIMESTAMP '2024-01-01' + to_seconds(pick(${k}, 19, ${DAYS * DAY_S}) + pick(${k}, 20, 3600) + ${v} * ${DAY_S}), '%Y-%m-%dT%H:%M:%SZ') AS updated_at`,
    ].join(", ");
    // Base rows in key order; each duplicate (a later version of an earlier key) is interleaved
    // evenly among them by `seq`.
    await db.run(`CREATE TABLE full_rows AS
      SELECT * EXCLUDE (seq) FROM (
        SELECT CAST(k AS DOUBLE) AS seq, ${row("k", "0")} FROM range(1, ${unique + 1}) t(k)
        UNION ALL
        SELECT j * ${unique / duplicates} + 0.5 AS seq, ${row(`(1 + pick(j, 1, ${unique}))`, `(1 + pick(j, 2, 2))`)} FROM range(1, ${duplicates + 1}) t(j)
      ) ORDER BY seq`);
    // The merge batch: `changed` distinct existing keys (evenly spaced) at version 3, and `added` new keys.
    const step = Math.floor(unique / changed);
    await db.run(`CREATE TABLE change_rows AS
      SELECT ${row(`(j * ${step})`, "3")} FROM range(1, ${changed + 1}) t(j)
      UNION ALL
      SELECT ${row("k", "0")} FROM range(${unique + 1}, ${unique + added + 1}) t(k)`);
    const typed = `SELECT ${COLUMNS.map((c) => `CAST(${c.name} AS ${c.duckdb}) AS ${c.name}`).join(", ")}`;
    for (const [table, csv, parquet] of [["full_rows", files.csv, files.parquet], ["change_rows", files.changesCsv, files.changesParquet]] as const) {
      log(`bench: writing ${csv}`);
      await db.run(`COPY ${table} TO '${csv}' (FORMAT csv, HEADER true)`);
      log(`bench: writing ${parquet}`);
      await db.run(`COPY (${typed} FROM ${table}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    }
    // One customer with the most orders and one day, for the erasure and query cases.
    const who = (await db.query(`SELECT customer_id, count(DISTINCT order_id) AS n FROM full_rows GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`)).rowObjectsJson()[0]!;
    const day = (await db.query(`SELECT left(order_ts, 10) AS d, count(DISTINCT order_id) AS n FROM full_rows WHERE left(order_ts, 10) = '2024-07-01' GROUP BY 1`)).rowObjectsJson()[0]!;
    const manifest: DatasetManifest = {
      rows: n, uniqueKeys: unique, duplicates, changed, added,
      csvBytes: statSync(files.csv).size, parquetBytes: statSync(files.parquet).size,
      eraseCustomer: Number(who["customer_id"]), eraseCustomerRows: Number(who["n"]),
      queryDay: String(day["d"]), queryDayRows: Number(day["n"]),
      generatedMs: Date.now() - started,
    };
    writeFileSync(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const size = args.includes("--size") ? args[args.indexOf("--size") + 1]! : "1m";
  const m = await generate(size, { force: args.includes("--force") });
  process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
}

// Re-exported so the runner can check values against the spec's allowed list.
export { STATUSES };
