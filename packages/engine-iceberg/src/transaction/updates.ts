import type { PartitionSpec, SortOrder } from "../spec/partition-spec.js";
import type { Schema } from "../spec/schema.js";
import type { Snapshot, SnapshotRef } from "../spec/snapshot.js";

// Spec: REST catalog `TableUpdate` and `TableRequirement` (open-api/rest-catalog-open-api.yaml);
// the `action` / `type` strings are the REST names.

/** A change to table metadata, as data. */
export type TableUpdate =
  | { readonly action: "assign-uuid"; readonly uuid: string }
  | { readonly action: "upgrade-format-version"; readonly formatVersion: 1 | 2 | 3 }
  /** `lastColumnId` defaults to the highest field id of the schema (or the current value, whichever is higher). */
  | { readonly action: "add-schema"; readonly schema: Schema; readonly lastColumnId?: number }
  /** `schemaId: -1` means the schema added last in the same commit. */
  | { readonly action: "set-current-schema"; readonly schemaId: number }
  | { readonly action: "add-spec"; readonly spec: PartitionSpec }
  /** `specId: -1` means the spec added last in the same commit. */
  | { readonly action: "set-default-spec"; readonly specId: number }
  | { readonly action: "add-sort-order"; readonly sortOrder: SortOrder }
  /** `sortOrderId: -1` means the order added last in the same commit. */
  | { readonly action: "set-default-sort-order"; readonly sortOrderId: number }
  | { readonly action: "add-snapshot"; readonly snapshot: Snapshot }
  | ({ readonly action: "set-snapshot-ref"; readonly refName: string } & SnapshotRef)
  | { readonly action: "remove-snapshots"; readonly snapshotIds: readonly bigint[] }
  | { readonly action: "remove-snapshot-ref"; readonly refName: string }
  | { readonly action: "set-location"; readonly location: string }
  | { readonly action: "set-properties"; readonly updates: Readonly<Record<string, string>> }
  | { readonly action: "remove-properties"; readonly removals: readonly string[] };

/** A condition the current metadata must meet for a commit to apply. */
export type TableRequirement =
  | { readonly type: "assert-create" }
  | { readonly type: "assert-table-uuid"; readonly uuid: string }
  /** `snapshotId: null` asserts that the ref does not exist. */
  | { readonly type: "assert-ref-snapshot-id"; readonly ref: string; readonly snapshotId: bigint | null }
  | { readonly type: "assert-last-assigned-field-id"; readonly lastAssignedFieldId: number }
  | { readonly type: "assert-current-schema-id"; readonly currentSchemaId: number }
  | { readonly type: "assert-last-assigned-partition-id"; readonly lastAssignedPartitionId: number }
  | { readonly type: "assert-default-spec-id"; readonly defaultSpecId: number }
  | { readonly type: "assert-default-sort-order-id"; readonly defaultSortOrderId: number };
