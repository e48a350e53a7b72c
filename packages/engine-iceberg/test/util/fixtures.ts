import { FileContent, parseTransform, type DataFile, type PartitionSpec, type Schema } from "../../src/index.js";

/** A small schema covering the types partitions and bounds use. */
export const SCHEMA: Schema = {
  schemaId: 0,
  fields: [
    { id: 1, name: "id", required: true, type: { kind: "primitive", name: "long" } },
    { id: 2, name: "name", required: false, type: { kind: "primitive", name: "string" } },
    { id: 3, name: "ts", required: false, type: { kind: "primitive", name: "timestamptz" } },
    { id: 4, name: "amount", required: false, type: { kind: "decimal", precision: 12, scale: 2 } },
    { id: 5, name: "u", required: false, type: { kind: "primitive", name: "uuid" } },
  ],
};

/** day(ts), bucket[8](id), identity(amount), identity(u). */
export const SPEC: PartitionSpec = {
  specId: 0,
  fields: [
    { sourceId: 3, fieldId: 1000, name: "ts_day", transform: parseTransform("day") },
    { sourceId: 1, fieldId: 1001, name: "id_bucket", transform: parseTransform("bucket[8]") },
    { sourceId: 4, fieldId: 1002, name: "amount", transform: parseTransform("identity") },
    { sourceId: 5, fieldId: 1003, name: "u", transform: parseTransform("identity") },
  ],
};

/** A data file with metrics. */
export function dataFile(path: string, partition: unknown[], rows = 10n, specId = 0): DataFile {
  return {
    content: FileContent.Data, filePath: path, fileFormat: "PARQUET", partition, recordCount: rows, fileSizeInBytes: 1000n + rows, specId,
    columnSizes: new Map([[1, 80n]]), valueCounts: new Map([[1, rows]]), nullValueCounts: new Map([[1, 0n]]),
    lowerBounds: new Map([[1, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0)]]), upperBounds: new Map([[1, Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0)]]),
    splitOffsets: [4n], sortOrderId: 0,
  };
}
