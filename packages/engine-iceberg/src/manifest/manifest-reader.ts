import { IcebergError, InvalidMetadataError } from "../errors.js";
import { readAvroFile, type AvroSchema } from "../avro/avro-file.js";
import { namedTypes, nonNull, recordById, type RecordById } from "../avro/field-ids.js";
import { fromAvroValue } from "../avro/iceberg-avro.js";
import { parseJson } from "../internal/json.js";
import { partitionFieldsFromJson, type PartitionField } from "../spec/partition-spec.js";
import { schemaFromJson, type Schema } from "../spec/schema.js";
import type { IcebergType, PrimitiveType } from "../spec/types.js";
import { EntryStatus, FileContent, type DataFile, type ManifestEntry } from "./data-file.js";
import type { ManifestFile } from "./manifest-file.js";

/** A decoded manifest: header facts and its entries (sequence numbers and snapshot ids inherited). */
export interface Manifest {
  readonly formatVersion: 1 | 2 | 3;
  readonly specId: number;
  /** 0 = data, 1 = deletes. */
  readonly content: 0 | 1;
  /** The table schema from the `schema` header, when the writer put one there. */
  readonly schema?: Schema;
  /** The partition fields from the `partition-spec` header. */
  readonly partitionFields?: readonly PartitionField[];
  readonly entries: readonly ManifestEntry[];
}

/** Options of `readManifest`. */
export interface ReadManifestOptions {
  /** Name used in error messages. */
  readonly file?: string;
  /** The manifest-list entry of this manifest: supplies inherited snapshot ids and sequence numbers. */
  readonly manifestFile?: ManifestFile;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Obj = { readonly [key: string]: unknown };

/** Infers the Iceberg type of a partition value from its Avro schema (writers derive it from the transform result type). */
export function avroToIcebergType(schema: AvroSchema | undefined): PrimitiveType | undefined {
  if (schema === undefined) return undefined;
  if (typeof schema === "string") {
    switch (schema) {
      case "boolean": case "int": case "long": case "float": case "double": case "string": return { kind: "primitive", name: schema };
      case "bytes": return { kind: "primitive", name: "binary" };
      default: return undefined;
    }
  }
  const o = schema as Obj;
  const logical = o["logicalType"];
  const base = o["type"];
  if (base === "fixed") {
    if (logical === "decimal") return { kind: "decimal", precision: Number(o["precision"]), scale: Number(o["scale"] ?? 0) };
    if (logical === "uuid") return { kind: "primitive", name: "uuid" };
    return { kind: "fixed", length: Number(o["size"]) };
  }
  if (base === "bytes" && logical === "decimal") return { kind: "decimal", precision: Number(o["precision"]), scale: Number(o["scale"] ?? 0) };
  if (base === "int" && logical === "date") return { kind: "primitive", name: "date" };
  if (base === "long") {
    const utc = o["adjust-to-utc"] === true;
    if (logical === "time-micros") return { kind: "primitive", name: "time" };
    if (logical === "timestamp-micros") return { kind: "primitive", name: utc ? "timestamptz" : "timestamp" };
    if (logical === "timestamp-nanos") return { kind: "primitive", name: utc ? "timestamptz_ns" : "timestamp_ns" };
  }
  if (base === "string" && logical === "uuid") return { kind: "primitive", name: "uuid" };
  return typeof base === "string" ? avroToIcebergType(base) : undefined;
}

function mapOf<V>(r: RecordById, id: number, conv: (v: unknown) => V): Map<number, V> | undefined {
  const items = r.records(id);
  if (!items) return undefined;
  const out = new Map<number, V>();
  for (const kv of items) {
    const [k, v] = kv.fieldIds;
    if (k === undefined || v === undefined) continue;
    out.set(Number(kv.get(k)), conv(kv.get(v)));
  }
  return out;
}

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as number));
const bytes = (v: unknown): Uint8Array => Uint8Array.from(v as Uint8Array);

/** Reads a manifest's partition tuple in spec order; fields are matched by partition field id. */
function readPartition(r: RecordById | undefined, fields: readonly PartitionField[] | undefined, types: Map<number, IcebergType | undefined>): unknown[] {
  if (!r) return [];
  const ids = fields ? fields.map((f) => f.fieldId) : r.fieldIds;
  return ids.map((id) => fromAvroValue(types.get(id) ?? { kind: "primitive", name: "string" }, r.get(id) ?? null));
}

/** Decodes a manifest (v1/v2/v3) by field id, applying the spec's inheritance rules for snapshot ids and sequence numbers. */
export function readManifest(data: Uint8Array, options: ReadManifestOptions = {}): Manifest {
  return typedDecode(options.file ?? "manifest", () => decodeManifest(data, options));
}

function decodeManifest(data: Uint8Array, options: ReadManifestOptions): Manifest {
  const where = options.file ?? "manifest";
  const avro = readAvroFile(data, { file: where });
  const names = namedTypes(avro.schema);
  const meta = avro.metadata;
  const fv = Number(meta.get("format-version") ?? (options.manifestFile ? 2 : 1));
  const formatVersion = (fv === 1 || fv === 2 || fv === 3 ? fv : 1) as 1 | 2 | 3;
  const specId = Number(meta.get("partition-spec-id") ?? options.manifestFile?.partitionSpecId ?? 0);
  const contentHeader = meta.get("content");
  const content: 0 | 1 = contentHeader === "deletes" ? 1 : contentHeader === "data" ? 0 : (options.manifestFile?.content ?? 0);

  let schema: Schema | undefined;
  const schemaText = meta.get("schema");
  if (schemaText) {
    try { schema = schemaFromJson(parseJson(schemaText), "schema", Number(meta.get("schema-id") ?? 0)); } catch { schema = undefined; }
  }
  let partitionFields: PartitionField[] | undefined;
  const specText = meta.get("partition-spec");
  if (specText) {
    try { partitionFields = partitionFieldsFromJson(parseJson(specText), "partition-spec"); } catch { partitionFields = undefined; }
  }

  // Partition value types come from the writer's Avro schema of r102 (the transform result types).
  const entrySchema = nonNull(avro.schema, names) as Obj;
  const dataFileField = (entrySchema["fields"] as Obj[]).find((f) => f["field-id"] === 2);
  if (!dataFileField) throw new InvalidMetadataError(`manifest: ${where}: expected a data_file field (id 2), got none`);
  const dfSchema = nonNull(dataFileField["type"] as AvroSchema, names) as Obj;
  const partField = (dfSchema["fields"] as Obj[]).find((f) => f["field-id"] === 102);
  const partTypes = new Map<number, IcebergType | undefined>();
  const partRecord = partField ? (nonNull(partField["type"] as AvroSchema, names) as Obj) : undefined;
  for (const f of (partRecord?.["fields"] as Obj[] | undefined) ?? []) {
    partTypes.set(Number(f["field-id"]), avroToIcebergType(nonNull(f["type"] as AvroSchema, names)));
  }
  // Some old writers omitted partition field ids in the Avro schema; fall back to position.
  if (partitionFields && partRecord && [...partTypes.keys()].some((k) => Number.isNaN(k))) {
    partTypes.clear();
    ((partRecord["fields"] as Obj[]) ?? []).forEach((f, i) => {
      const pf = partitionFields![i];
      if (pf) partTypes.set(pf.fieldId, avroToIcebergType(nonNull(f["type"] as AvroSchema, names)));
    });
  }

  const mf = options.manifestFile;
  const entries = avro.records.map((raw): ManifestEntry => {
    const e = recordById(raw, avro.schema, names);
    const df = e.record(2);
    if (!df) throw new InvalidMetadataError(`manifest: ${where}: expected a data_file in every entry, got none`);
    const status = Number(e.get(0)) as EntryStatus;
    let partRec = df.record(102);
    if (partRec && partitionFields && partRec.fieldIds.length === 0 && partitionFields.length > 0) partRec = undefined;
    const file: Mutable<DataFile> = {
      content: (formatVersion === 1 ? FileContent.Data : Number(df.get(134) ?? 0)) as FileContent,
      filePath: String(df.get(100)),
      fileFormat: String(df.get(101)).toUpperCase() as DataFile["fileFormat"],
      partition: readPartition(partRec, partitionFields, partTypes),
      recordCount: big(df.get(103)),
      fileSizeInBytes: big(df.get(104)),
      specId,
    };
    const cs = mapOf(df, 108, big); if (cs) file.columnSizes = cs;
    const vc = mapOf(df, 109, big); if (vc) file.valueCounts = vc;
    const nc = mapOf(df, 110, big); if (nc) file.nullValueCounts = nc;
    const nan = mapOf(df, 137, big); if (nan) file.nanValueCounts = nan;
    const lb = mapOf(df, 125, bytes); if (lb) file.lowerBounds = lb;
    const ub = mapOf(df, 128, bytes); if (ub) file.upperBounds = ub;
    const km = df.get(131); if (km instanceof Uint8Array) file.keyMetadata = bytes(km);
    const so = df.get(132); if (Array.isArray(so)) file.splitOffsets = so.map(big);
    const eq = df.get(135); if (Array.isArray(eq)) file.equalityIds = eq.map(Number);
    const sort = df.get(140); if (sort !== null && sort !== undefined) file.sortOrderId = Number(sort);
    const fr = df.get(142); if (fr !== null && fr !== undefined) file.firstRowId = big(fr);
    const ref = df.get(143); if (typeof ref === "string") file.referencedDataFile = ref;
    const co = df.get(144); if (co !== null && co !== undefined) file.contentOffset = big(co);
    const csz = df.get(145); if (csz !== null && csz !== undefined) file.contentSizeInBytes = big(csz);

    const entry: Mutable<ManifestEntry> = { status, dataFile: file };
    // Spec: "snapshot_id … inherited from the manifest list when null".
    const sid = e.get(1);
    if (sid !== null && sid !== undefined) entry.snapshotId = big(sid);
    else if (mf) entry.snapshotId = mf.addedSnapshotId;
    if (formatVersion === 1) {
      // Spec: v1 data files have data and file sequence number 0.
      entry.sequenceNumber = 0n;
      entry.fileSequenceNumber = 0n;
    } else {
      // Spec: null sequence numbers are inherited from the manifest list entry, which only
      // happens for ADDED entries (existing/deleted entries carry explicit values).
      const seq = e.get(3);
      if (seq !== null && seq !== undefined) entry.sequenceNumber = big(seq);
      else if (mf && (status === EntryStatus.Added || mf.sequenceNumber === 0n)) entry.sequenceNumber = mf.sequenceNumber;
      const fseq = e.get(4);
      if (fseq !== null && fseq !== undefined) entry.fileSequenceNumber = big(fseq);
      else if (mf && (status === EntryStatus.Added || mf.sequenceNumber === 0n)) entry.fileSequenceNumber = mf.sequenceNumber;
    }
    return entry;
  });

  const out: Mutable<Manifest> = { formatVersion, specId, content, entries };
  if (schema) out.schema = schema;
  if (partitionFields) out.partitionFields = partitionFields;
  return out;
}

/** Runs a decoder; values of the wrong type in damaged files (TypeError, RangeError…) become InvalidMetadataError. */
function typedDecode<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof IcebergError) throw error;
    throw new InvalidMetadataError(`manifest: ${where}: expected valid manifest entries, got damaged values (${(error as Error)?.message ?? String(error)})`, { cause: error });
  }
}
