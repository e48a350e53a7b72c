// Content files (data, position deletes, equality deletes) written by plain DuckDB the way an
// engine's merge-on-read writer would, described as Iceberg `DataFile`s for a RowDelta. Metrics
// are computed by DuckDB over the file's own rows, independently of Engine's load code.
import { statSync } from "node:fs";
import { FileContent, toBinary, toLocalPath, type DataFile, type PrimitiveType } from "@engine/iceberg";
import { plainDuckDb } from "./interop.js";

/** Spec "Position Delete Files": reserved field ids of `file_path` and `pos`. */
export const POS_FILE_PATH_ID = 2147483546;
export const POS_POS_ID = 2147483545;

/** A top-level column of a content file: its Parquet name, field id and Iceberg type. */
export interface ContentColumn {
  readonly name: string;
  readonly id: number;
  readonly type: PrimitiveType;
}

/** Options of `writeContentFile`. */
export interface WriteContentFileOptions {
  readonly content: FileContent;
  /** Where the file goes (a table location URL or path). */
  readonly location: string;
  /** A SELECT of exactly `columns`, in order (position deletes: sorted by file_path, pos). */
  readonly select: string;
  readonly columns: readonly ContentColumn[];
  readonly specId: number;
  readonly partition: readonly unknown[];
  readonly equalityIds?: readonly number[];
  readonly referencedDataFile?: string;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const s = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Converts DuckDB's text of a min/max to the Iceberg value `toBinary` takes. */
function valueOf(type: PrimitiveType, text: string): unknown {
  if (type.kind !== "primitive") throw new Error(`content-files: no bounds for ${type.kind}`);
  switch (type.name) {
    case "long": return BigInt(text);
    case "int": return Number(text);
    case "string": return text;
    default: throw new Error(`content-files: no bounds for ${type.name}`);
  }
}

/**
 * Writes the rows of `select` as Parquet with Iceberg field ids and returns its `DataFile`:
 * record count, file size, per-column sizes, value/null counts and full (untruncated) bounds —
 * what Java's writers record for position deletes (metrics mode `full` on file_path and pos).
 */
export async function writeContentFile(o: WriteContentFileOptions): Promise<DataFile> {
  const local = toLocalPath(o.location);
  const fieldIds = `{${o.columns.map((c) => `${q(c.name)}: ${c.id}`).join(", ")}}`;
  await plainDuckDb(`COPY (${o.select}) TO ${s(local)} (FORMAT parquet, FIELD_IDS ${fieldIds})`);
  const stats = await plainDuckDb(`SELECT count(*)::VARCHAR AS n, ${o.columns.map((c, i) => `
      count(${q(c.name)})::VARCHAR AS v${i}, min(${q(c.name)})::VARCHAR AS lo${i}, max(${q(c.name)})::VARCHAR AS hi${i}`).join(",")}
    FROM read_parquet(${s(local)})`);
  const sizes = await plainDuckDb(`SELECT path_in_schema AS name, sum(total_compressed_size)::VARCHAR AS size FROM parquet_metadata(${s(local)}) GROUP BY path_in_schema`);
  const row = stats[0]!;
  const n = BigInt(String(row.n));
  const columnSizes = new Map<number, bigint>();
  const valueCounts = new Map<number, bigint>();
  const nullValueCounts = new Map<number, bigint>();
  const lowerBounds = new Map<number, Uint8Array>();
  const upperBounds = new Map<number, Uint8Array>();
  o.columns.forEach((c, i) => {
    const nonNull = BigInt(String(row[`v${i}`]));
    valueCounts.set(c.id, n);
    nullValueCounts.set(c.id, n - nonNull);
    const size = sizes.find((r) => r.name === c.name)?.size;
    if (size !== undefined) columnSizes.set(c.id, BigInt(String(size)));
    const lo = row[`lo${i}`], hi = row[`hi${i}`];
    if (lo !== null && hi !== null) {
      lowerBounds.set(c.id, toBinary(c.type, valueOf(c.type, String(lo))));
      upperBounds.set(c.id, toBinary(c.type, valueOf(c.type, String(hi))));
    }
  });
  return {
    content: o.content,
    filePath: o.location,
    fileFormat: "PARQUET",
    partition: o.partition,
    recordCount: n,
    fileSizeInBytes: BigInt(statSync(local).size),
    columnSizes, valueCounts, nullValueCounts, lowerBounds, upperBounds,
    specId: o.specId,
    ...(o.equalityIds ? { equalityIds: o.equalityIds } : {}),
    ...(o.referencedDataFile ? { referencedDataFile: o.referencedDataFile } : {}),
  };
}

/** The columns of a position-delete file (spec: file_path string, pos long). */
export const POSITION_DELETE_COLUMNS: readonly ContentColumn[] = [
  { name: "file_path", id: POS_FILE_PATH_ID, type: { kind: "primitive", name: "string" } },
  { name: "pos", id: POS_POS_ID, type: { kind: "primitive", name: "long" } },
];
