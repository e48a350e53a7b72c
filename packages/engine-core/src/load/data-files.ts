import { toBinary, truncateStringLower, truncateStringUpper, type DataFile, type IcebergType, type NestedField, type PrimitiveType } from "@engine/iceberg";
import { quoteIdent } from "../internal/sql.js";
import type { PartitionFieldPlan } from "./plan.js";
import { hiveKeyColumn, keyedByHex } from "./partition-sql.js";
import { parseDate, parseValue } from "./stat-values.js";

/** One row of DuckDB's `COPY … RETURN_STATS` as read through `rowObjectsJson()`. */
export interface CopyStatsRow {
  readonly filename: string;
  readonly count: string | number;
  readonly file_size_bytes: string | number;
  readonly column_statistics?: readonly { key: string; value: readonly { key: string; value: string | null }[] }[] | null;
  readonly partition_keys?: readonly { key: string; value: string | null }[] | null;
}

interface Leaf { readonly id: number; readonly type: IcebergType; readonly repeated: boolean }

/** Maps DuckDB's statistics keys (`"st"."a"`, `"l"."element"`, `"m"."key"`) to field ids and types. */
export function leafColumns(fields: readonly NestedField[]): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (path: string, id: number, type: IcebergType, repeated: boolean): void => {
    switch (type.kind) {
      case "struct": for (const f of type.fields) walk(`${path}.${quoteIdent(f.name)}`, f.id, f.type, repeated); break;
      case "list": walk(`${path}.${quoteIdent("element")}`, type.elementId, type.element, true); break;
      case "map":
        walk(`${path}.${quoteIdent("key")}`, type.keyId, type.key, true);
        walk(`${path}.${quoteIdent("value")}`, type.valueId, type.value, true);
        break;
      default: out.set(path, { id, type, repeated });
    }
  };
  for (const f of fields) walk(quoteIdent(f.name), f.id, f.type, false);
  return out;
}

/**
 * Turns DuckDB's per-file statistics into Iceberg `DataFile`s: counts (value counts include
 * nulls, as Iceberg's do), column sizes, NaN counts where DuckDB knows there are none, and
 * bounds parsed from DuckDB's text into Iceberg values then serialized (strings truncated to
 * 16 characters, upper bound incremented — Iceberg's default `truncate(16)` metrics mode).
 * Bounds are kept only for columns outside lists and maps, as Iceberg's writers do.
 */
export function dataFilesFromStats(
  rows: readonly CopyStatsRow[],
  options: { fields: readonly NestedField[]; partition: readonly PartitionFieldPlan[]; specId: number; toLocation?: (path: string) => string },
): DataFile[] {
  const leaves = leafColumns(options.fields);
  return rows.map((row) => {
    const columnSizes = new Map<number, bigint>();
    const valueCounts = new Map<number, bigint>();
    const nullValueCounts = new Map<number, bigint>();
    const nanValueCounts = new Map<number, bigint>();
    const lowerBounds = new Map<number, Uint8Array>();
    const upperBounds = new Map<number, Uint8Array>();
    for (const col of row.column_statistics ?? []) {
      const leaf = leaves.get(col.key);
      if (!leaf) continue; // e.g. derived partition columns written alongside identity ones
      const stat = Object.fromEntries(col.value.map((e) => [e.key, e.value]));
      if (stat["column_size_bytes"] != null) columnSizes.set(leaf.id, BigInt(stat["column_size_bytes"]));
      if (stat["num_values"] != null) valueCounts.set(leaf.id, BigInt(stat["num_values"]));
      if (stat["null_count"] != null) nullValueCounts.set(leaf.id, BigInt(stat["null_count"]));
      if (stat["has_nan"] === "false") nanValueCounts.set(leaf.id, 0n);
      if (leaf.repeated || !isPrimitiveType(leaf.type)) continue;
      const lower = bound(leaf.type, stat["min"], "lower");
      const upper = bound(leaf.type, stat["max"], "upper");
      if (lower && upper) {
        lowerBounds.set(leaf.id, lower);
        upperBounds.set(leaf.id, upper);
      }
    }
    const keys = new Map((row.partition_keys ?? []).map((k) => [k.key, k.value]));
    const partition = options.partition.map((f) => {
      const text = keys.get(hiveKeyColumn(f));
      return text === undefined || text === null ? null : partitionValueFromKey(f, text);
    });
    const file: DataFile = {
      content: 0,
      filePath: options.toLocation ? options.toLocation(row.filename) : row.filename,
      fileFormat: "PARQUET",
      partition,
      recordCount: BigInt(row.count),
      fileSizeInBytes: BigInt(row.file_size_bytes),
      columnSizes,
      valueCounts,
      nullValueCounts,
      nanValueCounts,
      lowerBounds,
      upperBounds,
      specId: options.specId,
    };
    return file;
  });
}

function isPrimitiveType(t: IcebergType): t is PrimitiveType {
  return t.kind === "primitive" || t.kind === "decimal" || t.kind === "fixed";
}

function bound(type: PrimitiveType, text: string | null | undefined, side: "lower" | "upper"): Uint8Array | undefined {
  if (text === null || text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseValue(type, text);
  } catch {
    return undefined;
  }
  if (value === undefined) return undefined;
  if (type.kind === "primitive" && type.name === "string") {
    const s = side === "lower" ? truncateStringLower(value as string) : truncateStringUpper(value as string);
    if (s === undefined) return undefined;
    value = s;
  }
  return toBinary(type, value);
}

/** The Iceberg partition value of a Hive key written by the compiler (see `partitionExpression`). */
export function partitionValueFromKey(field: PartitionFieldPlan, text: string): unknown {
  if (keyedByHex(field)) return Uint8Array.from(Buffer.from(text, "hex"));
  switch (field.transform.kind) {
    case "year": return Number.parseInt(text, 10) - 1970;
    case "month": {
      const [y, m] = text.split("-").map(Number) as [number, number];
      return (y - 1970) * 12 + (m - 1);
    }
    case "day": return parseDate(text);
    case "hour": {
      const m = /^(-?\d+-\d{2}-\d{2})-(\d{2})$/.exec(text);
      if (!m) throw new Error(`load: unexpected hour partition key ${text}`);
      return parseDate(m[1]!) * 24 + Number(m[2]);
    }
    default: return parseValue(field.resultType, text) ?? null;
  }
}
