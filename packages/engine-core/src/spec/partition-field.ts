// Partition expressions as a spec writes them ("order_ts", "day(order_ts)", "bucket(16, id)") and
// which source types each Iceberg transform accepts.
// Spec: https://iceberg.apache.org/spec/#partition-transforms

import type { IcebergTypeNode } from "./iceberg-type.js";

/** The partition transforms a spec may use. */
export type PartitionTransformName = "identity" | "year" | "month" | "day" | "hour" | "bucket" | "truncate";

/** A parsed partition expression. */
export interface PartitionField {
  readonly transform: PartitionTransformName;
  readonly column: string;
  /** The bucket count of `bucket(N, col)` or the width of `truncate(W, col)`. */
  readonly param?: number;
}

/** Outcome of parsing a partition expression. */
export type PartitionFieldParseResult =
  | { readonly ok: true; readonly field: PartitionField }
  | { readonly ok: false; readonly reason: string };

const IDENTITY = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const UNARY = /^\s*(year|month|day|hour)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/i;
const BINARY = /^\s*(bucket|truncate)\s*\(\s*(\d+)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/i;

/** Parses `col`, `year|month|day|hour(col)`, `bucket(N, col)` or `truncate(W, col)`. */
export function parsePartitionField(text: string): PartitionFieldParseResult {
  const identity = IDENTITY.exec(text);
  if (identity) return { ok: true, field: { transform: "identity", column: identity[1]! } };
  const unary = UNARY.exec(text);
  if (unary) {
    return { ok: true, field: { transform: unary[1]!.toLowerCase() as PartitionTransformName, column: unary[2]! } };
  }
  const binary = BINARY.exec(text);
  if (binary) {
    const param = Number(binary[2]);
    const transform = binary[1]!.toLowerCase() as PartitionTransformName;
    if (param < 1) return { ok: false, reason: `${transform} needs a ${transform === "bucket" ? "bucket count" : "width"} of at least 1` };
    return { ok: true, field: { transform, column: binary[3]!, param } };
  }
  return { ok: false, reason: "not a partition expression" };
}

/** Formats a partition field in the canonical form a normalized spec carries. */
export function formatPartitionField(field: PartitionField): string {
  if (field.transform === "identity") return field.column;
  if (field.param === undefined) return `${field.transform}(${field.column})`;
  return `${field.transform}(${field.param}, ${field.column})`;
}

/** Describes the source types a transform accepts, for error messages. */
export const PARTITION_SOURCE_TYPES: Readonly<Record<PartitionTransformName, string>> = {
  identity: "a primitive type",
  year: "date, timestamp or timestamptz",
  month: "date, timestamp or timestamptz",
  day: "date, timestamp or timestamptz",
  hour: "timestamp or timestamptz",
  bucket: "int, long, decimal, date, time, timestamp, timestamptz, string, uuid, binary or fixed",
  truncate: "int, long, decimal, string or binary",
};

/** True when `transform` may be applied to a column of `type`. */
export function transformAcceptsType(transform: PartitionTransformName, type: IcebergTypeNode): boolean {
  const name = type.kind === "primitive" ? type.name : type.kind;
  switch (transform) {
    case "identity":
      return name !== "list" && name !== "map" && name !== "struct";
    case "year":
    case "month":
    case "day":
      return name === "date" || name === "timestamp" || name === "timestamptz";
    case "hour":
      return name === "timestamp" || name === "timestamptz";
    case "bucket":
      return ["int", "long", "decimal", "date", "time", "timestamp", "timestamptz", "string", "uuid", "binary", "fixed"].includes(name);
    case "truncate":
      return ["int", "long", "decimal", "string", "binary"].includes(name);
  }
}
