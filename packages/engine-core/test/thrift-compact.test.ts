import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompactType, decodeStruct, encodeStruct, struct, type ThriftStruct } from "../src/internal/parquet/thrift-compact.js";
import { readFooter, schemaLeaves } from "../src/internal/parquet/footer.js";
import { plainDuckDb } from "./util/interop.js";
import { tempDir } from "./util/tmp.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => { ({ dir, cleanup } = await tempDir("engine-thrift-")); });
afterAll(async () => { await cleanup(); });

/** Rows of many types and shapes, so the footer has every kind of struct DuckDB writes (statistics, page indexes, key-value metadata). */
const MANY_TYPES = `SELECT i::BIGINT AS id, i::INTEGER AS i32, i::SMALLINT AS i16, i % 2 = 0 AS flag, i / 3.0::FLOAT AS f32, i / 7.0 AS f64,
  (i / 3)::DECIMAL(9,2) AS d9, (i / 3)::DECIMAL(38,4) AS d38, DATE '1969-12-25' + i::INTEGER AS d, TIME '01:02:03' AS t,
  TIMESTAMP '2020-01-01' + to_microseconds(i) AS ts, TIMESTAMPTZ '2020-01-01 00:00:00+00' AS tz, 'näme ' || i AS s, md5(i::VARCHAR)::UUID AS u,
  unhex(md5('f' || i)) AS bin, struct_pack(a := i::INTEGER, b := 'x' || i) AS st, [i, NULL]::BIGINT[] AS lst, MAP([i::INTEGER], ['v' || i]) AS mp
  FROM range(1, 3001) t(i)`;
const MANY_IDS = "{id: 1, i32: 2, i16: 3, flag: 4, f32: 5, f64: 6, d9: 7, d38: 8, d: 9, t: 10, ts: 11, tz: 12, s: 13, u: 14, bin: 15, st: {__duckdb_field_id: 16, a: 17, b: 18}, lst: {__duckdb_field_id: 19, element: 20}, mp: {__duckdb_field_id: 21, key: 22, value: 23}}";

describe("decodeStruct / encodeStruct", () => {
  it("round-trips a DuckDB-written Parquet footer byte for byte", async () => {
    const file = path.join(dir, "many.parquet");
    await plainDuckDb(`COPY (${MANY_TYPES}) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000, FIELD_IDS ${MANY_IDS})`);
    const footer = await readFooter(file);
    const bytes = (await readFile(file)).subarray(footer.start, footer.start + footer.length);
    expect(footer.length).toBeGreaterThan(1000);
    expect(Buffer.from(encodeStruct(footer.metadata)).equals(bytes)).toBe(true);
    expect(Buffer.from(encodeStruct(decodeStruct(bytes).struct)).equals(bytes)).toBe(true);
    // The schema tree is read: leaves in column order with their field ids.
    expect(schemaLeaves(footer.metadata).map((l) => `${l.path.join(".")}#${l.fieldId}`)).toEqual([
      "id#1", "i32#2", "i16#3", "flag#4", "f32#5", "f64#6", "d9#7", "d38#8", "d#9", "t#10", "ts#11", "tz#12", "s#13", "u#14", "bin#15",
      "st.a#17", "st.b#18", "lst.list.element#20", "mp.key_value.key#22", "mp.key_value.value#23",
    ]);
  });

  it("round-trips every wire type, long lists, empty maps and field-id jumps", () => {
    const inner: ThriftStruct = struct([{ id: 1, type: CompactType.BINARY, value: new TextEncoder().encode("héllo") }]);
    const s = struct([
      { id: 1, type: CompactType.BYTE, value: -128 },
      { id: 2, type: CompactType.I16, value: -32768 },
      { id: 3, type: CompactType.I32, value: -2147483648 },
      { id: 4, type: CompactType.I32, value: 2147483647 },
      { id: 5, type: CompactType.I64, value: -(2n ** 63n) },
      { id: 6, type: CompactType.I64, value: 2n ** 63n - 1n },
      { id: 7, type: CompactType.DOUBLE, value: -1.5e300 },
      { id: 8, type: CompactType.BOOLEAN_TRUE, value: true },
      { id: 9, type: CompactType.BOOLEAN_TRUE, value: false },
      { id: 40, type: CompactType.LIST, value: { kind: "list", type: CompactType.LIST, elementType: CompactType.I32, items: Array.from({ length: 20 }, (_, i) => i * 1000 - 7) } },
      { id: 41, type: CompactType.SET, value: { kind: "list", type: CompactType.SET, elementType: CompactType.BOOLEAN_TRUE, items: [true, false, true] } },
      { id: 42, type: CompactType.MAP, value: { kind: "map", keyType: CompactType.BINARY, valueType: CompactType.STRUCT, entries: [[new Uint8Array([1, 2]), inner]] } },
      { id: 43, type: CompactType.MAP, value: { kind: "map", keyType: 0, valueType: 0, entries: [] } },
      { id: 2, type: CompactType.STRUCT, value: struct([{ id: 300, type: CompactType.I64, value: 5n }]) }, // ids may go down, or jump
      { id: 1000, type: CompactType.LIST, value: { kind: "list", type: CompactType.LIST, elementType: CompactType.STRUCT, items: [inner, struct()] } },
    ]);
    const bytes = encodeStruct(s);
    const { struct: back, end } = decodeStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(back).toEqual(s);
    expect(Buffer.from(encodeStruct(back)).equals(Buffer.from(bytes))).toBe(true);
  });

  it("fails on truncated input instead of reading past the end", () => {
    const bytes = encodeStruct(struct([{ id: 1, type: CompactType.BINARY, value: new Uint8Array(10) }]));
    expect(() => decodeStruct(bytes.subarray(0, 5))).toThrow(/thrift: binary of 10 bytes runs past the end/);
  });
});
