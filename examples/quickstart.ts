// Quickstart: load two tables from their specs into a local Iceberg warehouse and query them.
// Run from anywhere: pnpm demo   (or: node --conditions=source --import tsx examples/quickstart.ts)

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "@engine/core";
import { generateData } from "./generate-data.js";

// Setup: paths below are relative to the repo root; sample data is generated on first run.
process.chdir(join(dirname(fileURLToPath(import.meta.url)), ".."));
const data = await generateData();
console.log(`${data.skipped ? "using" : "generated"} sample data: ${data.orders.rows} order rows, ${data.customers.rows} customers`);

// The part a user writes:
const engine = await Engine.open(); // ./warehouse, local catalog, DuckDB
const orders = await engine.load("examples/specs/sales/orders.yaml");
const customers = await engine.load("examples/specs/sales/customers.yaml");
(await engine.query("select status, count(*) n from sales.orders group by 1 order by 1")).print();

for (const result of [orders, customers]) {
  if (result.status === "skipped") {
    console.log(`${result.table}: skipped, already loaded (snapshot ${result.snapshotId}); pass { force: true } to load again`);
    continue;
  }
  console.log(
    `${result.table}: ${result.mode} committed snapshot ${result.snapshotId ?? "-"}: read ${result.rowsRead}, ` +
      `dropped ${result.duplicatesDropped} duplicates, inserted ${result.rowsInserted}, updated ${result.rowsUpdated} in ${result.durationMs} ms`,
  );
}
const counts = await engine.query("select (select count(*) from sales.orders) orders, (select count(*) from sales.customers) customers");
console.log(counts.rows()[0]);
await engine.close();
