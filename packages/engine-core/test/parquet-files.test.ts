import { copyFile, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOf, fromBinary, type NestedField } from "@engine/iceberg";
import { Engine } from "../src/engine/engine.js";
import { LoadError } from "../src/load/errors.js";
import { conformParquetFiles } from "../src/load/parquet-files.js";
import { dataFilesFromStats, type CopyStatsRow } from "../src/load/data-files.js";
import { fieldIdsValue } from "../src/duckdb/types.js";
import { readFooter } from "../src/internal/parquet/footer.js";
import { plainDuckDb } from "./util/interop.js";
import { tempDir } from "./util/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => { ({ dir, cleanup } = await tempDir("engine-parquet-files-")); });
afterAll(async () => { await cleanup(); });

const P = (name: string) => ({ kind: "primitive", name }) as const;

/** Writes `sql` with field ids and statistics, as the load's COPY does, and returns the stats rows. */
async function copy(sql: string, fields: readonly NestedField[], file: string): Promise<CopyStatsRow[]> {
  return await plainDuckDb(`COPY (${sql}) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048, FIELD_IDS {${fields.map(fieldIdsValue).join(", ")}}, RETURN_STATS)`) as unknown as CopyStatsRow[];
}

/** `parquet_schema` of a file: name → [physical type, type length, converted type, logical type, field id]. */
async function schemaOf(file: string): Promise<Record<string, unknown[]>> {
  const rows = await plainDuckDb(`SELECT name, type, type_length, converted_type, logical_type, field_id FROM parquet_schema('${file}')`);
  return Object.fromEntries(rows.slice(1).map((r) => [r.name as string, [r.type, r.type_length, r.converted_type, r.logical_type, r.field_id]]));
}

/** The rows of two files are equal as multisets (read by DuckDB, every column). */
async function sameRows(a: string, b: string): Promise<{ n: number; diff: number }> {
  const [r] = await plainDuckDb(`SELECT (SELECT count(*) FROM '${a}') AS n,
    (SELECT count(*) FROM (SELECT * FROM '${a}' EXCEPT ALL SELECT * FROM '${b}')) + (SELECT count(*) FROM (SELECT * FROM '${b}' EXCEPT ALL SELECT * FROM '${a}')) AS diff`);
  return { n: Number(r!.n), diff: Number(r!.diff) };
}

const INT_FIELDS: NestedField[] = [
  { id: 1, name: "id", required: false, type: P("long") },
  { id: 2, name: "i32", required: false, type: P("int") },
  { id: 3, name: "d", required: false, type: P("date") },
  { id: 4, name: "dec", required: false, type: { kind: "decimal", precision: 9, scale: 2 } },
  { id: 5, name: "st", required: false, type: { kind: "struct", fields: [{ id: 6, name: "a", required: false, type: P("int") }, { id: 7, name: "s", required: false, type: P("string") }] } },
  { id: 8, name: "lst", required: false, type: { kind: "list", elementId: 9, element: P("int"), elementRequired: false } },
  { id: 10, name: "mp", required: false, type: { kind: "map", keyId: 11, key: P("int"), valueId: 12, value: P("int"), valueRequired: false } },
  { id: 13, name: "u", required: false, type: P("uuid") },
];
const INT_SQL = `SELECT i::BIGINT AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 7919 % 20001 - 10000)::INTEGER END AS i32, DATE '1969-12-25' + i::INTEGER AS d,
  (i / 3)::DECIMAL(9,2) AS dec, struct_pack(a := -i::INTEGER, s := 'x' || i) AS st, [i::INTEGER, NULL] AS lst, MAP([i::INTEGER], [(i * 2)::INTEGER]) AS mp,
  md5(i::VARCHAR)::UUID AS u FROM range(1, 5001) t(i)`;

describe("conformParquetFiles", () => {
  it("makes int columns (nested ones too) bare INT32 by rewriting only the footer; rows read the same", async () => {
    const file = path.join(dir, "ints.parquet");
    const original = path.join(dir, "ints-original.parquet");
    const [row] = await copy(INT_SQL, INT_FIELDS, file);
    await copyFile(file, original);
    const before = await schemaOf(file);
    expect(before["i32"]).toEqual(["INT32", null, "INT_32", null, "2"]); // what DuckDB writes

    const { start } = await readFooter(file);
    const [out] = await conformParquetFiles([row!], INT_FIELDS);
    const after = await schemaOf(file);
    for (const leaf of ["i32", "a", "element", "key", "value"]) expect(after[leaf], leaf).toEqual(["INT32", null, null, null, before[leaf]![4]]);
    // Other INT32 annotations, and everything that is not INT32, stay as DuckDB wrote them.
    for (const other of ["id", "d", "dec", "s", "u", "st", "lst", "mp"]) expect(after[other], other).toEqual(before[other]);
    expect(after["d"]![2]).toBe("DATE");
    expect(after["dec"]![2]).toBe("DECIMAL");

    // Pages are untouched; only the footer changed, and the statistics row says the new size.
    const [bytes, old] = await Promise.all([readFile(file), readFile(original)]);
    expect(bytes.subarray(0, start).equals(old.subarray(0, start))).toBe(true);
    expect(bytes.length).toBeLessThan(old.length);
    expect(Number(out!.file_size_bytes)).toBe((await stat(file)).size);
    expect(Number(row!.file_size_bytes)).toBe(old.length);
    expect({ ...out, file_size_bytes: undefined }).toEqual({ ...row, file_size_bytes: undefined });
    expect(await sameRows(file, original)).toEqual({ n: 5000, diff: 0 });
    // Read by field id as our scans do, too.
    const [r] = await plainDuckDb(`SELECT sum(i32) AS s, sum(st.a) AS a, sum(lst[1]) AS e FROM read_parquet('${file}', schema = MAP {2: {name: 'i32', type: 'BIGINT', default_value: NULL}, 5: {name: 'st', type: 'STRUCT(a INTEGER)', default_value: NULL}, 8: {name: 'lst', type: 'INTEGER[]', default_value: NULL}})`);
    const [e] = await plainDuckDb(`SELECT sum(i32) AS s, sum(st.a) AS a, sum(lst[1]) AS e FROM '${original}'`);
    expect(r).toEqual(e);
  });

  it("leaves files that need no change alone", async () => {
    const fields: NestedField[] = [{ id: 1, name: "id", required: false, type: P("long") }, { id: 2, name: "s", required: false, type: P("string") }];
    const file = path.join(dir, "no-ints.parquet");
    const rows = await copy("SELECT i::BIGINT AS id, 'x' || i AS s FROM range(10) t(i)", fields, file);
    const bytes = await readFile(file);
    const out = await conformParquetFiles(rows, fields);
    expect(out[0]).toBe(rows[0]);
    expect((await readFile(file)).equals(bytes)).toBe(true);
  });

  const FIXED_FIELDS: NestedField[] = [
    { id: 1, name: "id", required: true, type: P("long") },
    { id: 2, name: "fx", required: false, type: { kind: "fixed", length: 16 } },
    { id: 3, name: "st", required: false, type: { kind: "struct", fields: [{ id: 4, name: "f4", required: false, type: { kind: "fixed", length: 4 } }, { id: 5, name: "n", required: false, type: P("int") }] } },
    { id: 6, name: "lst", required: false, type: { kind: "list", elementId: 7, element: { kind: "fixed", length: 2 }, elementRequired: false } },
    { id: 8, name: "mp", required: false, type: { kind: "map", keyId: 9, key: P("string"), valueId: 10, value: { kind: "fixed", length: 3 }, valueRequired: false } },
    { id: 11, name: "u", required: false, type: P("uuid") },
    { id: 12, name: "bin", required: false, type: P("binary") },
  ];
  const FIXED_SQL = (n: number) => `SELECT i::BIGINT AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE unhex(md5('f' || i)) END AS fx,
    CASE WHEN i % 11 = 0 THEN NULL ELSE struct_pack(f4 := CASE WHEN i % 3 = 0 THEN NULL ELSE unhex(substr(md5('g' || i), 1, 8)) END, n := i::INTEGER) END AS st,
    [unhex(substr(md5('h' || i), 1, 4)), NULL] AS lst, MAP(['k' || i], [unhex(substr(md5('k' || i), 1, 6))]) AS mp,
    md5(i::VARCHAR)::UUID AS u, unhex(substr(md5('b' || i), 1, 2 * (i % 9))) AS bin FROM range(1, ${n + 1}) t(i)`;

  it("writes fixed[L] columns (top level, in a struct, a list and a map) as FIXED_LEN_BYTE_ARRAY(L) with the same rows and field ids", async () => {
    const file = path.join(dir, "fixed.parquet");
    const original = path.join(dir, "fixed-original.parquet");
    const rows = await copy(FIXED_SQL(5000), FIXED_FIELDS, file);
    await copyFile(file, original);
    const out = await conformParquetFiles(rows, FIXED_FIELDS);
    const schema = await schemaOf(file);
    expect(schema["fx"]).toEqual(["FIXED_LEN_BYTE_ARRAY", "16", null, null, "2"]);
    expect(schema["f4"]).toEqual(["FIXED_LEN_BYTE_ARRAY", "4", null, null, "4"]);
    expect(schema["element"]).toEqual(["FIXED_LEN_BYTE_ARRAY", "2", null, null, "7"]);
    expect(schema["value"]).toEqual(["FIXED_LEN_BYTE_ARRAY", "3", null, null, "10"]);
    expect(schema["n"]).toEqual(["INT32", null, null, null, "5"]);
    expect(schema["u"]).toEqual(["FIXED_LEN_BYTE_ARRAY", "16", null, "UUIDType()", "11"]);
    expect(schema["bin"]![0]).toBe("BYTE_ARRAY");
    expect(await plainDuckDb(`SELECT key FROM parquet_kv_metadata('${file}')`)).toEqual([]);
    expect(await sameRows(file, original)).toEqual({ n: 5000, diff: 0 });

    // Statistics: sizes of the new file, exact bounds for fixed columns outside lists and maps.
    const meta = await plainDuckDb(`SELECT path_in_schema AS p, sum(total_compressed_size) AS size, count(DISTINCT row_group_id) AS groups FROM parquet_metadata('${file}') GROUP BY ALL`);
    expect(meta.every((m) => Number(m.groups) === 3)).toBe(true); // DuckDB's row groups of 2048 rows are kept
    const [file0] = dataFilesFromStats(out, { fields: FIXED_FIELDS, partition: [], specId: 0 });
    expect(Number(file0!.fileSizeInBytes)).toBe((await stat(file)).size);
    const sizeOf = (p: string) => BigInt(meta.find((m) => m.p === p)!.size as string);
    expect(file0!.columnSizes.get(2)).toBe(sizeOf("fx"));
    expect(file0!.columnSizes.get(4)).toBe(sizeOf("st, f4"));
    expect(file0!.columnSizes.get(10)).toBe(sizeOf("mp, entries, value"));
    const [expected] = await plainDuckDb(`SELECT hex(min(fx)) AS fx_min, hex(max(fx)) AS fx_max, hex(min(st.f4)) AS f4_min, hex(max(st.f4)) AS f4_max FROM '${original}'`);
    const hex = (b: Uint8Array | undefined) => Buffer.from(b!).toString("hex").toUpperCase();
    expect([hex(file0!.lowerBounds.get(2)), hex(file0!.upperBounds.get(2)), hex(file0!.lowerBounds.get(4)), hex(file0!.upperBounds.get(4))])
      .toEqual([expected!.fx_min, expected!.fx_max, expected!.f4_min, expected!.f4_max]);
    expect(file0!.lowerBounds.has(7)).toBe(false); // list elements: no bounds, as Iceberg's writers
    expect(file0!.nullValueCounts.get(2)).toBe(1000n);
    expect(file0!.valueCounts.get(2)).toBe(5000n);
  });

  it("fails naming the column when a fixed[L] value is not L bytes long, leaving the file as it was", async () => {
    const file = path.join(dir, "bad-fixed.parquet");
    const rows = await copy(`SELECT i::BIGINT AS id, unhex(md5('f' || i)) AS fx, struct_pack(f4 := CASE WHEN i = 77 THEN '\\x01\\x02'::BLOB ELSE '\\x01\\x02\\x03\\x04'::BLOB END, n := 1) AS st,
      [] :: BLOB[] AS lst, MAP {} :: MAP(VARCHAR, BLOB) AS mp, NULL::UUID AS u, NULL::BLOB AS bin FROM range(1, 101) t(i)`, FIXED_FIELDS, file);
    const bytes = await readFile(file);
    const error = await conformParquetFiles(rows, FIXED_FIELDS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).code).toBe("FIXED_LENGTH");
    expect((error as LoadError).message).toBe("load: column st.f4: expected fixed[4] values of 4 bytes, got one of 2 bytes (0x0102)");
    expect((await readFile(file)).equals(bytes)).toBe(true);
  });
});

describe("Engine.load with fixed[L] columns", () => {
  const columns = [
    { name: "id", type: "long", required: true },
    { name: "fx", type: "fixed[16]" },
    { name: "st", type: "struct<f4:fixed[4],n:int>" },
  ];
  const input = () => path.join(dir, "fixed-input.parquet");
  beforeAll(async () => {
    await plainDuckDb(`COPY (SELECT i::BIGINT AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE unhex(md5('f' || i)) END AS fx,
      struct_pack(f4 := unhex(substr(md5('g' || i), 1, 8)), n := i::INTEGER) AS st FROM range(1, 401) t(i)) TO '${input()}' (FORMAT parquet)`);
  });

  it("loads and reads back the same bytes, with bounds and bucket partitions on the fixed column", async () => {
    const engine = await Engine.open({ warehouse: path.join(dir, "wh-fixed") });
    try {
      const result = await engine.load({ table: "ns.fixed", source: { format: "parquet", path: input() }, columns, partition: ["bucket(4, fx)"], write: { mode: "append" } });
      expect(result.status).toBe("committed");
      const read = (await engine.query("SELECT id, hex(fx) AS fx, hex(st.f4) AS f4, st.n AS n FROM ns.fixed ORDER BY id")).rows();
      const expected = await plainDuckDb(`SELECT id, hex(fx) AS fx, hex(st.f4) AS f4, st.n AS n FROM '${input()}' ORDER BY id`);
      expect(read.map((r) => ({ ...r, id: String(r.id), fx: r.fx ?? null }))).toEqual(expected.map((r) => ({ ...r, fx: r.fx === "" ? null : r.fx })));

      const table = await engine.openTable("ns.fixed");
      const files = (await table.newScan().planFiles()).map((t) => t.file);
      expect(files.length).toBeGreaterThan(1);
      const bucket = (v: Uint8Array) => bucketOf({ kind: "fixed", length: 16 }, v, 4);
      for (const f of files) {
        const local = table.io.localPath(f.filePath)!;
        const schema = await schemaOf(local);
        expect(schema["fx"]!.slice(0, 2)).toEqual(["FIXED_LEN_BYTE_ARRAY", "16"]);
        const [b] = await plainDuckDb(`SELECT hex(min(fx)) AS lo, hex(max(fx)) AS hi, list(DISTINCT hex(fx)) FILTER (WHERE fx IS NOT NULL) AS vals FROM '${local}'`);
        const lower = f.lowerBounds.get(2);
        if (b!.lo === null) {
          expect(f.partition).toEqual([null]);
          continue;
        }
        expect(Buffer.from(fromBinary({ kind: "fixed", length: 16 }, lower!) as Uint8Array).toString("hex").toUpperCase()).toBe(b!.lo);
        expect(Buffer.from(f.upperBounds.get(2)!).toString("hex").toUpperCase()).toBe(b!.hi);
        for (const v of b!.vals as string[]) expect(bucket(Uint8Array.from(Buffer.from(v, "hex")))).toBe(f.partition[0]);
        expect(Number(f.fileSizeInBytes)).toBe((await stat(local)).size);
      }
    } finally {
      engine.close();
    }
  });

  it("partitions by identity on a binary column (Hive folders keyed by hex), with each file's partition its value", async () => {
    const engine = await Engine.open({ warehouse: path.join(dir, "wh-binary-identity") });
    try {
      const src = path.join(dir, "binary-identity.parquet");
      await plainDuckDb(`COPY (SELECT i::BIGINT AS id, unhex(md5('f' || i)) AS fx,
        CASE WHEN i % 11 = 0 THEN NULL ELSE unhex(substr(md5('b' || (i % 5)), 1, 2 * (i % 5))) END AS bin FROM range(1, 61) t(i)) TO '${src}' (FORMAT parquet)`);
      await engine.load({ table: "ns.ident", source: { format: "parquet", path: src }, columns: [{ name: "id", type: "long" }, { name: "fx", type: "fixed[16]" }, { name: "bin", type: "binary" }], partition: ["bin"], write: { mode: "append" } });
      const table = await engine.openTable("ns.ident");
      const files = (await table.newScan().planFiles()).map((t) => t.file);
      expect(files).toHaveLength(6); // 5 values (one of them empty) and NULL
      let rows = 0;
      for (const f of files) {
        const [v] = await plainDuckDb(`SELECT list(DISTINCT hex(bin)) AS bin, count(*) AS n, count(bin) AS nbin FROM '${table.io.localPath(f.filePath)!}'`);
        const hex = (x: unknown) => (x === null ? null : Buffer.from(x as Uint8Array).toString("hex").toUpperCase());
        expect(Number(v!.nbin) === 0 ? null : (v!.bin as string[])[0]).toEqual(hex(f.partition[0]));
        rows += Number(v!.n);
      }
      expect(rows).toBe(60);
      const back = (await engine.query("SELECT count(*) AS n, count(DISTINCT bin) AS bin, count(DISTINCT fx) AS fx FROM ns.ident")).rows();
      expect(back).toEqual([{ n: 60n, bin: 5n, fx: 60n }]);
    } finally {
      engine.close();
    }
  });

  it("refuses an identity partition on a fixed[L] column (Iceberg Java cannot read its manifests)", async () => {
    const engine = await Engine.open({ warehouse: path.join(dir, "wh-fixed-identity") });
    try {
      await expect(engine.load({ table: "ns.fid", source: { format: "parquet", path: input() }, columns, partition: ["fx"], write: { mode: "append" } }))
        .rejects.toThrow(/^load: partition fx: identity partitions on fixed\[L\] columns are not supported .*apache\/iceberg#17501\); use bucket\(N, fx\), or a binary column$/);
    } finally {
      engine.close();
    }
  });

  it("fails a load whose fixed[L] value has another length, commits nothing and leaves no files", async () => {
    const bad = path.join(dir, "fixed-bad.parquet");
    await plainDuckDb(`COPY (SELECT i::BIGINT AS id, CASE WHEN i = 150 THEN unhex('ABCD') ELSE unhex(md5('f' || i)) END AS fx,
      struct_pack(f4 := unhex('01020304'), n := 1) AS st FROM range(1, 201) t(i)) TO '${bad}' (FORMAT parquet)`);
    const warehouse = path.join(dir, "wh-fixed-bad");
    const engine = await Engine.open({ warehouse });
    try {
      await engine.load({ table: "ns.good", source: { format: "parquet", path: input() }, columns, write: { mode: "append" } });
      const error = await engine.load({ table: "ns.good", source: { format: "parquet", path: bad }, columns, write: { mode: "append" } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoadError);
      expect((error as LoadError).message).toBe("load: column fx: expected fixed[16] values of 16 bytes, got one of 2 bytes (0xabcd)");
      const table = await engine.openTable("ns.good");
      expect(table.metadata.snapshots).toHaveLength(1);
      const files = await plainDuckDb(`SELECT count(*) AS n FROM glob('${warehouse}/ns/good/data/**')`);
      expect(Number(files[0]!.n)).toBe((await table.newScan().planFiles()).length);
    } finally {
      engine.close();
    }
  });
});
