// fixed[L] columns as FIXED_LEN_BYTE_ARRAY(L). Spec (Iceberg, "Parquet" type mapping): fixed(L)
// is stored as fixed_len_byte_array[L]. DuckDB writes BLOB as BYTE_ARRAY only, so a file of a
// table with a fixed column is transcoded after its COPY: arrow-rs (the `parquet-wasm` package,
// loaded only when a table has such a column) reads it one row group at a time, the fixed
// columns are cast Binary → FixedSizeBinary(L) in Apache Arrow JS (every value checked to be
// L bytes long), and arrow-rs writes the rows again with the same field ids, zstd and row groups.

import { createWriteStream, openAsBlob } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DataType, Field, FixedSizeBinary, List, Map_, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, type Data } from "apache-arrow";
import type { IcebergType } from "@engine/iceberg";
import { LoadError } from "../../load/errors.js";

/** Arrow field metadata key arrow-rs uses for Parquet field ids. */
const FIELD_ID_KEY = "PARQUET:field_id";

type ParquetWasm = typeof import("parquet-wasm");
let wasm: Promise<ParquetWasm> | undefined;

/** The parquet-wasm module, loaded (and its wasm compiled) on first use. */
function parquetWasm(): Promise<ParquetWasm> {
  wasm ??= import("parquet-wasm").then((m) => ((m as { default?: ParquetWasm }).default ?? m) as ParquetWasm);
  return wasm;
}

/** Exact bounds of one fixed column outside lists and maps. */
export interface FixedBounds {
  lower: Uint8Array;
  upper: Uint8Array;
}

/**
 * Rewrites the Parquet file at `path` with its fixed[L] columns (found by field id in `types`)
 * as FIXED_LEN_BYTE_ARRAY(L); returns the bounds of those outside lists and maps, by field id.
 * Fails with a `LoadError` naming the column when a value is not L bytes long; the file is
 * then left as it was.
 */
export async function transcodeFixed(path: string, types: ReadonlyMap<number, IcebergType>): Promise<Map<number, FixedBounds>> {
  const pw = await parquetWasm();
  const file = await pw.ParquetFile.fromFile(await openAsBlob(path));
  const bounds = new Map<number, FixedBounds>();
  const tmp = `${path}.fixed-tmp`;
  // The writer reports a failure of its input only as an opaque wasm error: keep ours.
  let failure: unknown;
  try {
    const metadata = file.metadata();
    const groups = metadata.rowGroups().map((g) => g.numRows());
    const maxRows = Math.max(1, ...groups);
    let next = 0;
    let converter: BatchConverter | undefined;
    const batches = new ReadableStream({
      async pull(controller) {
        try {
          if (next >= groups.length) {
            controller.close();
            return;
          }
          const read = await file.read({ rowGroups: [next], batchSize: Math.max(1, groups[next]!) });
          next++;
          const table = tableFromIPC(read.intoIPCStream());
          converter ??= batchConverter(table.schema, types, bounds);
          const converted = pw.Table.fromIPCStream(tableToIPC(new Table(converter.schema, table.batches.map((b) => converter!.convert(b))), "stream"));
          for (const b of converted.recordBatches()) controller.enqueue(b);
          converted.free();
        } catch (error) {
          failure = error;
          controller.error(error);
        }
      },
    });
    const properties = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setMaxRowGroupSize(maxRows).build();
    const out = await pw.transformParquetStream(batches, properties);
    await pipeline(Readable.fromWeb(out as Parameters<typeof Readable.fromWeb>[0]), createWriteStream(tmp));
    await rename(tmp, path);
    return bounds;
  } catch (error) {
    await rm(tmp, { force: true });
    throw failure ?? error;
  } finally {
    file.free();
  }
}

interface BatchConverter {
  readonly schema: Schema;
  convert(batch: RecordBatch): RecordBatch;
}

/** A column's conversion: its new field and how its data becomes that field's. */
interface ColumnConverter {
  readonly field: Field;
  convert(data: Data): Data;
}

function batchConverter(schema: Schema, types: ReadonlyMap<number, IcebergType>, bounds: Map<number, FixedBounds>): BatchConverter {
  const columns = schema.fields.map((f) => columnConverter(f, f.name, false, types, bounds));
  const fields = schema.fields.map((f, i) => columns[i]?.field ?? f);
  const out = new Schema(fields, schema.metadata);
  const type = new Struct(fields);
  return {
    schema: out,
    convert: (batch) => new RecordBatch(out, makeData({
      type, length: batch.numRows, nullCount: 0,
      children: batch.data.children.map((d, i) => columns[i]?.convert(d) ?? d),
    })),
  };
}

/** Undefined when the column holds no fixed[L]. `path` names it in errors (Iceberg names, dotted). */
function columnConverter(field: Field, path: string, repeated: boolean, types: ReadonlyMap<number, IcebergType>, bounds: Map<number, FixedBounds>): ColumnConverter | undefined {
  const idText = field.metadata.get(FIELD_ID_KEY);
  const id = idText === undefined ? undefined : Number(idText);
  const iceberg = id === undefined ? undefined : types.get(id);
  const t = field.type;
  if (iceberg?.kind === "fixed") {
    if (DataType.isFixedSizeBinary(t) && t.byteWidth === iceberg.length) return undefined;
    if (!DataType.isBinary(t) && !DataType.isLargeBinary(t)) throw new Error(`parquet: column ${path}: expected binary data for fixed[${iceberg.length}], got ${String(t)}`);
    const type = new FixedSizeBinary(iceberg.length);
    const target = repeated || id === undefined ? undefined : bounds;
    return { field: new Field(field.name, type, field.nullable, field.metadata), convert: (d) => toFixed(d, type, path, id!, target) };
  }
  if (DataType.isStruct(t)) {
    const kids = t.children.map((c) => columnConverter(c, `${path}.${c.name}`, repeated, types, bounds));
    if (kids.every((k) => k === undefined)) return undefined;
    const type = new Struct(t.children.map((c, i) => kids[i]?.field ?? c));
    return {
      field: new Field(field.name, type, field.nullable, field.metadata),
      convert: (d) => makeData({ type, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, children: d.children.map((c, i) => kids[i]?.convert(c) ?? c) }),
    };
  }
  if (DataType.isList(t)) {
    const child = columnConverter(t.children[0]!, `${path}.element`, true, types, bounds);
    if (!child) return undefined;
    const type = new List(child.field);
    return {
      field: new Field(field.name, type, field.nullable, field.metadata),
      convert: (d) => makeData({ type, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, valueOffsets: d.valueOffsets, child: child.convert(d.children[0]!) }),
    };
  }
  if (DataType.isMap(t)) {
    // The entries struct has no field id of its own: its key and value are named after the map.
    const entries = columnConverter(t.children[0]!, path, true, types, bounds);
    if (!entries) return undefined;
    const type = new Map_(entries.field as Field<Struct>, t.keysSorted);
    return {
      field: new Field(field.name, type, field.nullable, field.metadata),
      convert: (d) => makeData({ type, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, valueOffsets: d.valueOffsets, child: entries.convert(d.children[0]!) }),
    };
  }
  return undefined;
}

/** Binary data → FixedSizeBinary(L) data, checking each value's length and tracking bounds. */
function toFixed(data: Data, type: FixedSizeBinary, path: string, id: number, bounds: Map<number, FixedBounds> | undefined): Data {
  const width = type.byteWidth;
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const at = typeof offsets[0] === "bigint" ? (i: number) => Number(offsets[data.offset + i]) : (i: number) => offsets[data.offset + i] as number;
  const values = data.values as Uint8Array;
  const valid = validity(data);
  let lower = -1; // start offsets into `values` of the least and greatest value so far
  let upper = -1;
  for (let i = 0; i < n; i++) {
    if (valid && (valid[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const start = at(i);
    const length = at(i + 1) - start;
    if (length !== width) {
      const shown = Buffer.from(values.subarray(start, start + Math.min(length, 32))).toString("hex");
      throw new LoadError(
        `load: column ${path}: expected fixed[${width}] values of ${width} bytes, got one of ${length} byte${length === 1 ? "" : "s"} (0x${shown}${length > 32 ? "…" : ""})`,
        { code: "FIXED_LENGTH", context: { column: path, expected: width, actual: length } },
      );
    }
    if (bounds) {
      if (lower < 0 || compareAt(values, start, lower, width) < 0) lower = start;
      if (upper < 0 || compareAt(values, start, upper, width) > 0) upper = start;
    }
  }
  if (bounds && lower >= 0) {
    const prior = bounds.get(id);
    const lo = values.slice(lower, lower + width);
    const hi = values.slice(upper, upper + width);
    bounds.set(id, {
      lower: prior && Buffer.compare(prior.lower, lo) <= 0 ? prior.lower : lo,
      upper: prior && Buffer.compare(prior.upper, hi) >= 0 ? prior.upper : hi,
    });
  }
  let out: Uint8Array;
  if (!valid && at(n) - at(0) === n * width) {
    out = values.subarray(at(0), at(n)); // every value present and L long: the bytes are already laid out
  } else {
    out = new Uint8Array(n * width);
    for (let i = 0; i < n; i++) {
      if (valid && (valid[i >> 3]! & (1 << (i & 7))) === 0) continue;
      const start = at(i);
      out.set(values.subarray(start, start + width), i * width);
    }
  }
  return makeData({ type, offset: 0, length: n, nullCount: valid ? data.nullCount : 0, ...(valid ? { nullBitmap: valid } : {}), data: out });
}

/** The validity bits of `data` realigned to start at bit 0, or undefined when no value is null. */
function validity(data: Data): Uint8Array | undefined {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return undefined;
  if (data.offset === 0) return data.nullBitmap.subarray(0, (data.length + 7) >> 3);
  const out = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (data.getValid(i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Unsigned lexicographic comparison of two `width`-byte values of `bytes` (Iceberg's order for fixed). */
function compareAt(bytes: Uint8Array, a: number, b: number, width: number): number {
  for (let k = 0; k < width; k++) {
    const d = bytes[a + k]! - bytes[b + k]!;
    if (d !== 0) return d;
  }
  return 0;
}
