import { randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import avro from "avsc";
import { IcebergError, InvalidMetadataError } from "../errors.js";
import { fromUtf8, utf8 } from "../internal/bytes.js";
import { checkDatum } from "./avro-bounds.js";

// Avro object container files (Avro 1.11 spec, "Object Container Files"): a header record
// (magic, metadata map, sync marker) followed by blocks of (count, bytes, sync). Values are
// encoded and decoded by avsc; longs decode to bigint so 64-bit ids stay exact.

/** Avro codecs this library reads and writes. */
export type AvroCodec = "null" | "deflate";

/** An Avro schema as JSON (records may carry Iceberg's `field-id` attributes). */
export type AvroSchema = string | readonly AvroSchema[] | { readonly [key: string]: unknown };

const BigLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === "bigint" || (typeof n === "number" && Number.isInteger(n)),
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

// Building an avsc type compiles reader/writer code; manifests of one table share a handful of
// schemas, so types are kept by their schema's JSON text (bounded: a table has few schemas).
const TYPE_CACHE = new Map<string, avro.Type>();
const TYPE_CACHE_MAX = 256;

/** Builds (or reuses) an avsc type whose longs are bigint. */
export function avroType(schema: AvroSchema): avro.Type {
  const key = JSON.stringify(schema);
  let type = TYPE_CACHE.get(key);
  if (type === undefined) {
    type = avro.Type.forSchema(schema as avro.Schema, { registry: { long: BigLong }, wrapUnions: "auto" } as Partial<avro.ForSchemaOptions>);
    if (TYPE_CACHE.size >= TYPE_CACHE_MAX) TYPE_CACHE.delete(TYPE_CACHE.keys().next().value as string);
    TYPE_CACHE.set(key, type);
  }
  return type;
}

const HEADER_SCHEMA = {
  type: "record", name: "org.apache.avro.file.Header",
  fields: [
    { name: "magic", type: { type: "fixed", name: "Magic", size: 4 } },
    { name: "meta", type: { type: "map", values: "bytes" } },
    { name: "sync", type: { type: "fixed", name: "Sync", size: 16 } },
  ],
} as const;
const HEADER = avro.Type.forSchema(HEADER_SCHEMA as unknown as avro.Schema);
const BLOCK = avroType({
  type: "record", name: "org.apache.avro.file.Block",
  fields: [
    { name: "count", type: "long" },
    { name: "data", type: "bytes" },
    { name: "sync", type: { type: "fixed", name: "Sync", size: 16 } },
  ],
});
const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1

/** A decoded Avro container file: its writer schema, header metadata (as strings) and records. */
export interface AvroFile {
  readonly schema: AvroSchema;
  readonly metadata: ReadonlyMap<string, string>;
  readonly records: unknown[];
}

/** Largest inflated block accepted: manifests are small, a deflate bomb must not exhaust memory. */
const MAX_BLOCK_BYTES = 512 * 2 ** 20;

/** Reads an Avro object container file (codecs `null` and `deflate`); a damaged file fails with InvalidMetadataError. */
export function readAvroFile(bytes: Uint8Array, options: { file?: string } = {}): AvroFile {
  const where = options.file ?? "avro";
  try {
    return decodeAvroFile(bytes, where);
  } catch (error) {
    if (error instanceof IcebergError) throw error;
    // avsc, JSON.parse and zlib throw plain errors on damaged bytes (bad schema JSON, impossible lengths, bad deflate data).
    throw new InvalidMetadataError(`avro: ${where}: expected a valid Avro container file, got damaged bytes (${(error as Error)?.message ?? String(error)})`, { cause: error });
  }
}

function decodeAvroFile(bytes: Uint8Array, where: string): AvroFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) {
    throw new InvalidMetadataError(`avro: ${where}: expected the Avro magic "Obj\\x01", got ${JSON.stringify(buf.subarray(0, 4).toString("latin1"))}`);
  }
  checkDatum(HEADER_SCHEMA, buf, 0, where);
  const head = HEADER.decode(buf, 0) as { value: { meta: Record<string, Buffer>; sync: Buffer }; offset: number };
  if (head.offset < 0) throw new InvalidMetadataError(`avro: ${where}: expected a complete header, got a truncated file`);
  const metadata = new Map<string, string>();
  for (const [k, v] of Object.entries(head.value.meta)) metadata.set(k, fromUtf8(v));
  const codec = metadata.get("avro.codec") ?? "null";
  if (codec !== "null" && codec !== "deflate") throw new InvalidMetadataError(`avro: ${where}: expected codec null or deflate, got ${codec}`);
  const schemaText = metadata.get("avro.schema");
  if (schemaText === undefined) throw new InvalidMetadataError(`avro: ${where}: expected an avro.schema header, got none`);
  const schema = JSON.parse(schemaText) as AvroSchema;
  const type = avroType(schema);
  const records: unknown[] = [];
  const named = new Map<string, AvroSchema>();
  let pos = head.offset;
  while (pos < buf.length) {
    const block = BLOCK.decode(buf, pos) as { value: { count: bigint; data: Buffer; sync: Buffer }; offset: number };
    if (block.offset < 0) throw new InvalidMetadataError(`avro: ${where}: expected a complete block at ${pos}, got a truncated file`);
    if (!block.value.sync.equals(head.value.sync)) throw new InvalidMetadataError(`avro: ${where}: expected the header's sync marker after the block at ${pos}, got another`);
    pos = block.offset;
    const data = codec === "deflate" ? inflateRawSync(block.value.data, { maxOutputLength: MAX_BLOCK_BYTES }) : block.value.data;
    if (block.value.count < 0n) throw new InvalidMetadataError(`avro: ${where}: expected a record count ≥ 0 in the block at ${pos}, got ${block.value.count}`);
    let p = 0;
    for (let i = 0n; i < block.value.count; i++) {
      checkDatum(schema, data, p, where, named);
      const r = type.decode(data, p) as { value: unknown; offset: number };
      if (r.offset < 0) throw new InvalidMetadataError(`avro: ${where}: expected ${block.value.count} records in a block, got a truncated block`);
      // Zero-byte records (a damaged schema) with a huge count would loop and fill memory.
      if (r.offset === p && block.value.count > BigInt(data.length) + 1024n) throw new InvalidMetadataError(`avro: ${where}: expected a record count that fits the block's ${data.length} bytes, got ${block.value.count}`);
      records.push(r.value);
      p = r.offset;
    }
  }
  return { schema, metadata, records };
}

/** Writes an Avro object container file; the schema JSON is written as given (field ids included). */
export function writeAvroFile(options: {
  schema: AvroSchema;
  records: readonly unknown[];
  metadata?: Readonly<Record<string, string>>;
  codec?: AvroCodec;
  /** Records per block; defaults to 1000. */
  blockSize?: number;
}): Uint8Array {
  const codec = options.codec ?? "deflate";
  const type = avroType(options.schema);
  const sync = randomBytes(16);
  const meta: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(options.metadata ?? {})) meta[k] = Buffer.from(utf8(v));
  meta["avro.schema"] = Buffer.from(utf8(JSON.stringify(options.schema)));
  meta["avro.codec"] = Buffer.from(codec);
  const parts: Buffer[] = [HEADER.toBuffer({ magic: MAGIC, meta, sync })];
  const size = options.blockSize ?? 1000;
  for (let i = 0; i < options.records.length; i += size) {
    const chunk = options.records.slice(i, i + size);
    const raw = Buffer.concat(chunk.map((r) => type.toBuffer(r)));
    const data = codec === "deflate" ? deflateRawSync(raw) : raw;
    parts.push(BLOCK.toBuffer({ count: BigInt(chunk.length), data, sync }));
  }
  const out = Buffer.concat(parts);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
