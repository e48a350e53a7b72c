// The benchmark's orders-like dataset: its shape, where its files live, and the Engine spec that
// loads it. The generator (generate.ts) and every case read from here, so all systems see the
// same files and the same meaning.

import path from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** bench/data (git-ignored). */
export const DATA_DIR = path.join(BENCH_DIR, "data");

/** Rows of the full load per size name. */
export const SIZES: Readonly<Record<string, number>> = { "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000 };

/** Statuses a row may have; the `allowed` validation rule checks them. */
export const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;

/** The 12 columns: name, Iceberg type, DuckDB type, PyArrow type, Spark type. */
export const COLUMNS = [
  { name: "order_id", iceberg: "long", duckdb: "BIGINT", required: true },
  { name: "customer_id", iceberg: "long", duckdb: "BIGINT", required: true },
  { name: "email", iceberg: "string", duckdb: "VARCHAR" },
  { name: "status", iceberg: "string", duckdb: "VARCHAR" },
  { name: "channel", iceberg: "string", duckdb: "VARCHAR" },
  { name: "country", iceberg: "string", duckdb: "VARCHAR" },
  { name: "sku", iceberg: "string", duckdb: "VARCHAR" },
  { name: "quantity", iceberg: "int", duckdb: "INTEGER" },
  { name: "amount", iceberg: "decimal(12,2)", duckdb: "DECIMAL(12,2)" },
  { name: "discount", iceberg: "decimal(10,2)", duckdb: "DECIMAL(10,2)" },
  { name: "order_ts", iceberg: "timestamptz", duckdb: "TIMESTAMPTZ", required: true },
  { name: "updated_at", iceberg: "timestamptz", duckdb: "TIMESTAMPTZ" },
] as const;

/** Files of one dataset size. */
export interface DatasetFiles {
  readonly dir: string;
  readonly rows: number;
  /** The full load: `rows` rows, 5% of them newer versions of earlier keys. */
  readonly csv: string;
  readonly parquet: string;
  /** The merge batch: 1% of `rows` changed existing keys + 0.5% new keys, one row per key. */
  readonly changesCsv: string;
  readonly changesParquet: string;
  /** Facts the generator wrote (counts, one customer to erase, one day to query). */
  readonly manifest: string;
}

/** Paths of the dataset of one size (`1m`, `10m`, …). */
export function datasetFiles(size: string): DatasetFiles {
  const rows = SIZES[size];
  if (rows === undefined) throw new Error(`bench: size: expected one of ${Object.keys(SIZES).join(", ")}, got ${size}`);
  const dir = path.join(DATA_DIR, `orders-${size}`);
  return {
    dir, rows,
    csv: path.join(dir, "orders.csv"),
    parquet: path.join(dir, "orders.parquet"),
    changesCsv: path.join(dir, "changes.csv"),
    changesParquet: path.join(dir, "changes.parquet"),
    manifest: path.join(dir, "dataset.json"),
  };
}

/** What generate.ts records about a dataset. */
export interface DatasetManifest {
  readonly rows: number;
  readonly uniqueKeys: number;
  readonly duplicates: number;
  readonly changed: number;
  readonly added: number;
  readonly csvBytes: number;
  readonly parquetBytes: number;
  /** A customer with several orders, for the erasure case. */
  readonly eraseCustomer: number;
  readonly eraseCustomerRows: number;
  /** One day (YYYY-MM-DD) for the single-day query. */
  readonly queryDay: string;
  readonly queryDayRows: number;
  readonly generatedMs: number;
}

/** The Engine spec of the benchmark table (three validation rules, partitioned by day). */
export function ordersSpec(options: { table?: string; mode?: "append" | "merge" | "overwrite"; format?: "csv" | "parquet"; targetFileSize?: string; filter?: Record<string, unknown>; validate?: boolean } = {}): Record<string, unknown> {
  const write: Record<string, unknown> = { mode: options.mode ?? "append" };
  if (options.targetFileSize) write["targetFileSize"] = options.targetFileSize;
  if (options.filter) write["filter"] = options.filter;
  const spec: Record<string, unknown> = {
    table: options.table ?? "bench.orders",
    source: options.format === "parquet" ? { format: "parquet", path: "unused.parquet" } : { format: "csv", path: "unused.csv", options: { header: true } },
    columns: COLUMNS.map((c) => ({ name: c.name, type: c.iceberg, ...("required" in c && c.required ? { required: true } : {}) })),
    key: ["order_id"],
    dedupe: { keep: "latest", orderBy: "updated_at" },
    partition: ["day(order_ts)"],
    write,
  };
  if (options.validate !== false) {
    spec["validate"] = [
      { notNull: ["order_id", "customer_id", "order_ts"] },
      { unique: ["order_id"] },
      { allowed: { column: "status", values: [...STATUSES] } },
    ];
  }
  return spec;
}
