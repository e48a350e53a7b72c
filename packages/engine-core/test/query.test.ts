import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseType } from "@engine/iceberg";
import { Engine } from "../src/engine/engine.js";
import { referencedTables } from "../src/query/table-refs.js";
import { tempDir } from "./util/tmp.js";

describe("referencedTables", () => {
  it("finds ns.table names case-insensitively, word-bounded, quoted or not, outside strings", () => {
    const names = ["sales.orders", "sales.orders_v2", "hr.people"];
    expect(referencedTables("select * from SALES.Orders o join \"hr\".\"people\" p on true", names)).toEqual(["sales.orders", "hr.people"]);
    expect(referencedTables("select * from sales.orders_v2", names)).toEqual(["sales.orders_v2"]);
    expect(referencedTables("select 'sales.orders' as s, x.sales.orders2 from t", names)).toEqual([]);
  });
});

describe("Engine.query", () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    engine = await Engine.open({ warehouse: path.join(t.dir, "wh") });
  });
  afterAll(async () => {
    engine.close();
    await cleanup();
  });

  it("reads a table without snapshots as an empty relation typed by its schema", async () => {
    await engine.catalog.createNamespace(["app"]);
    await engine.catalog.createTable({ namespace: ["app"], name: "empty" }, {
      schema: { schemaId: 0, fields: [{ id: 1, name: "id", required: true, type: parseType("long") }, { id: 2, name: "amount", required: false, type: parseType("decimal(10,2)") }] },
    });
    const r = await engine.query("select * from app.empty");
    expect(r.numRows).toBe(0);
    expect(r.columnNames).toEqual(["id", "amount"]);
    expect(String(r.arrow.schema.fields[1]!.type)).toMatch(/Decimal/);
    const d = await engine.query("select typeof(id) t from (select * from app.empty union all select 1::bigint, null)");
    expect(d.rows()[0]!["t"]).toBe("BIGINT");
  });

  it("loads in-memory rows with a transform, identity + month partitions, and reads them back", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, region: i % 3 === 0 ? "EU" : "US", ts: new Date(Date.UTC(2023, i % 14, 3)).toISOString(), note: `n${i}` }));
    const result = await engine.load({
      table: "app.events",
      source: { format: "memory" },
      transform: { sql: "select id, upper(region) as region, ts, note || '!' as note from source where id < 30" },
      columns: [
        { name: "id", type: "long", required: true },
        { name: "region", type: "string" },
        { name: "ts", type: "timestamptz" },
        { name: "note", type: "string" },
      ],
      partition: ["region", "month(ts)"],
    }, { data: rows });
    expect(result.rowsWritten).toBe(30);
    const t = await engine.openTable("app.events");
    const tasks = await t.newScan().planFiles();
    for (const task of tasks) {
      const [region, month] = task.file.partition as [string, number];
      const p = t.io.localPath(task.file.filePath)!;
      expect(p).toMatch(new RegExp(`/region=${region}/ts_month=\\d{4}-\\d{2}/`));
      expect(typeof month).toBe("number");
    }
    const back = await engine.query("select region, count(*) n, min(note) m from app.events group by region order by region");
    expect(back.rows()).toEqual([{ region: "EU", n: 10n, m: "n0!" }, { region: "US", n: 20n, m: "n1!" }]);
    expect(back.toString()).toContain("(2 rows)");
  });
});
