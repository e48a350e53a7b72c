// PyIceberg reads the result of every write mode (each a chain of commits: overwrite removes
// files, merge rewrites some) and its checksum matches what plain DuckDB computes from the input
// files — the meaning of each mode written out independently here, not through our compiler.
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { peerSkipped, runPython, tempDir } from "../../../test/util/peers.js";
import { fixtureSpec, read, writeCsv } from "./util/write-fixtures.js";

const skip = peerSkipped("python");

// Each row → "id|days|amount|epoch_us" (NULL as \N); the first 15 hex digits of its MD5 are summed.
const PY = `
import hashlib, pyarrow as pa, pyarrow.compute as pc
from pyiceberg.table import StaticTable
def canon(col):
    t = col.type
    if pa.types.is_timestamp(t): col = pc.cast(col, pa.int64())
    elif pa.types.is_date32(t): col = pc.cast(col, pa.int32())
    return [None if v is None else str(v) for v in col.to_pylist()]
tbl = StaticTable.from_metadata(args["metadata"]).scan().to_arrow()
cols = [canon(tbl.column(c)) for c in ["id", "day", "amount", "updated_at"]]
total = 0
for i in range(tbl.num_rows):
    s = "|".join("\\\\N" if c[i] is None else c[i] for c in cols)
    total += int(hashlib.md5(s.encode("utf-8")).hexdigest()[:15], 16)
result = {"count": tbl.num_rows, "sum": str(total)}
`;

async function expectedChecksum(relation: string): Promise<{ count: number; sum: string }> {
  const row = ["id", "(day - DATE '1970-01-01')", "amount", "epoch_us(updated_at)"].map((e) => `coalesce((${e})::varchar, '\\N')`).join(" || '|' || ");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const r = (await c.runAndReadAll(`select count(*)::bigint as count, coalesce(sum(('0x' || left(md5(${row}), 15))::bigint::hugeint), 0)::varchar as sum from (${relation})`)).getRowObjectsJson()[0]!;
    return { count: Number(r["count"]), sum: String(r["sum"]) };
  } finally {
    c.closeSync();
  }
}

describe.skipIf(skip)("PyIceberg reads every write mode's result", () => {
  let dir: string;
  let b1: string, b2: string, b3: string;
  let n = 0;
  beforeAll(async () => {
    dir = tempDir("engine-modes-py-");
    const T0 = "2024-01-31 10:00:00+00", T1 = "2024-02-01 10:00:00+00", T2 = "2024-02-02 10:00:00+00";
    b1 = await writeCsv(path.join(dir, "b1.csv"), [
      [1, "2024-01-01", "10.00", T1, null], [2, "2024-01-01", "20.00", T1, null], [3, "2024-01-02", "30.00", T1, null],
      [4, "2024-01-02", "40.00", T1, null], [5, "2024-01-03", "50.00", T1, null], [6, "1969-12-31", null, null, null],
    ]);
    b2 = await writeCsv(path.join(dir, "b2.csv"), [
      [2, "2024-01-01", "21.00", T2, null], [4, "2024-01-02", "41.00", T0, null], [5, "2024-01-03", "55.00", T2, "D"], [7, "2024-01-03", "70.00", T2, null],
    ]);
    b3 = await writeCsv(path.join(dir, "b3.csv"), [[5, "2024-01-03", "51.00", T2, null], [8, "2024-01-03", "-80.50", T2, null]]);
  });

  const cases: { mode: string; extra: Record<string, unknown>; second: () => string; params?: Record<string, string>; expected: () => string }[] = [
    { mode: "append", extra: {}, second: () => b2, expected: () => `select id, day, amount, updated_at from ${read(b1)} union all select id, day, amount, updated_at from ${read(b2)}` },
    { mode: "overwrite", extra: {}, second: () => b3, expected: () => `select id, day, amount, updated_at from ${read(b3)}` },
    {
      mode: "overwrite", extra: { filter: { day: "{date}" } }, params: { date: "2024-01-03" }, second: () => b3,
      expected: () => `select id, day, amount, updated_at from ${read(b1)} where day <> date '2024-01-03' union all select id, day, amount, updated_at from ${read(b3)}`,
    },
    {
      mode: "replace-partitions", extra: {}, second: () => b3,
      expected: () => `select id, day, amount, updated_at from ${read(b1)} where day <> date '2024-01-03' union all select id, day, amount, updated_at from ${read(b3)}`,
    },
    {
      mode: "merge", extra: { deleteMarker: { column: "op", value: "D" } }, second: () => b2,
      expected: () => `select id, day, amount, updated_at from (select *, 1 as src from ${read(b1)} union all select *, 2 as src from ${read(b2)})
        qualify row_number() over (partition by id order by updated_at desc nulls last, src desc) = 1 and coalesce(op, '') <> 'D'`,
    },
  ];

  for (const c of cases) {
    it(`${c.mode}${c.extra["filter"] ? " with a filter" : ""}`, async () => {
      const engine = await Engine.open({ warehouse: path.join(dir, `wh${n++}`) });
      try {
        const spec = (src: string) => fixtureSpec(src, {
          key: "id", partition: ["day"], ...(c.mode === "merge" ? { dedupe: { keep: "latest", orderBy: "updated_at" } } : {}),
          write: { mode: c.mode, ...c.extra },
        });
        await engine.load(c.extra["filter"] ? fixtureSpec(b1, { key: "id", partition: ["day"] }) : spec(b1));
        const r = await engine.load(spec(c.second()), c.params ? { params: c.params } : {});
        expect(r.status).toBe("committed");
        const table = await engine.openTable("t.items");
        const seen = await runPython<{ count: number; sum: string }>(PY, { metadata: table.metadataLocation });
        expect(seen).toEqual(await expectedChecksum(c.expected()));
      } finally {
        engine.close();
      }
    });
  }
  afterAll(() => undefined);
});
