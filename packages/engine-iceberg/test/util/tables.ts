import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FileContent, FileSystemCatalog, parseTransform, toBinary, type DataFile, type Schema, type Table, type TableIdentifier } from "../../src/index.js";

/** id long (required), region string, n int; partitioned by identity(region). */
export const REGION_SCHEMA: Schema = {
  schemaId: 0,
  fields: [
    { id: 1, name: "id", required: true, type: { kind: "primitive", name: "long" } },
    { id: 2, name: "region", required: false, type: { kind: "primitive", name: "string" } },
    { id: 3, name: "n", required: false, type: { kind: "primitive", name: "int" } },
  ],
};

export const ID: TableIdentifier = { namespace: ["db"], name: "t" };

/** A fresh filesystem catalog with table db.t partitioned by identity(region) (or unpartitioned). */
export async function regionTable(options: { partitioned?: boolean; properties?: Record<string, string>; formatVersion?: 1 | 2 } = {}): Promise<{ catalog: FileSystemCatalog; table: Table }> {
  const catalog = new FileSystemCatalog({ warehouse: mkdtempSync(path.join(tmpdir(), "iceberg-tx-")) });
  const table = await catalog.createTable(ID, {
    schema: REGION_SCHEMA,
    partitionFields: options.partitioned === false ? [] : [{ sourceId: 2, fieldId: 1000, name: "region", transform: parseTransform("identity") }],
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.formatVersion ? { formatVersion: options.formatVersion } : {}),
  });
  return { catalog, table };
}

let counter = 0;
/** Writes a small placeholder data file under the table's data folder and describes it with id bounds [lo, hi]. */
export function regionFile(table: Table, region: string | null, opts: { lo?: number; hi?: number; rows?: number; content?: FileContent; name?: string; specId?: number } = {}): DataFile {
  const rows = BigInt(opts.rows ?? 10);
  const name = opts.name ?? `f${++counter}-${process.pid}.parquet`;
  const dir = path.join(table.location(), "data", region === null ? "region=null" : `region=${region}`);
  mkdirSync(dir, { recursive: true });
  const filePath = path.join(dir, name);
  writeFileSync(filePath, `placeholder ${name}`);
  const long = { kind: "primitive", name: "long" } as const;
  const specId = opts.specId ?? table.spec().specId;
  const spec = table.specById(specId);
  return {
    content: opts.content ?? FileContent.Data, filePath, fileFormat: "PARQUET",
    partition: spec.fields.length === 0 ? [] : spec.fields.map((f) => (f.sourceId === 2 ? region : null)),
    recordCount: rows, fileSizeInBytes: 100n + rows, specId,
    valueCounts: new Map([[1, rows]]), nullValueCounts: new Map([[1, 0n]]),
    lowerBounds: new Map([[1, toBinary(long, BigInt(opts.lo ?? 1))]]), upperBounds: new Map([[1, toBinary(long, BigInt(opts.hi ?? 100))]]),
  };
}

/** The live data file paths of the current snapshot, as base names, sorted. */
export async function livePaths(table: Table): Promise<string[]> {
  return (await table.newScan().planFiles()).map((t) => path.basename(t.file.filePath)).sort();
}
