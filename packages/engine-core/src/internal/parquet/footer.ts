// A Parquet file's footer read and replaced in place. Spec (parquet-format, "File Format"):
// a file ends with [FileMetaData, Thrift compact protocol][4-byte little-endian length]["PAR1"];
// everything before the footer (pages, page indexes, bloom filters) is addressed by absolute
// offsets that a new footer keeps, so only the footer is read and rewritten.

import { open } from "node:fs/promises";
import { decodeStruct, encodeStruct, type ThriftField, type ThriftList, type ThriftStruct, type ThriftValue } from "./thrift-compact.js";

const MAGIC = "PAR1";

/** The decoded footer of one file and where it sits. */
export interface ParquetFooter {
  /** `FileMetaData` as a generic struct (see `thrift-compact.ts`). */
  readonly metadata: ThriftStruct;
  /** Offset of the first footer byte (the end of everything else). */
  readonly start: number;
  /** The footer's encoded length. */
  readonly length: number;
}

/** Reads the footer of the Parquet file at `path`. */
export async function readFooter(path: string): Promise<ParquetFooter> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    if (size < 12) throw new Error(`parquet: ${path}: expected a Parquet file, got ${size} bytes`);
    const tail = Buffer.alloc(8);
    await fh.read(tail, 0, 8, size - 8);
    if (tail.toString("latin1", 4) !== MAGIC) throw new Error(`parquet: ${path}: expected the magic PAR1 at the end, got ${JSON.stringify(tail.toString("latin1", 4))}`);
    const length = tail.readUInt32LE(0);
    const start = size - 8 - length;
    if (start < 4) throw new Error(`parquet: ${path}: footer length ${length} exceeds the file size ${size}`);
    const bytes = Buffer.alloc(length);
    await fh.read(bytes, 0, length, start);
    const { struct, end } = decodeStruct(bytes);
    if (end !== length) throw new Error(`parquet: ${path}: footer decodes to ${end} bytes, expected ${length}`);
    return { metadata: struct, start, length };
  } finally {
    await fh.close();
  }
}

/**
 * Replaces the footer of the file at `path` (read by `readFooter`) with `metadata`: writes it
 * at the old footer's start, then its length and the magic, and truncates. Returns the new size.
 */
export async function writeFooter(path: string, footer: ParquetFooter, metadata: ThriftStruct): Promise<number> {
  const body = encodeStruct(metadata);
  const out = Buffer.alloc(body.length + 8);
  out.set(body, 0);
  out.writeUInt32LE(body.length, body.length);
  out.write(MAGIC, body.length + 4, "latin1");
  const fh = await open(path, "r+");
  try {
    await fh.write(out, 0, out.length, footer.start);
    const size = footer.start + out.length;
    await fh.truncate(size);
    return size;
  } finally {
    await fh.close();
  }
}

// --- FileMetaData accessors (field ids from parquet-format's parquet.thrift) -------------------

/** Field ids of the Thrift structs a footer edit touches. */
export const Thrift = Object.freeze({
  FileMetaData: { schema: 2, rowGroups: 4, keyValueMetadata: 5 },
  SchemaElement: { type: 1, typeLength: 2, repetitionType: 3, name: 4, numChildren: 5, convertedType: 6, fieldId: 9, logicalType: 10 },
  KeyValue: { key: 1, value: 2 },
  RowGroup: { columns: 1 },
  ColumnChunk: { metaData: 3 },
  ColumnMetaData: { totalCompressedSize: 7 },
  LogicalType: { integer: 10, uuid: 14 },
  IntType: { bitWidth: 1, isSigned: 2 },
});

/** Parquet's physical types (`Type`). */
export const PhysicalType = Object.freeze({ BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 });

/** Parquet's converted types (`ConvertedType`) used here. */
export const ConvertedType = Object.freeze({ INT_32: 17 });

/** The field `id` of a struct, if present. */
export function field(s: ThriftStruct, id: number): ThriftField | undefined {
  return s.fields.find((f) => f.id === id);
}

/** The value of field `id` of a struct, if present. */
export function fieldValue(s: ThriftStruct, id: number): ThriftValue | undefined {
  return field(s, id)?.value;
}

/** Removes field `id` from a struct; true when it was there. */
export function removeField(s: ThriftStruct, id: number): boolean {
  const i = s.fields.findIndex((f) => f.id === id);
  if (i < 0) return false;
  s.fields.splice(i, 1);
  return true;
}

/** Sets field `id` of a struct, keeping fields ordered by id as Thrift writers do. */
export function setField(s: ThriftStruct, id: number, type: number, value: ThriftValue): void {
  const existing = field(s, id);
  if (existing) {
    existing.value = value;
    return;
  }
  const at = s.fields.findIndex((f) => f.id > id);
  const f: ThriftField = { id, type, value };
  if (at < 0) s.fields.push(f);
  else s.fields.splice(at, 0, f);
}

/** The items of a list field, or an empty array. */
export function listItems<T extends ThriftValue>(s: ThriftStruct, id: number): T[] {
  const v = fieldValue(s, id);
  return v !== undefined && typeof v === "object" && "kind" in v && v.kind === "list" ? (v as ThriftList).items as T[] : [];
}

/** One leaf (primitive column) of a file's schema, in column-chunk order. */
export interface SchemaLeaf {
  readonly element: ThriftStruct;
  /** The Parquet field id, when the writer set one. */
  readonly fieldId: number | undefined;
  /** Names from the root's child down to the leaf. */
  readonly path: readonly string[];
}

/** The leaves of a footer's flattened schema (depth-first, `num_children` giving the tree). */
export function schemaLeaves(metadata: ThriftStruct): SchemaLeaf[] {
  const elements = listItems<ThriftStruct>(metadata, Thrift.FileMetaData.schema);
  const leaves: SchemaLeaf[] = [];
  let i = 1; // element 0 is the root
  const walk = (path: readonly string[]): void => {
    const e = elements[i++];
    if (!e) throw new Error("parquet: schema ends before all children were read");
    const name = new TextDecoder().decode(fieldValue(e, Thrift.SchemaElement.name) as Uint8Array);
    const children = (fieldValue(e, Thrift.SchemaElement.numChildren) as number | undefined) ?? 0;
    const id = fieldValue(e, Thrift.SchemaElement.fieldId) as number | undefined;
    if (children === 0 && fieldValue(e, Thrift.SchemaElement.type) !== undefined) {
      leaves.push({ element: e, fieldId: id, path: [...path, name] });
      return;
    }
    for (let c = 0; c < children; c++) walk([...path, name]);
  };
  const rootChildren = elements[0] ? ((fieldValue(elements[0], Thrift.SchemaElement.numChildren) as number | undefined) ?? 0) : 0;
  for (let c = 0; c < rootChildren; c++) walk([]);
  return leaves;
}

/** Sum of `total_compressed_size` per leaf (index as in `schemaLeaves`) over all row groups. */
export function compressedColumnSizes(metadata: ThriftStruct): bigint[] {
  const sizes: bigint[] = [];
  for (const rg of listItems<ThriftStruct>(metadata, Thrift.FileMetaData.rowGroups)) {
    listItems<ThriftStruct>(rg, Thrift.RowGroup.columns).forEach((chunk, i) => {
      const md = fieldValue(chunk, Thrift.ColumnChunk.metaData) as ThriftStruct | undefined;
      const size = md ? (fieldValue(md, Thrift.ColumnMetaData.totalCompressedSize) as bigint | undefined) ?? 0n : 0n;
      sizes[i] = (sizes[i] ?? 0n) + size;
    });
  }
  return sizes;
}
