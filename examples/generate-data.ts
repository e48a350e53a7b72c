// Deterministic sample data for the examples, written under examples/data/ (git-ignored):
//   data/orders/orders-00N.csv   ~21,000 rows in 4 files; ~5% are later versions of an order
//                                (same order_id, newer updated_at, next status)
//   data/customers/customers.ndjson   2,000 customers with Korean and international phone formats
//   data/events/YYYY-MM-DD.parquet    30 days of web events, one Parquet file per day
// The same seed always gives byte-identical files. Run: pnpm --filter engine-examples generate

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

/** Options of `generateData`. */
export interface GenerateDataOptions {
  /** Output folder (default: examples/data next to this file). */
  readonly dir?: string;
  /** Seed of the PRNG (default 20240301). */
  readonly seed?: number;
  /** Regenerate even when the data is already there. */
  readonly force?: boolean;
}

/** What `generateData` wrote. */
export interface GeneratedData {
  readonly dir: string;
  readonly orders: { readonly files: number; readonly rows: number; readonly uniqueOrders: number; readonly duplicates: number };
  readonly customers: { readonly rows: number };
  readonly events: { readonly files: number; readonly rows: number };
  readonly skipped: boolean;
}

const DEFAULT_DIR = join(dirname(fileURLToPath(import.meta.url)), "data");
const ORDERS = 20_000;
const CUSTOMERS = 2_000;
const ORDER_FILES = 4;
const EVENT_DAYS = 30;
const START_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** mulberry32: a small, fast, seedable PRNG (Math.random cannot be seeded). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates the sample data unless it is already there (or `force` is set). */
export async function generateData(options: GenerateDataOptions = {}): Promise<GeneratedData> {
  const dir = options.dir ?? DEFAULT_DIR;
  const marker = join(dir, ".complete");
  if (existsSync(marker) && options.force !== true) {
    return { ...(JSON.parse(readFileSync(marker, "utf8")) as Omit<GeneratedData, "skipped">), skipped: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const random = prng(options.seed ?? 20240301);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const customers = writeCustomers(join(dir, "customers"), int, pick);
  const orders = writeOrders(join(dir, "orders"), customers, random, int, pick);
  const events = await writeEvents(join(dir, "events"), random, int, pick);

  const result = { dir, orders, customers: { rows: customers.length }, events };
  writeFileSync(marker, JSON.stringify(result));
  return { ...result, skipped: false };
}

interface Customer {
  readonly id: number;
  readonly email: string;
}

const KOREAN_FAMILY = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
const KOREAN_GIVEN = ["민준", "서연", "도윤", "지우", "하준", "서윤", "시우", "지민", "예준", "하은"];
const ROMAN_FAMILY = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim"];
const WESTERN_FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sophia", "Mateo"];
const WESTERN_LAST = ["Smith", "Garcia", "Müller", "Rossi", "Dubois", "Tanaka", "Silva", "Novak", "Jones", "Brown"];
const DOMAINS = ["example.com", "mail.example.kr", "corp.example.org", "example.net"];

function writeCustomers(dir: string, int: (a: number, b: number) => number, pick: <T>(items: readonly T[]) => T): Customer[] {
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const customers: Customer[] = [];
  for (let id = 1; id <= CUSTOMERS; id++) {
    const korean = id % 10 < 6;
    const family = int(0, KOREAN_FAMILY.length - 1);
    const name = korean ? `${KOREAN_FAMILY[family]}${pick(KOREAN_GIVEN)}` : `${pick(WESTERN_FIRST)} ${pick(WESTERN_LAST)}`;
    const local = korean ? `${ROMAN_FAMILY[family]}${id}` : `${name.split(" ")[0]!.toLowerCase()}.${id}`;
    const email = `${local}@${pick(DOMAINS)}`;
    const mid = String(int(1000, 9999));
    const end = String(int(1000, 9999));
    const phone = korean
      ? pick([`010-${mid}-${end}`, `+82 10-${mid}-${end}`, `01${int(0, 9)}${mid}${end}`, `02-${int(300, 999)}-${end}`])
      : pick([`+1 415-555-${end}`, `+44 20 7946 ${end.slice(0, 3)}0`, `+49 30 ${mid}${end}`, `+81 3-${mid}-${end}`]);
    const signup = new Date(START_MS - int(0, 720) * DAY_MS).toISOString().slice(0, 10);
    lines.push(JSON.stringify({ customer_id: id, name, email, phone, signup_date: signup }));
    customers.push({ id, email });
  }
  writeFileSync(join(dir, "customers.ndjson"), `${lines.join("\n")}\n`);
  return customers;
}

const STATUSES = ["pending", "paid", "shipped", "delivered"] as const;
const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

function writeOrders(
  dir: string,
  customers: readonly Customer[],
  random: () => number,
  int: (a: number, b: number) => number,
  pick: <T>(items: readonly T[]) => T,
): GeneratedData["orders"] {
  mkdirSync(dir, { recursive: true });
  const header = "order_id,customer_id,email,amount,order_ts,updated_at,status";
  const files: string[][] = Array.from({ length: ORDER_FILES }, () => [header]);
  let duplicates = 0;
  for (let i = 0; i < ORDERS; i++) {
    const orderId = 100_000 + i;
    const customer = pick(customers);
    const amount = (int(500, 50_000_00) / 100).toFixed(2);
    const orderTs = START_MS + Math.floor((i / ORDERS) * 90 * DAY_MS) + int(0, 3_600_000);
    const status = random() < 0.03 ? "cancelled" : pick(STATUSES.slice(0, 2));
    const updatedAt = orderTs + int(0, 600_000);
    const file = Math.floor((i / ORDERS) * ORDER_FILES);
    files[file]!.push(`${orderId},${customer.id},${customer.email},${amount},${iso(orderTs)},${iso(updatedAt)},${status}`);
    // About 5% of orders change later: the newer version lands in the same or a later file.
    if (random() < 0.05 && status !== "cancelled") {
      const next = STATUSES[Math.min(STATUSES.indexOf(status) + int(1, 2), STATUSES.length - 1)]!;
      const later = Math.min(ORDER_FILES - 1, file + int(0, 1));
      files[later]!.push(`${orderId},${customer.id},${customer.email},${amount},${iso(orderTs)},${iso(updatedAt + int(1, 5) * DAY_MS)},${next}`);
      duplicates++;
    }
  }
  files.forEach((lines, index) => writeFileSync(join(dir, `orders-${String(index).padStart(3, "0")}.csv`), `${lines.join("\n")}\n`));
  return { files: ORDER_FILES, rows: ORDERS + duplicates, uniqueOrders: ORDERS, duplicates };
}

const EVENT_TYPES = ["page_view", "page_view", "page_view", "click", "add_to_cart", "checkout", "search"];
const PAGES = ["/", "/products", "/products/42", "/cart", "/checkout", "/search?q=shoes", "/ko/products", "/help"];

async function writeEvents(
  dir: string,
  random: () => number,
  int: (a: number, b: number) => number,
  pick: <T>(items: readonly T[]) => T,
): Promise<GeneratedData["events"]> {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  let rows = 0;
  try {
    for (let day = 0; day < EVENT_DAYS; day++) {
      const dayStart = START_MS + day * DAY_MS;
      const count = int(600, 1_400);
      const values: string[] = [];
      for (let i = 0; i < count; i++) {
        const ts = iso(dayStart + int(0, DAY_MS - 1));
        const customer = random() < 0.3 ? "NULL" : String(int(1, CUSTOMERS));
        values.push(`('${eventId(day, i)}', ${customer}, '${pick(EVENT_TYPES)}', '${pick(PAGES)}', TIMESTAMPTZ '${ts}', ${int(50, 120_000)})`);
      }
      const date = new Date(dayStart).toISOString().slice(0, 10);
      const file = join(dir, `${date}.parquet`).replaceAll("'", "''");
      // The rows are generated here, so plain literals are safe; COPY writes them as one Parquet file.
      await connection.run(
        `COPY (SELECT * FROM (VALUES ${values.join(",")}) AS t(event_id, customer_id, event_type, page, event_ts, duration_ms) ORDER BY event_ts) ` +
          `TO '${file}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      rows += count;
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { files: EVENT_DAYS, rows };
}

function eventId(day: number, index: number): string {
  return `ev-${String(day).padStart(3, "0")}-${String(index).padStart(5, "0")}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await generateData({ force: process.argv.includes("--force") });
  const { orders, customers, events } = result;
  process.stdout.write(
    `${result.skipped ? "already there" : "wrote"} ${result.dir}: ${orders.rows} order rows (${orders.duplicates} later versions) in ${orders.files} CSV files, ` +
      `${customers.rows} customers, ${events.rows} events in ${events.files} Parquet files\n`,
  );
}
