import { gunzipSync } from "node:zlib";
import { InvalidMetadataError } from "../errors.js";
import { parseJson, stringifyJson } from "../internal/json.js";
import { fromUtf8 } from "../internal/bytes.js";
import {
  partitionFieldsFromJson, partitionSpecFromJson, partitionSpecToJson, sortOrderFromJson, sortOrderToJson,
  type PartitionSpec, type SortOrder,
} from "./partition-spec.js";
import { schemaFromJson, schemaToJson, type Schema } from "./schema.js";
import type { MetadataLogEntry, Snapshot, SnapshotLogEntry, SnapshotRef, SnapshotSummary } from "./snapshot.js";
import type { BlobMetadata, PartitionStatisticsFile, StatisticsFile, TableMetadata } from "./table-metadata.js";

/** The highest table format version this library reads. */
export const SUPPORTED_FORMAT_VERSION = 3;

type Obj = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const fail = (msg: string): never => { throw new InvalidMetadataError(`metadata: ${msg}`); };
const show = (v: unknown): string => (typeof v === "bigint" ? v.toString() : JSON.stringify(v) ?? "undefined");

function req<T>(o: Obj, key: string, check: (v: unknown) => v is T, what: string, where = ""): T {
  const v = o[key];
  if (v === undefined) return fail(`${where}${key}: expected ${what}, got nothing (${key} must exist)`);
  if (!check(v)) return fail(`${where}${key}: expected ${what}, got ${show(v)}`);
  return v;
}
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isLong = (v: unknown): v is number | bigint => typeof v === "bigint" || isInt(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isArr = (v: unknown): v is unknown[] => Array.isArray(v);
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const long = (v: number | bigint): bigint => BigInt(v);
function optLong(o: Obj, key: string, where: string): bigint | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isLong(v)) return fail(`${where}${key}: expected an integer, got ${show(v)}`);
  return BigInt(v);
}

/** Decodes a metadata file's bytes to JSON text; gzip (`*.gz.metadata.json`) is detected by its magic bytes. */
export function decodeMetadataBytes(bytes: Uint8Array): string {
  // gzip magic: 1f 8b.
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return fromUtf8(gunzipSync(bytes));
  return fromUtf8(bytes);
}

/** Parses table metadata JSON (v1, v2, v3) into the domain form, keeping 64-bit ids exact; v1 legacy fields are upgraded. */
export function parseTableMetadata(json: string | Uint8Array): TableMetadata {
  const text = typeof json === "string" ? json : decodeMetadataBytes(json);
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (cause) {
    throw new InvalidMetadataError(`metadata: expected JSON, got a parse error: ${(cause as Error).message}`, { cause });
  }
  if (!isObj(root)) return fail(`expected a JSON object, got ${show(root)}`);
  return tableMetadataFromJson(root);
}

/** Reads table metadata from an already parsed JSON object (as in a REST LoadTableResponse). */
export function tableMetadataFromJson(o: Obj): TableMetadata {
  const formatVersion = req(o, "format-version", isInt, "an integer");
  if (formatVersion < 1 || formatVersion > SUPPORTED_FORMAT_VERSION) {
    throw new InvalidMetadataError(`Cannot read unsupported version ${formatVersion}: metadata: format-version: expected 1..${SUPPORTED_FORMAT_VERSION}, got ${formatVersion}`);
  }
  const v1 = formatVersion === 1;
  const tableUuid = v1 && o["table-uuid"] === undefined ? "" : req(o, "table-uuid", isStr, "a UUID string");
  const location = req(o, "location", isStr, "a string");
  const lastSequenceNumber = v1 ? (optLong(o, "last-sequence-number", "") ?? 0n) : long(req(o, "last-sequence-number", isLong, "an integer"));
  const lastUpdatedMs = long(req(o, "last-updated-ms", isLong, "an integer"));
  const lastColumnId = req(o, "last-column-id", isInt, "an integer");

  // Schemas. Spec: v1 writers may write only `schema`; v2 requires `schemas` and `current-schema-id`.
  let schemas: Schema[];
  let currentSchemaId: number;
  if (o["schemas"] !== undefined) {
    schemas = req(o, "schemas", isArr, "an array").map((s, i) => schemaFromJson(s, `schemas[${i}]`));
    currentSchemaId = v1 && o["current-schema-id"] === undefined ? (schemas[0]?.schemaId ?? 0) : req(o, "current-schema-id", isInt, "an integer");
  } else if (v1) {
    const schema = schemaFromJson(req(o, "schema", isObj, "an object"), "schema");
    schemas = [schema];
    currentSchemaId = schema.schemaId;
  } else {
    return fail("schemas: expected an array, got nothing (schemas must exist in format v2)");
  }
  if (!schemas.some((s) => s.schemaId === currentSchemaId)) {
    return fail(`current-schema-id: Cannot find schema with current-schema-id=${currentSchemaId} from schemas`);
  }

  // Partition specs. Spec: v1 may have only `partition-spec` (the fields of spec 0).
  let partitionSpecs: PartitionSpec[];
  let defaultSpecId: number;
  if (o["partition-specs"] !== undefined) {
    partitionSpecs = req(o, "partition-specs", isArr, "an array").map((s, i) => partitionSpecFromJson(s, `partition-specs[${i}]`));
    defaultSpecId = v1 && o["default-spec-id"] === undefined ? (partitionSpecs[0]?.specId ?? 0) : req(o, "default-spec-id", isInt, "an integer");
  } else if (v1) {
    partitionSpecs = [{ specId: 0, fields: partitionFieldsFromJson(req(o, "partition-spec", isArr, "an array"), "partition-spec") }];
    defaultSpecId = 0;
  } else {
    return fail("partition-specs: expected an array, got nothing (partition-specs must exist in format v2)");
  }
  if (!partitionSpecs.some((s) => s.specId === defaultSpecId)) return fail(`default-spec-id: expected one of the partition-specs' ids, got ${defaultSpecId}`);
  let lastPartitionId: number;
  if (o["last-partition-id"] !== undefined) lastPartitionId = req(o, "last-partition-id", isInt, "an integer");
  else if (v1) lastPartitionId = Math.max(999, ...partitionSpecs.flatMap((s) => s.fields.map((f) => f.fieldId)));
  else return fail("last-partition-id: expected an integer, got nothing (last-partition-id must exist in format v2)");

  // Sort orders. Spec: optional in v1 (defaults to unsorted), required in v2.
  let sortOrders: SortOrder[];
  let defaultSortOrderId: number;
  if (o["sort-orders"] !== undefined) {
    sortOrders = req(o, "sort-orders", isArr, "an array").map((s, i) => sortOrderFromJson(s, `sort-orders[${i}]`));
    defaultSortOrderId = v1 && o["default-sort-order-id"] === undefined ? 0 : req(o, "default-sort-order-id", isInt, "an integer");
  } else if (v1) {
    sortOrders = [{ orderId: 0, fields: [] }];
    defaultSortOrderId = 0;
  } else {
    return fail("sort-orders: expected an array, got nothing (sort-orders must exist in format v2)");
  }

  const props = o["properties"] ?? {};
  if (!isObj(props)) return fail(`properties: expected an object, got ${show(props)}`);
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) properties[k] = typeof v === "string" ? v : String(v);

  let currentSnapshotId = optLong(o, "current-snapshot-id", "");
  // Spec: -1 was written by older Java versions to mean "no current snapshot".
  if (currentSnapshotId === -1n) currentSnapshotId = undefined;

  const snapshots = (o["snapshots"] === undefined ? [] : req(o, "snapshots", isArr, "an array")).map((s, i) => snapshotFromJson(s, `snapshots[${i}].`, v1));
  const snapshotLog: SnapshotLogEntry[] = (o["snapshot-log"] === undefined ? [] : req(o, "snapshot-log", isArr, "an array")).map((e, i) => {
    const w = `snapshot-log[${i}].`;
    if (!isObj(e)) return fail(`${w.slice(0, -1)}: expected an object, got ${show(e)}`);
    return { snapshotId: long(req(e, "snapshot-id", isLong, "an integer", w)), timestampMs: long(req(e, "timestamp-ms", isLong, "an integer", w)) };
  });
  const metadataLog: MetadataLogEntry[] = (o["metadata-log"] === undefined ? [] : req(o, "metadata-log", isArr, "an array")).map((e, i) => {
    const w = `metadata-log[${i}].`;
    if (!isObj(e)) return fail(`${w.slice(0, -1)}: expected an object, got ${show(e)}`);
    return { metadataFile: req(e, "metadata-file", isStr, "a string", w), timestampMs: long(req(e, "timestamp-ms", isLong, "an integer", w)) };
  });

  const refs: Record<string, SnapshotRef> = {};
  if (o["refs"] !== undefined) {
    for (const [name, r] of Object.entries(req(o, "refs", isObj, "an object"))) refs[name] = refFromJson(r, `refs.${name}.`);
  }
  // Spec: when `refs` lacks `main`, the current snapshot id defines the main branch.
  if (refs["main"] === undefined && currentSnapshotId !== undefined) refs["main"] = { snapshotId: currentSnapshotId, type: "branch" };
  if (currentSnapshotId !== undefined && !snapshots.some((s) => s.snapshotId === currentSnapshotId)) {
    return fail(`current-snapshot-id: expected the id of a snapshot in snapshots, got ${currentSnapshotId}`);
  }

  const md: Mutable<TableMetadata> = {
    formatVersion: formatVersion as 1 | 2 | 3, tableUuid, location, lastSequenceNumber, lastUpdatedMs, lastColumnId,
    schemas, currentSchemaId, partitionSpecs, defaultSpecId, lastPartitionId, properties,
    snapshots, snapshotLog, metadataLog, sortOrders, defaultSortOrderId, refs,
  };
  if (currentSnapshotId !== undefined) md.currentSnapshotId = currentSnapshotId;
  if (isArr(o["statistics"])) md.statistics = o["statistics"].map((s, i) => statisticsFromJson(s, `statistics[${i}].`));
  if (isArr(o["partition-statistics"])) {
    md.partitionStatistics = o["partition-statistics"].map((s, i): PartitionStatisticsFile => {
      const w = `partition-statistics[${i}].`;
      const e = isObj(s) ? s : fail(`${w}: expected an object, got ${show(s)}`);
      return {
        snapshotId: long(req(e, "snapshot-id", isLong, "an integer", w)),
        statisticsPath: req(e, "statistics-path", isStr, "a string", w),
        fileSizeInBytes: long(req(e, "file-size-in-bytes", isLong, "an integer", w)),
      };
    });
  }
  const nextRowId = optLong(o, "next-row-id", "");
  if (nextRowId !== undefined) md.nextRowId = nextRowId;
  return md;
}

/** Reads one snapshot from its metadata JSON form (as in `snapshots` or a REST `add-snapshot`). */
export function snapshotFromJson(s: unknown, w = "snapshot.", v1 = false): Snapshot {
  if (!isObj(s)) return fail(`${w.slice(0, -1)}: expected an object, got ${show(s)}`);
  const summaryJson = s["summary"];
  let summary: SnapshotSummary;
  if (summaryJson === undefined && v1) summary = { operation: "append" };
  else {
    const so = isObj(summaryJson) ? summaryJson : fail(`${w}summary: expected an object, got ${show(summaryJson)}`);
    const op = so["operation"];
    if (op !== "append" && op !== "replace" && op !== "overwrite" && op !== "delete") {
      return fail(`${w}summary.operation: expected append, replace, overwrite or delete, got ${show(op)}`);
    }
    const entries: Record<string, string> = {};
    for (const [k, v] of Object.entries(so)) entries[k] = String(v);
    summary = { ...entries, operation: op };
  }
  const snap: Mutable<Snapshot> = {
    snapshotId: long(req(s, "snapshot-id", isLong, "an integer", w)),
    sequenceNumber: v1 ? (optLong(s, "sequence-number", w) ?? 0n) : long(req(s, "sequence-number", isLong, "an integer", w)),
    timestampMs: long(req(s, "timestamp-ms", isLong, "an integer", w)),
    summary,
  };
  const parent = optLong(s, "parent-snapshot-id", w);
  if (parent !== undefined) snap.parentSnapshotId = parent;
  if (s["manifest-list"] !== undefined) snap.manifestList = req(s, "manifest-list", isStr, "a string", w);
  else if (v1 && isArr(s["manifests"])) snap.manifests = s["manifests"].map(String);
  else return fail(`${w}manifest-list: expected a string, got nothing`);
  if (isInt(s["schema-id"])) snap.schemaId = s["schema-id"];
  const firstRowId = optLong(s, "first-row-id", w);
  if (firstRowId !== undefined) snap.firstRowId = firstRowId;
  const addedRows = optLong(s, "added-rows", w);
  if (addedRows !== undefined) snap.addedRows = addedRows;
  return snap;
}

function refFromJson(r: unknown, w: string): SnapshotRef {
  if (!isObj(r)) return fail(`${w.slice(0, -1)}: expected an object, got ${show(r)}`);
  const type = r["type"];
  if (type !== "branch" && type !== "tag") return fail(`${w}type: expected "branch" or "tag", got ${show(type)}`);
  const ref: Mutable<SnapshotRef> = { snapshotId: long(req(r, "snapshot-id", isLong, "an integer", w)), type };
  if (isInt(r["min-snapshots-to-keep"])) ref.minSnapshotsToKeep = r["min-snapshots-to-keep"];
  const a = optLong(r, "max-snapshot-age-ms", w);
  if (a !== undefined) ref.maxSnapshotAgeMs = a;
  const b = optLong(r, "max-ref-age-ms", w);
  if (b !== undefined) ref.maxRefAgeMs = b;
  return ref;
}

function statisticsFromJson(s: unknown, w: string): StatisticsFile {
  const e = isObj(s) ? s : fail(`${w}: expected an object, got ${show(s)}`);
  const blobs = req(e, "blob-metadata", isArr, "an array", w).map((b, i): BlobMetadata => {
    const bw = `${w}blob-metadata[${i}].`;
    const bo = isObj(b) ? b : fail(`${bw}: expected an object, got ${show(b)}`);
    const blob: Mutable<BlobMetadata> = {
      type: req(bo, "type", isStr, "a string", bw),
      snapshotId: long(req(bo, "snapshot-id", isLong, "an integer", bw)),
      sequenceNumber: long(req(bo, "sequence-number", isLong, "an integer", bw)),
      fields: req(bo, "fields", isArr, "an array", bw).map(Number),
    };
    if (isObj(bo["properties"])) blob.properties = Object.fromEntries(Object.entries(bo["properties"]).map(([k, v]) => [k, String(v)]));
    return blob;
  });
  const stats: Mutable<StatisticsFile> = {
    snapshotId: long(req(e, "snapshot-id", isLong, "an integer", w)),
    statisticsPath: req(e, "statistics-path", isStr, "a string", w),
    fileSizeInBytes: long(req(e, "file-size-in-bytes", isLong, "an integer", w)),
    fileFooterSizeInBytes: long(req(e, "file-footer-size-in-bytes", isLong, "an integer", w)),
    blobMetadata: blobs,
  };
  if (isStr(e["key-metadata"])) stats.keyMetadata = e["key-metadata"];
  return stats;
}

/** A snapshot as a JSON-ready object with the spec's names (v1 omits the sequence number). */
export function snapshotToJson(s: Snapshot, formatVersion: 1 | 2 | 3 = 2): Record<string, unknown> {
  return {
    "sequence-number": formatVersion === 1 ? undefined : s.sequenceNumber,
    "snapshot-id": s.snapshotId,
    "parent-snapshot-id": s.parentSnapshotId,
    "timestamp-ms": s.timestampMs,
    summary: s.summary,
    "manifest-list": s.manifestList,
    manifests: s.manifestList === undefined ? s.manifests : undefined,
    "schema-id": s.schemaId,
    "first-row-id": s.firstRowId,
    "added-rows": s.addedRows,
  };
}

/** Table metadata as a JSON-ready object with the spec's kebab-case names (bigint ids stay bigint). */
export function tableMetadataToJson(md: TableMetadata): Record<string, unknown> {
  const v1 = md.formatVersion === 1;
  const currentSchema = md.schemas.find((s) => s.schemaId === md.currentSchemaId);
  const defaultSpec = md.partitionSpecs.find((s) => s.specId === md.defaultSpecId);
  return {
    "format-version": md.formatVersion,
    "table-uuid": md.tableUuid,
    location: md.location,
    "last-sequence-number": v1 ? undefined : md.lastSequenceNumber,
    "last-updated-ms": md.lastUpdatedMs,
    "last-column-id": md.lastColumnId,
    "next-row-id": md.nextRowId,
    // Spec: v1 writers must also write the deprecated `schema` and `partition-spec` fields.
    schema: v1 && currentSchema ? schemaToJson(currentSchema) : undefined,
    "current-schema-id": md.currentSchemaId,
    schemas: md.schemas.map(schemaToJson),
    "partition-spec": v1 && defaultSpec ? partitionSpecToJson(defaultSpec)["fields"] : undefined,
    "default-spec-id": md.defaultSpecId,
    "partition-specs": md.partitionSpecs.map(partitionSpecToJson),
    "last-partition-id": md.lastPartitionId,
    "default-sort-order-id": md.defaultSortOrderId,
    "sort-orders": md.sortOrders.map(sortOrderToJson),
    properties: md.properties,
    "current-snapshot-id": md.currentSnapshotId ?? (v1 ? -1 : undefined),
    refs: Object.fromEntries(Object.entries(md.refs).map(([k, r]) => [k, {
      "snapshot-id": r.snapshotId, type: r.type, "min-snapshots-to-keep": r.minSnapshotsToKeep,
      "max-snapshot-age-ms": r.maxSnapshotAgeMs, "max-ref-age-ms": r.maxRefAgeMs,
    }])),
    snapshots: md.snapshots.map((s) => snapshotToJson(s, md.formatVersion)),
    statistics: md.statistics?.map((s) => ({
      "snapshot-id": s.snapshotId, "statistics-path": s.statisticsPath, "file-size-in-bytes": s.fileSizeInBytes,
      "file-footer-size-in-bytes": s.fileFooterSizeInBytes, "key-metadata": s.keyMetadata,
      "blob-metadata": s.blobMetadata.map((b) => ({ type: b.type, "snapshot-id": b.snapshotId, "sequence-number": b.sequenceNumber, fields: b.fields, properties: b.properties })),
    })),
    "partition-statistics": md.partitionStatistics?.map((s) => ({ "snapshot-id": s.snapshotId, "statistics-path": s.statisticsPath, "file-size-in-bytes": s.fileSizeInBytes })),
    "snapshot-log": md.snapshotLog.map((e) => ({ "timestamp-ms": e.timestampMs, "snapshot-id": e.snapshotId })),
    "metadata-log": md.metadataLog.map((e) => ({ "timestamp-ms": e.timestampMs, "metadata-file": e.metadataFile })),
  };
}

/** Serializes table metadata to JSON text; 64-bit ids are written as exact unquoted numbers. */
export function serializeTableMetadata(md: TableMetadata, options: { indent?: number } = {}): string {
  return stringifyJson(tableMetadataToJson(md), options.indent ?? 0);
}
