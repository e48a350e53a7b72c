// Issue 3, "Must show" 1 and 6: Spark and PyIceberg read every kind of table Engine writes with
// the rows of the input. The expected checksums come from the peers reading the INPUT (a Parquet
// file written by plain DuckDB), never from Engine; partition values of bucket/truncate/time
// transforms are compared with the ones Spark computes for a table it writes itself from the same
// rows, and with PyIceberg's transforms of each file's rows.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { peerSkipped, runPython, sparkPeer, tempDir, uniqueName, type SparkPeer } from "../../../test/util/peers.js";
import { PY_SAFE_CHECKSUM, plainDuckDb } from "./util/interop.js";

const skip = peerSkipped("spark") || peerSkipped("python");

/** Rows with every primitive type, NULLs, pre-1970 dates/times, 38-digit decimals, non-ASCII text. */
const ALL_TYPES_SQL = (n: number) => `
  SELECT i::BIGINT AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
    CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919 % 200001 - 100000)::INTEGER END AS i32,
    (i * 2305843009213693 - 4611686018427387904)::BIGINT AS i64,
    (i / 8.0 - 7)::FLOAT AS f32,
    CASE WHEN i % 13 = 0 THEN NULL ELSE i * 1.1 - 50.25 END::DOUBLE AS f64,
    ((i * 37 % 20000) / 100.0 - 90)::DECIMAL(9,2) AS dec9,
    CAST(CASE WHEN i % 2 = 0 THEN '-' ELSE '' END || lpad(CAST(i * 37 AS VARCHAR), 28, '9') || '.' || lpad(CAST(i AS VARCHAR), 10, '0') AS DECIMAL(38,10)) AS dec38,
    DATE '1969-12-25' + CAST(i * 37 AS INTEGER) AS d,
    TIME '00:00:00' + to_microseconds(i * 3600000123 % 86400000000) AS t,
    TIMESTAMP '1969-12-31 20:00:00' + to_microseconds(i * 987654321123) AS ts,
    TIMESTAMPTZ '1969-12-31 20:00:00+00' + to_microseconds(i * 876543210987) AS tstz,
    CASE WHEN i % 17 = 0 THEN NULL ELSE 'näme-' || i || ' 한글 😀 ' || repeat('x', i % 5) END AS s,
    CAST(substr(md5(CAST(i AS VARCHAR)), 1, 8) || '-' || substr(md5(CAST(i AS VARCHAR)), 9, 4) || '-' || substr(md5(CAST(i AS VARCHAR)), 13, 4) || '-' ||
      substr(md5(CAST(i AS VARCHAR)), 17, 4) || '-' || substr(md5(CAST(i AS VARCHAR)), 21, 12) AS VARCHAR) AS u,
    unhex(md5('f' || i)) AS fx,
    unhex(substr(md5('b' || i), 1, 2 * (i % 9))) AS bin
  FROM range(1, ${n + 1}) t(i)`;

const ALL_TYPES_COLUMNS = [
  { name: "id", type: "long", required: true },
  { name: "flag", type: "boolean" },
  { name: "i32", type: "int" },
  { name: "i64", type: "long" },
  { name: "f32", type: "float" },
  { name: "f64", type: "double" },
  { name: "dec9", type: "decimal(9,2)" },
  { name: "dec38", type: "decimal(38,10)" },
  { name: "d", type: "date" },
  { name: "t", type: "time" },
  { name: "ts", type: "timestamp" },
  { name: "tstz", type: "timestamptz" },
  { name: "s", type: "string" },
  { name: "u", type: "uuid" },
  { name: "bin", type: "binary" },
  { name: "fx", type: "fixed[16]" },
];

/** Spark's view of the input Parquet with the Spark types Iceberg maps our columns to (no time: Spark has none). */
const SPARK_INPUT_COLUMNS = "id, flag, i32, i64, f32, f64, dec9, dec38, d, CAST(ts AS TIMESTAMP_NTZ) AS ts, CAST(tstz AS TIMESTAMP) AS tstz, s, u, bin, fx";
const SPARK_TABLE_COLUMNS = "id, flag, i32, i64, f32, f64, dec9, dec38, d, ts, tstz, s, u, bin, fx";

/** Registers a Parquet file as a Spark temp view (Spark reads the input itself) and returns its name. */
async function sparkParquetView(spark: SparkPeer, file: string): Promise<string> {
  const view = uniqueName("in");
  await spark.run("spark.read.parquet(args['file']).createOrReplaceTempView(args['view'])", { file, view });
  return view;
}

describe.skipIf(skip)("Spark and PyIceberg read what Engine writes", () => {
  let spark: SparkPeer;
  let dir: string;
  let engine: Engine;
  const ns = uniqueName("sre");
  beforeAll(async () => {
    spark = await sparkPeer();
    dir = tempDir("engine-sre-");
    // Engine's warehouse IS Spark's Hadoop catalog warehouse: local.<ns>.<t> is our table.
    engine = await Engine.open({ warehouse: spark.warehouse });
  });
  afterAll(() => engine?.close());

  it("reads every primitive type row for row (Spark without time; PyIceberg with it)", async () => {
    const input = path.join(dir, "all-types.parquet");
    const sparkInput = path.join(dir, "all-types-no-time.parquet");
    await plainDuckDb(`COPY (${ALL_TYPES_SQL(300)}) TO '${input}' (FORMAT parquet)`, `COPY (SELECT * EXCLUDE (t) FROM '${input}') TO '${sparkInput}' (FORMAT parquet)`);
    // Spark has no time type: its table omits `t`; PyIceberg reads a second table that has it.
    await engine.load({
      table: `${ns}.all_types`,
      source: { format: "parquet", path: input },
      columns: ALL_TYPES_COLUMNS.filter((c) => c.name !== "t"),
      write: { mode: "append" },
    });
    await engine.load({ table: `${ns}.all_types_time`, source: { format: "parquet", path: input }, columns: ALL_TYPES_COLUMNS, write: { mode: "append" } });

    const view = await sparkParquetView(spark, sparkInput);
    const expected = await spark.checksum({ sql: `SELECT ${SPARK_INPUT_COLUMNS} FROM ${view}` });
    const seen = await spark.checksum({ sql: `SELECT ${SPARK_TABLE_COLUMNS} FROM local.${ns}.all_types` });
    expect(expected.count).toBe(300);
    expect(seen).toEqual(expected);
    const types = await spark.sql(`DESCRIBE local.${ns}.all_types`);
    expect(types.rows.slice(0, 15).map((r) => `${r[0]}:${r[1]}`)).toEqual([
      "id:bigint", "flag:boolean", "i32:int", "i64:bigint", "f32:float", "f64:double", "dec9:decimal(9,2)", "dec38:decimal(38,10)",
      "d:date", "ts:timestamp_ntz", "tstz:timestamp", "s:string", "u:string", "bin:binary", "fx:binary",
    ]);

    const py = await runPython<{ table: unknown; input: unknown; withoutUuid: unknown; types: string[] }>(
      `${PY_SAFE_CHECKSUM}
import pyarrow.parquet as pq
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
cols = [f.name for f in t.schema().fields]
arrow = t.scan(selected_fields=tuple(cols)).to_arrow()
inp = pq.read_table(args["input"]).select(cols)
result = {"table": checksum(arrow), "input": checksum(inp), "types": [str(f.field_type) for f in t.schema().fields]}
`,
      { metadata: (await engine.openTable(`${ns}.all_types_time`)).metadataLocation, input },
    );
    expect(py.types).toEqual(["long", "boolean", "int", "long", "float", "double", "decimal(9, 2)", "decimal(38, 10)", "date", "time", "timestamp", "timestamptz", "string", "uuid", "binary", "fixed[16]"]);
    expect(py.input).toMatchObject({ count: 300 });
    expect(py.table).toEqual(py.input);
  });

  describe("fixed[L] columns", () => {
    // Spec: fixed(L) is FIXED_LEN_BYTE_ARRAY(L) in Parquet. DuckDB writes BLOB as BYTE_ARRAY; Engine
    // transcodes the files of tables with fixed columns (top level, in structs, lists and maps).
    const COLUMNS = [
      { name: "id", type: "long", required: true },
      { name: "fx", type: "fixed[16]" },
      { name: "st", type: "struct<f4:fixed[4],n:int>" },
      { name: "lst", type: "list<fixed[2]>" },
      { name: "mp", type: "map<string,fixed[3]>" },
    ];
    let input: string;
    let view: string;
    beforeAll(async () => {
      input = path.join(dir, "fixed.parquet");
      await plainDuckDb(`COPY (SELECT i::BIGINT AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE unhex(md5('f' || (i % 23))) END AS fx,
          CASE WHEN i % 9 = 0 THEN NULL ELSE struct_pack(f4 := CASE WHEN i % 4 = 0 THEN NULL ELSE unhex(substr(md5('g' || i), 1, 8)) END, n := i::INTEGER) END AS st,
          CASE WHEN i % 10 = 0 THEN NULL ELSE [unhex(substr(md5('h' || i), 1, 4)), NULL, unhex('00ff')] END AS lst,
          MAP(['k' || i], [unhex(substr(md5('k' || i), 1, 6))]) AS mp
        FROM range(1, 301) t(i)) TO '${input}' (FORMAT parquet)`);
      view = await sparkParquetView(spark, input);
      await engine.load({ table: `${ns}.fixed_cols`, source: { format: "parquet", path: input }, columns: COLUMNS, write: { mode: "append" } });
    });

    it("Spark (vectorized and row-based) and PyIceberg read the bytes of the input; PyIceberg sees fixed types", async () => {
      const expected = await spark.checksum({ sql: `SELECT * FROM ${view}` });
      expect(expected.count).toBe(300);
      expect(await spark.checksum({ table: `local.${ns}.fixed_cols` })).toEqual(expected);
      // A flat projection goes through Iceberg's vectorized (columnar) Parquet reader when enabled.
      const flat = `df = spark.read.format("iceberg").option("vectorization-enabled", args["vec"]).load(args["table"]).select("id", "fx")
result = {"columnar": "ColumnarToRow" in df._jdf.queryExecution().executedPlan().toString(),
  "rows": sorted([[r[0], None if r[1] is None else r[1].hex()] for r in df.collect()])}`;
      const want = (await plainDuckDb(`SELECT id, lower(hex(fx)) AS fx FROM '${input}' ORDER BY id`)).map((r) => [Number(r.id), r.fx === "" ? null : r.fx]);
      for (const vec of [true, false]) {
        const read = await spark.run<{ columnar: boolean; rows: unknown[][] }>(flat, { table: `local.${ns}.fixed_cols`, vec: String(vec) });
        expect(read, `vectorization-enabled=${vec}`).toEqual({ columnar: vec, rows: want });
      }
      const py = await runPython<{ table: unknown; input: unknown; types: string[]; physical: string[] }>(
        `${PY_SAFE_CHECKSUM}
import pyarrow.parquet as pq
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
files = [task.file.file_path.removeprefix("file://") for task in t.scan().plan_files()]
schema = pq.ParquetFile(files[0]).schema
result = {"table": checksum(t.scan().to_arrow()), "input": checksum(pq.read_table(args["input"])),
  "types": [str(f.field_type) for f in t.schema().fields],
  "physical": [f"{schema.column(i).path}:{schema.column(i).physical_type}:{schema.column(i).length}" for i in range(len(schema))]}`,
        { metadata: (await engine.openTable(`${ns}.fixed_cols`)).metadataLocation, input },
      );
      expect(py.types).toEqual(["long", "fixed[16]", "struct<6: f4: optional fixed[4], 7: n: optional int>", "list<fixed[2]>", "map<string, fixed[3]>"]);
      expect(py.physical.filter((c) => c.includes("FIXED"))).toEqual([
        "fx:FIXED_LEN_BYTE_ARRAY:16", "st.f4:FIXED_LEN_BYTE_ARRAY:4", "lst.list.element:FIXED_LEN_BYTE_ARRAY:2", "mp.entries.value:FIXED_LEN_BYTE_ARRAY:3",
      ]);
      expect(py.input).toMatchObject({ count: 300 });
      expect(py.table).toEqual(py.input);
    });

    it("Spark reports the file's fixed bounds as the least and greatest value, and filters by them", async () => {
      const files = await spark.run<{ lower: string; upper: string }[]>(
        `result = [{"lower": r["lower_bounds"][2].hex(), "upper": r["upper_bounds"][2].hex()} for r in spark.sql(f"SELECT lower_bounds, upper_bounds FROM {args['table']}.files").collect()]`,
        { table: `local.${ns}.fixed_cols` },
      );
      const [mm] = (await spark.sql(`SELECT lower(hex(min(fx))), lower(hex(max(fx))) FROM ${view}`)).rows;
      expect(files).toEqual([{ lower: mm![0], upper: mm![1] }]);
      const [one] = (await spark.sql(`SELECT hex(fx), count(*) FROM ${view} WHERE fx IS NOT NULL GROUP BY fx ORDER BY fx LIMIT 1`)).rows;
      const count = await spark.sql(`SELECT count(*) FROM local.${ns}.fixed_cols WHERE fx = X'${one![0]}'`);
      expect(count.rows).toEqual([[one![1]]]);
    });

    it("bucket partitions on a fixed column (and identity on a binary one) equal Spark's and PyIceberg's", async () => {
      const part = path.join(dir, "fixed-part.parquet");
      await plainDuckDb(`COPY (SELECT i::BIGINT AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE unhex(md5('f' || i)) END AS fx,
          CASE WHEN i % 11 = 0 THEN NULL ELSE unhex(substr(md5('b' || (i % 5)), 1, 2 * (i % 5))) END AS bin
        FROM range(1, 201) t(i)) TO '${part}' (FORMAT parquet)`);
      await engine.load({
        table: `${ns}.fixed_part`, source: { format: "parquet", path: part },
        columns: [{ name: "id", type: "long", required: true }, { name: "fx", type: "fixed[16]" }, { name: "bin", type: "binary" }],
        partition: ["bucket(4, fx)", "bin"], write: { mode: "append" },
      });
      // Spark has no fixed type: its table partitions a binary column the same way (the same hash of the same bytes).
      await spark.sql(`CREATE TABLE local.${ns}.fixed_part_spark (id bigint, fx binary, bin binary) USING iceberg PARTITIONED BY (bucket(4, fx), bin)`);
      await spark.sql(`INSERT INTO local.${ns}.fixed_part_spark SELECT id, fx, bin FROM ${await sparkParquetView(spark, part)}`);
      const script = `result = sorted([[r["id"], r["_partition"][0], None if r["_partition"][1] is None else r["_partition"][1].hex()] for r in spark.sql(f"SELECT id, _partition FROM {args['table']}").collect()])`;
      const ours = await spark.run<unknown[][]>(script, { table: `local.${ns}.fixed_part` });
      const theirs = await spark.run<unknown[][]>(script, { table: `local.${ns}.fixed_part_spark` });
      expect(ours).toHaveLength(200);
      expect(ours).toEqual(theirs);
      const report = await runPython<{ checked: number; mismatches: unknown[] }>(
        `
import pyarrow.parquet as pq
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
spec, schema = t.spec(), t.schema()
checked, mismatches = 0, []
for task in t.scan().plan_files():
    for r in pq.ParquetFile(task.file.file_path.removeprefix("file://")).read().to_pylist():
        for k, pf in enumerate(spec.fields):
            src = schema.find_field(pf.source_id)
            want = pf.transform.transform(src.field_type)(r[src.name])
            checked += 1
            if want != task.file.partition[k]: mismatches.append([pf.name, str(r[src.name]), str(want), str(task.file.partition[k])])
result = {"checked": checked, "mismatches": mismatches[:5]}`,
        { metadata: (await engine.openTable(`${ns}.fixed_part`)).metadataLocation },
      );
      expect(report).toEqual({ checked: 400, mismatches: [] });
    });

    it("fails a load with a fixed value of another length, naming the column, and leaves no table behind", async () => {
      const bad = path.join(dir, "fixed-bad.parquet");
      await plainDuckDb(`COPY (SELECT i::BIGINT AS id, CASE WHEN i = 3 THEN unhex('0102') ELSE unhex(md5('f' || i)) END AS fx FROM range(1, 11) t(i)) TO '${bad}' (FORMAT parquet)`);
      await expect(
        engine.load({ table: `${ns}.fixed_bad`, source: { format: "parquet", path: bad }, columns: COLUMNS.slice(0, 2), write: { mode: "append" } }),
      ).rejects.toThrow("load: column fx: expected fixed[16] values of 16 bytes, got one of 2 bytes (0x0102)");
      const tables = await spark.sql(`SHOW TABLES IN local.${ns}`);
      expect(tables.rows.map((r) => r[1])).not.toContain("fixed_bad");
    });
  });

  it("reads struct, list and map columns (nested too) row for row", async () => {
    const input = path.join(dir, "nested.parquet");
    await plainDuckDb(`COPY (SELECT i::BIGINT AS id,
        CASE WHEN i % 5 = 0 THEN NULL ELSE struct_pack(a := i * 10::BIGINT, b := 'ß' || i, inner := struct_pack(x := i / 4.0::DOUBLE)) END AS st,
        CASE WHEN i % 6 = 0 THEN NULL ELSE [i, NULL, i * 2]::BIGINT[] END AS lst,
        CASE WHEN i % 7 = 0 THEN NULL ELSE MAP(['k' || i, 'z'], [i::INTEGER, NULL]) END AS mp,
        [struct_pack(p := i::INTEGER, q := 'q' || i)] AS lst_st
      FROM range(1, 101) t(i)) TO '${input}' (FORMAT parquet)`);
    await engine.load({
      table: `${ns}.nested`,
      source: { format: "parquet", path: input },
      columns: [
        { name: "id", type: "long", required: true },
        { name: "st", type: "struct<a:long,b:string,inner:struct<x:double>>" },
        { name: "lst", type: "list<long>" },
        { name: "mp", type: "map<string,int>" },
        { name: "lst_st", type: "list<struct<p:int,q:string>>" },
      ],
      write: { mode: "append" },
    });
    const expected = await spark.checksum({ sql: `SELECT * FROM ${await sparkParquetView(spark, input)}` });
    const seen = await spark.checksum({ table: `local.${ns}.nested` });
    expect(expected.count).toBe(100);
    expect(seen).toEqual(expected);
    const py = await runPython<{ table: unknown; input: unknown }>(
      `${PY_SAFE_CHECKSUM}
import pyarrow.parquet as pq
from pyiceberg.table import StaticTable
result = {"table": checksum(StaticTable.from_metadata(args["metadata"]).scan().to_arrow()), "input": checksum(pq.read_table(args["input"]))}`,
      { metadata: (await engine.openTable(`${ns}.nested`)).metadataLocation, input },
    );
    expect(py.table).toEqual(py.input);
    expect(py.table).toEqual({ count: 100, checksum: expected.checksum });
  });

  describe("partition transforms: the same partition values as Spark and PyIceberg compute", () => {
    // Engine's spec and Spark's PARTITIONED BY of the same spec.
    const TABLES = [
      { name: "tr_time", ours: ["cat", "year(d)", "day(tstz)", "hour(ts)"], spark: "cat, years(d), days(tstz), hours(ts)" },
      { name: "tr_time2", ours: ["month(ts)", "year(tstz)", "day(d)"], spark: "months(ts), years(tstz), days(d)" },
      {
        name: "tr_bucket",
        ours: ["bucket(5, i)", "bucket(7, l)", "bucket(3, d)", "bucket(4, ts)", "bucket(4, tstz)", "bucket(6, s)", "bucket(3, dec)", "bucket(3, b)"],
        spark: "bucket(5, i), bucket(7, l), bucket(3, d), bucket(4, ts), bucket(4, tstz), bucket(6, s), bucket(3, dec), bucket(3, b)",
      },
      { name: "tr_truncate", ours: ["truncate(10, i)", "truncate(1000, l)", "truncate(3, s)", "truncate(50, dec)"], spark: "truncate(10, i), truncate(1000, l), truncate(3, s), truncate(50, dec)" },
    ];
    const COLUMNS = [
      { name: "id", type: "long", required: true },
      { name: "cat", type: "string" },
      { name: "i", type: "int" },
      { name: "l", type: "long" },
      { name: "d", type: "date" },
      { name: "ts", type: "timestamp" },
      { name: "tstz", type: "timestamptz" },
      { name: "s", type: "string" },
      { name: "dec", type: "decimal(20,4)" },
      { name: "b", type: "binary" },
    ];
    const SPARK_DDL = "id bigint, cat string, i int, l bigint, d date, ts timestamp_ntz, tstz timestamp, s string, dec decimal(20,4), b binary";
    let input: string;
    let view: string;
    beforeAll(async () => {
      input = path.join(dir, "transforms.parquet");
      // Negative ints/longs/decimals, pre-1970 times, non-ASCII strings shorter and longer than the width, NULLs.
      await plainDuckDb(`COPY (SELECT i::BIGINT AS id,
          CASE WHEN i % 9 = 0 THEN NULL ELSE ['été', 'x y', 'plain', '한'][1 + i % 4] END AS cat,
          CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 7919 % 2001 - 1000)::INTEGER END AS i,
          (i * 3037000493 - 150000000000)::BIGINT AS l,
          DATE '1968-06-01' + CAST(i * 97 AS INTEGER) AS d,
          TIMESTAMP '1969-12-31 21:00:00' + to_microseconds(i * 5432109876) AS ts,
          TIMESTAMPTZ '1969-12-30 23:00:00+00' + to_microseconds(i * 4321098765) AS tstz,
          CASE WHEN i % 8 = 0 THEN NULL ELSE ['ab', 'äöü-' || i, '한국어' || i, 'z'][1 + i % 4] END AS s,
          CAST((i * 98765 % 200000 - 100000) / 7.0 AS DECIMAL(20,4)) AS dec,
          unhex(substr(md5('b' || i), 1, 2 * (i % 7))) AS b
        FROM range(1, 121) t(i)) TO '${input}' (FORMAT parquet)`);
      view = await sparkParquetView(spark, input);
      for (const t of TABLES) {
        await engine.load({ table: `${ns}.${t.name}`, source: { format: "parquet", path: input }, columns: COLUMNS, partition: t.ours, write: { mode: "append" } });
        await spark.sql(`CREATE TABLE local.${ns}.${t.name}_spark (${SPARK_DDL}) USING iceberg PARTITIONED BY (${t.spark})`);
        await spark.sql(`INSERT INTO local.${ns}.${t.name}_spark SELECT id, cat, i, l, d, CAST(ts AS TIMESTAMP_NTZ), CAST(tstz AS TIMESTAMP), s, dec, b FROM ${view}`);
      }
    });

    /** Spark's report of a table: each row's `_partition` values (by id) and the `partitions` metadata table. */
    const SPARK_PARTITIONS = `
rows = spark.sql(f"SELECT id, _partition FROM {args['table']}").collect()
parts = spark.sql(f"SELECT partition, record_count, file_count FROM {args['table']}.partitions").collect()
result = {
  "byId": {str(r["id"]): [None if v is None else str(v) for v in r["_partition"]] for r in rows},
  "partitions": sorted([[None if v is None else str(v) for v in p["partition"]] + [p["record_count"]] for p in parts], key=str),
  "fields": [f.name for f in spark.table(args["table"]).select("_partition").schema.fields[0].dataType.fields],
}`;

    it.each(TABLES.map((t) => [t.name, t] as const))("%s: Spark sees our partition values equal to those of its own table", async (_n, t) => {
      const ours = await spark.run<{ byId: Record<string, unknown[]>; partitions: unknown[][]; fields: string[] }>(SPARK_PARTITIONS, { table: `local.${ns}.${t.name}` });
      const theirs = await spark.run<{ byId: Record<string, unknown[]>; partitions: unknown[][]; fields: string[] }>(SPARK_PARTITIONS, { table: `local.${ns}.${t.name}_spark` });
      expect(Object.keys(ours.byId)).toHaveLength(120);
      expect(ours.fields).toEqual(theirs.fields);
      expect(ours.byId).toEqual(theirs.byId);
      // Same partitions with the same row counts (file counts may differ: Spark splits by task).
      expect(ours.partitions.map((p) => p.slice(0, -1))).toEqual(theirs.partitions.map((p) => p.slice(0, -1)));
      // And Spark reads the same rows from both.
      expect(await spark.checksum({ table: `local.${ns}.${t.name}` })).toEqual(await spark.checksum({ table: `local.${ns}.${t.name}_spark` }));
    });

    it("PyIceberg's transforms of every file's rows give the file's partition (incl. bucket on uuid, time and every bucketable type)", async () => {
      const pyInput = path.join(dir, "transforms-py.parquet");
      await plainDuckDb(`COPY (SELECT *, CAST(md5(CAST(id AS VARCHAR))::UUID AS VARCHAR) AS u, TIME '00:00:00' + to_microseconds(id * 3600000123 % 86400000000) AS t
        FROM '${input}') TO '${pyInput}' (FORMAT parquet)`);
      await engine.load({
        table: `${ns}.tr_bucket_py`,
        source: { format: "parquet", path: pyInput },
        columns: [...COLUMNS, { name: "u", type: "uuid" }, { name: "t", type: "time" }],
        partition: ["bucket(4, u)", "bucket(5, t)", "bucket(3, s)"],
        write: { mode: "append" },
      });
      const report = await runPython<Record<string, { files: number; checked: number; mismatches: unknown[] }>>(
        `
import pyarrow.parquet as pq
from pyiceberg.table import StaticTable
result = {}
for name, md in args["tables"].items():
    t = StaticTable.from_metadata(md)
    spec, schema = t.spec(), t.schema()
    files = checked = 0
    mismatches = []
    for task in t.scan().plan_files():
        files += 1
        rows = pq.ParquetFile(task.file.file_path.removeprefix("file://")).read().to_pylist()
        for k, pf in enumerate(spec.fields):
            src = schema.find_field(pf.source_id)
            fn = pf.transform.transform(src.field_type)
            for r in rows:
                v = r[src.name]
                if src.field_type.__class__.__name__ == "UUIDType" and v is not None:
                    import uuid; v = uuid.UUID(bytes=v) if isinstance(v, bytes) else uuid.UUID(str(v))
                checked += 1
                if fn(v) != task.file.partition[k]:
                    mismatches.append([name, pf.name, str(v), str(fn(v)), str(task.file.partition[k])])
    result[name] = {"files": files, "checked": checked, "mismatches": mismatches[:5]}
`,
        { tables: Object.fromEntries(await Promise.all([...TABLES.map((t) => t.name), "tr_bucket_py"].map(async (n) => [n, (await engine.openTable(`${ns}.${n}`)).metadataLocation]))) },
      );
      for (const [name, r] of Object.entries(report)) {
        expect(r.mismatches, name).toEqual([]);
        expect(r.checked, name).toBeGreaterThanOrEqual(120);
      }
      expect(report["tr_bucket_py"]!.checked).toBe(360);
    });
  });
});
