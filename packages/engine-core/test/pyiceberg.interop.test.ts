// Issue 2's proof by a reader we did not write: PyIceberg opens the tables Engine writes and
// reads exactly the rows an independent DuckDB query computes from the input files; and Engine
// reads a table that PyIceberg created and appended to, with the checksum PyIceberg computes.
//
// The checksum is the same on both sides and order-independent: each row becomes the text
// `col1|col2|…` (integers and decimals as written, dates as days and timestamps as microseconds
// since the epoch, NULL as \N), and the first 15 hex digits of its MD5 are summed.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { peerSkipped, runPython, tempDir } from "../../../test/util/peers.js";

const skip = peerSkipped("python");

const PY_CHECKSUM = `
import hashlib, pyarrow as pa, pyarrow.compute as pc
def canon(col):
    t = col.type
    if pa.types.is_timestamp(t):
        col = pc.cast(col, pa.int64())
    elif pa.types.is_date32(t):
        col = pc.cast(col, pa.int32())
    return [None if v is None else str(v) for v in col.to_pylist()]
def checksum(tbl, columns):
    cols = [canon(tbl.column(c)) for c in columns]
    total = 0
    for i in range(tbl.num_rows):
        s = "|".join("\\\\N" if c[i] is None else c[i] for c in cols)
        total += int(hashlib.md5(s.encode("utf-8")).hexdigest()[:15], 16)
    return {"count": tbl.num_rows, "sum": str(total)}
`;

/** The same checksum as DuckDB SQL over a relation whose columns are already canonical text. */
function sqlChecksum(relation: string, exprs: string[]): string {
  const row = exprs.map((e) => `coalesce((${e})::varchar, '\\N')`).join(" || '|' || ");
  return `select count(*)::bigint as count, coalesce(sum(('0x' || left(md5(${row}), 15))::bigint::hugeint), 0)::varchar as sum from ${relation}`;
}

async function duckdb(sql: string): Promise<Record<string, unknown>> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(sql);
    return r.getRowObjectsJson()[0] as Record<string, unknown>;
  } finally {
    c.closeSync();
  }
}

describe.skipIf(skip)("PyIceberg reads what Engine writes", () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = tempDir("engine-pyiceberg-");
    // Input written by DuckDB itself: 3 CSV files, duplicate keys with newer versions, NULLs,
    // non-ASCII text, negative amounts, timestamps over ~40 days (some before 1970 for the day transform).
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    for (let f = 0; f < 3; f++) {
      await c.run(`copy (
        select (i % 4000) as order_id,
               case when i % 17 = 0 then null else i % 250 end as customer_id,
               case when i % 11 = 0 then null else 'cust' || (i % 250) || '@exämple.kr' end as email,
               ((i * 37) % 100000 - 5000) / 100.0 as amount,
               timestamptz '2024-03-01 00:00:00+00' + to_minutes(i * 13) - (case when i % 97 = 0 then interval 20000 day else interval 0 day end) as order_ts,
               timestamptz '2024-05-01 00:00:00+00' + to_seconds(i) as updated_at
        from range(${f * 2000}, ${f * 2000 + 2500}) t(i)
      ) to '${path.join(dir, `orders-${f}.csv`)}' (header true)`);
    }
    c.closeSync();
    engine = await Engine.open({ warehouse: path.join(dir, "warehouse") });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("reads a partitioned, deduplicated load row for row", async () => {
    const result = await engine.load({
      table: "interop.orders",
      source: { format: "csv", path: path.join(dir, "orders-*.csv"), options: { header: true } },
      columns: [
        { name: "order_id", type: "long", required: true },
        { name: "customer_id", type: "long" },
        { name: "email", type: "string" },
        { name: "amount", type: "decimal(12,2)" },
        { name: "order_ts", type: "timestamptz", required: true },
        { name: "updated_at", type: "timestamptz" },
      ],
      key: ["order_id"],
      dedupe: { keep: "latest", orderBy: "updated_at" },
      partition: ["day(order_ts)"],
      write: { mode: "append" },
    });
    expect(result.snapshotId).toBeDefined();

    // Expected: computed by plain DuckDB over the CSV files, not by Engine.
    const expected = await duckdb(
      sqlChecksum(
        `(select * from read_csv('${path.join(dir, "orders-*.csv")}', header = true,
            columns = {'order_id': 'BIGINT', 'customer_id': 'BIGINT', 'email': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'order_ts': 'TIMESTAMPTZ', 'updated_at': 'TIMESTAMPTZ'})
          qualify row_number() over (partition by order_id order by updated_at desc) = 1)`,
        ["order_id", "customer_id", "email", "amount", "epoch_us(order_ts)", "epoch_us(updated_at)"],
      ),
    );

    const table = await engine.openTable("interop.orders");
    const seen = await runPython<{ count: number; sum: string; files: number; partitions: number; spec: string }>(
      `${PY_CHECKSUM}
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
arrow = t.scan().to_arrow()
result = checksum(arrow, ["order_id", "customer_id", "email", "amount", "order_ts", "updated_at"])
tasks = list(t.scan().plan_files())
result["files"] = len(tasks)
result["partitions"] = len({str(task.file.partition) for task in tasks})
result["spec"] = str(t.spec())
`,
      { metadata: table.metadataLocation },
    );
    expect(seen.count).toBe(Number(expected.count));
    expect(seen.sum).toBe(String(expected.sum));
    expect(seen.spec).toContain("day");
    // one file per day partition, as the day transform puts each row in exactly one
    expect(seen.files).toBe(seen.partitions);
  });

  it("prunes by the day partition the way PyIceberg does", async () => {
    const table = await engine.openTable("interop.orders");
    const seen = await runPython<{ files: number; rows: number }>(
      `
from pyiceberg.table import StaticTable
from pyiceberg.expressions import And, GreaterThanOrEqual, LessThan
t = StaticTable.from_metadata(args["metadata"])
f = And(GreaterThanOrEqual("order_ts", "2024-04-01T00:00:00+00:00"), LessThan("order_ts", "2024-04-02T00:00:00+00:00"))
result = {"files": len(list(t.scan(row_filter=f).plan_files())), "rows": t.scan(row_filter=f).to_arrow().num_rows}
`,
      { metadata: table.metadataLocation },
    );
    const ours = await engine.query(
      "select count(*)::integer n from interop.orders where order_ts >= timestamptz '2024-04-01 00:00:00+00' and order_ts < timestamptz '2024-04-02 00:00:00+00'",
    );
    expect(seen.files).toBe(1);
    expect(seen.rows).toBe(Number(ours.rows()[0]!.n));
    expect(seen.rows).toBeGreaterThan(0);
  });
});

describe.skipIf(skip)("Engine reads what PyIceberg writes", () => {
  it("reads a PyIceberg-created, twice-appended, partitioned table with PyIceberg's checksum", async () => {
    const dir = tempDir("engine-pyiceberg-w-");
    const written = await runPython<{ metadata: string; count: number; sum: string }>(
      `${PY_CHECKSUM}
import datetime, decimal, os
import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.types import NestedField, LongType, StringType, DecimalType, TimestamptzType, DateType, DoubleType, BooleanType
from pyiceberg.partitioning import PartitionSpec, PartitionField
from pyiceberg.transforms import DayTransform, IdentityTransform
wh = args["dir"]
cat = SqlCatalog("t", uri=f"sqlite:///{wh}/catalog.db", warehouse=f"file://{wh}")
cat.create_namespace("py")
schema = Schema(
  NestedField(1, "id", LongType(), required=True),
  NestedField(2, "name", StringType()),
  NestedField(3, "price", DecimalType(10, 3)),
  NestedField(4, "ts", TimestamptzType()),
  NestedField(5, "d", DateType()),
  NestedField(6, "score", DoubleType()),
  NestedField(7, "flag", BooleanType()),
  NestedField(8, "region", StringType()),
)
spec = PartitionSpec(PartitionField(source_id=4, field_id=1000, transform=DayTransform(), name="ts_day"),
                     PartitionField(source_id=8, field_id=1001, transform=IdentityTransform(), name="region"))
tbl = cat.create_table("py.items", schema=schema, partition_spec=spec)
def batch(start, n):
    base = datetime.datetime(2023, 12, 30, tzinfo=datetime.timezone.utc)
    return pa.table({
      "id": pa.array(range(start, start + n), pa.int64()),
      "name": pa.array([None if i % 7 == 0 else f"näme-{i}" for i in range(start, start + n)], pa.string()),
      "price": pa.array([decimal.Decimal(i * 1234 % 100000) / 1000 for i in range(start, start + n)], pa.decimal128(10, 3)),
      "ts": pa.array([base + datetime.timedelta(hours=i * 5) for i in range(start, start + n)], pa.timestamp("us", tz="UTC")),
      "d": pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 900) for i in range(start, start + n)], pa.date32()),
      "score": pa.array([i / 8 for i in range(start, start + n)], pa.float64()),
      "flag": pa.array([i % 3 == 0 for i in range(start, start + n)], pa.bool_()),
      "region": pa.array([["kr", "us", "eu"][i % 3] for i in range(start, start + n)], pa.string()),
    }, schema=tbl.schema().as_arrow())
tbl.append(batch(0, 700))
tbl.append(batch(700, 500))
tbl = cat.load_table("py.items")
result = checksum(tbl.scan().to_arrow(), ["id", "name", "price", "ts", "d", "score", "flag", "region"])
result["metadata"] = tbl.metadata_location
`,
      { dir },
    );
    const engine = await Engine.open({ warehouse: path.join(dir, "engine-wh") });
    try {
      await engine.registerTable("py.items", written.metadata.replace(/^file:\/\//, ""));
      // PyIceberg's str(float) prints the shortest round-trip form, as DuckDB's varchar cast does;
      // booleans print as True/False in Python.
      const ours = await engine.query(
        sqlChecksum("py.items", ["id", "name", "price", "epoch_us(ts)", "(d - date '1970-01-01')", "score", "case when flag then 'True' else 'False' end", "region"]),
      );
      const row = ours.rows()[0]!;
      expect(Number(row.count)).toBe(written.count);
      expect(String(row.sum)).toBe(written.sum);
      const history = await engine.history("py.items");
      expect(history.map((h) => h.operation)).toEqual(["append", "append"]);
    } finally {
      await engine.close();
    }
  });
});
