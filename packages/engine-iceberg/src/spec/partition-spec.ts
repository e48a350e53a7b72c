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
