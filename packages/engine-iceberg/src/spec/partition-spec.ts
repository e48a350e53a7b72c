import { InvalidMetadataError } from "../errors.js";
import { findField, type Schema } from "./schema.js";
import { parseTransform, toHumanString, transformResultType, transformToString } from "./transform.js";
import type { StructType } from "./types.js";

/** A partition transform, parsed from its spec string (`"bucket[16]"`, `"day"`, …). */
export type Transform =
  | { readonly kind: "identity" }
  | { readonly kind: "bucket"; readonly n: number }
  | { readonly kind: "truncate"; readonly width: number }
  | { readonly kind: "year" }
  | { readonly kind: "month" }
  | { readonly kind: "day" }
  | { readonly kind: "hour" }
  | { readonly kind: "void" };

/** One field of a partition spec: a transform of a source column. */
export interface PartitionField {
  readonly sourceId: number;
  /** Partition field id; by convention starts at 1000. */
  readonly fieldId: number;
  readonly name: string;
  readonly transform: Transform;
}

/** A partition spec. An unpartitioned table has a spec with no fields. */
export interface PartitionSpec {
  readonly specId: number;
  readonly fields: readonly PartitionField[];
}

/** A field of a sort order. */
export interface SortField {
  readonly sourceId: number;
  readonly transform: Transform;
  readonly direction: "asc" | "desc";
  readonly nullOrder: "nulls-first" | "nulls-last";
}

/** A sort order; order id 0 is reserved for "unsorted". */
export interface SortOrder { readonly orderId: number; readonly fields: readonly SortField[] }

/** The unpartitioned spec (id 0, no fields). */
export const UNPARTITIONED_SPEC: PartitionSpec = Object.freeze({ specId: 0, fields: Object.freeze([]) as readonly PartitionField[] });
/** The unsorted sort order (id 0, no fields). */
export const UNSORTED_ORDER: SortOrder = Object.freeze({ orderId: 0, fields: Object.freeze([]) as readonly SortField[] });

/** Whether a spec has no fields, or only `void` fields (spec: such a spec is unpartitioned). */
export function isUnpartitioned(spec: PartitionSpec): boolean {
  return spec.fields.every((f) => f.transform.kind === "void");
}

/** The struct type of a spec's partition tuples: one field per partition field, ids = partition field ids, types = transform result types. */
export function partitionType(spec: PartitionSpec, schema: Schema): StructType {
  return {
    kind: "struct",
    fields: spec.fields.map((f) => {
      const source = findField(schema, f.sourceId);
      // A source column dropped from the current schema keeps its partition field; type it as the
      // transform would for an int so old manifests still read (Java does the same via "unknown").
      const type = source ? transformResultType(f.transform, source.type) : ({ kind: "primitive", name: "int" } as const);
      return { id: f.fieldId, name: f.name, required: false, type };
    }),
  };
}

/** Writes a partition spec as metadata JSON. */
export function partitionSpecToJson(spec: PartitionSpec): Record<string, unknown> {
  return {
    "spec-id": spec.specId,
    fields: spec.fields.map((f) => ({ name: f.name, transform: transformToString(f.transform), "source-id": f.sourceId, "field-id": f.fieldId })),
  };
}

/** Reads partition fields from JSON; v1 fields without `field-id` get 1000, 1001, … in order (spec). */
export function partitionFieldsFromJson(json: unknown, where: string): PartitionField[] {
  if (!Array.isArray(json)) throw new InvalidMetadataError(`metadata: ${where}: expected an array of partition fields, got ${JSON.stringify(json)}`);
  return json.map((f: Record<string, unknown>, i) => {
    const sourceId = f["source-id"] ?? (Array.isArray(f["source-ids"]) ? (f["source-ids"] as unknown[])[0] : undefined);
    if (typeof sourceId !== "number") throw new InvalidMetadataError(`metadata: ${where}[${i}].source-id: expected an integer, got ${JSON.stringify(sourceId)}`);
    if (typeof f["transform"] !== "string") throw new InvalidMetadataError(`metadata: ${where}[${i}].transform: expected a string, got ${JSON.stringify(f["transform"])}`);
    return {
      sourceId,
      fieldId: typeof f["field-id"] === "number" ? f["field-id"] : 1000 + i,
      name: String(f["name"]),
      transform: parseTransform(f["transform"]),
    };
  });
}

/** Reads a partition spec from metadata JSON. */
export function partitionSpecFromJson(json: unknown, where = "partition-spec"): PartitionSpec {
  const o = json as Record<string, unknown>;
  if (o === null || typeof o !== "object") throw new InvalidMetadataError(`metadata: ${where}: expected an object, got ${JSON.stringify(json)}`);
  return { specId: typeof o["spec-id"] === "number" ? o["spec-id"] : 0, fields: partitionFieldsFromJson(o["fields"], `${where}.fields`) };
}

/** Writes a sort order as metadata JSON. */
export function sortOrderToJson(order: SortOrder): Record<string, unknown> {
  return {
    "order-id": order.orderId,
    fields: order.fields.map((f) => ({ transform: transformToString(f.transform), "source-id": f.sourceId, direction: f.direction, "null-order": f.nullOrder })),
  };
}

/** Reads a sort order from metadata JSON. */
export function sortOrderFromJson(json: unknown, where = "sort-order"): SortOrder {
  const o = json as Record<string, unknown>;
  if (o === null || typeof o !== "object" || !Array.isArray(o["fields"])) {
    throw new InvalidMetadataError(`metadata: ${where}: expected an object with fields, got ${JSON.stringify(json)}`);
  }
  return {
    orderId: Number(o["order-id"] ?? 0),
    fields: (o["fields"] as Record<string, unknown>[]).map((f) => ({
      sourceId: Number(f["source-id"] ?? (f["source-ids"] as number[] | undefined)?.[0]),
      transform: parseTransform(String(f["transform"])),
      direction: f["direction"] === "desc" ? "desc" : "asc",
      nullOrder: f["null-order"] === "nulls-last" ? "nulls-last" : "nulls-first",
    })),
  };
}

/** The Hive-style relative path of a partition (`day=2024-01-05/bucket=3`), values URL-encoded as Java does. */
export function partitionToPath(spec: PartitionSpec, schema: Schema, partition: readonly unknown[]): string {
  return spec.fields
    .map((f, i) => {
      const source = findField(schema, f.sourceId)?.type ?? ({ kind: "primitive", name: "int" } as const);
      const human = toHumanString(f.transform, source, partition[i]);
      return `${encodeURIComponent(f.name)}=${encodeURIComponent(human)}`;
    })
    .join("/");
}
