// Child process of concurrency.interop.test.ts: appends `batches` batches to one table through
// Engine.load (DuckDB write + FileSystemCatalog commit with its own retries), each batch with a
// distinct batch id. Run as: node --conditions=source --import tsx concurrent-appender.ts <warehouse> <table> <worker> <batches> <rows>
import { Engine } from "../../src/index.js";

const [warehouse, table, worker, batches, rows] = process.argv.slice(2);
const engine = await Engine.open({ warehouse: warehouse!, duckdb: { threads: 1 } });
try {
  for (let b = 0; b < Number(batches); b++) {
    const batch = Number(worker) * 1000 + b;
    await engine.load(
      { table: table!, columns: [{ name: "batch", type: "long", required: true }, { name: "worker", type: "int" }, { name: "row", type: "int" }], write: { mode: "append" } },
      { data: Array.from({ length: Number(rows) }, (_, r) => ({ batch, worker: Number(worker), row: r })) },
    );
  }
} finally {
  engine.close();
}
