import { CommitFailedError } from "../errors.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import type { TableRequirement } from "./updates.js";

/** Throws CommitFailedError when a requirement does not hold for `metadata` (undefined = the table does not exist). */
export function checkRequirement(metadata: TableMetadata | undefined, req: TableRequirement): void {
  const fail = (expected: string, got: unknown): never => {
    throw new CommitFailedError(`commit: requirement ${req.type} failed: expected ${expected}, got ${String(got)}`, { context: { requirement: req.type } });
  };
  if (req.type === "assert-create") {
    if (metadata !== undefined) fail("no table", "an existing table");
    return;
  }
  if (metadata === undefined) return fail("an existing table", "none");
  switch (req.type) {
    case "assert-table-uuid":
      if (metadata.tableUuid.toLowerCase() !== req.uuid.toLowerCase()) fail(`table uuid ${req.uuid}`, metadata.tableUuid);
      return;
    case "assert-ref-snapshot-id": {
      const ref = metadata.refs[req.ref];
      if (req.snapshotId === null) {
        if (ref !== undefined) fail(`ref ${req.ref} to be absent`, `snapshot ${ref.snapshotId}`);
      } else if (ref === undefined || ref.snapshotId !== req.snapshotId) {
        fail(`ref ${req.ref} at snapshot ${req.snapshotId}`, ref === undefined ? "no such ref" : `snapshot ${ref.snapshotId}`);
      }
      return;
    }
    case "assert-last-assigned-field-id":
      if (metadata.lastColumnId !== req.lastAssignedFieldId) fail(`last-column-id ${req.lastAssignedFieldId}`, metadata.lastColumnId);
      return;
    case "assert-current-schema-id":
      if (metadata.currentSchemaId !== req.currentSchemaId) fail(`current-schema-id ${req.currentSchemaId}`, metadata.currentSchemaId);
      return;
    case "assert-last-assigned-partition-id":
      if (metadata.lastPartitionId !== req.lastAssignedPartitionId) fail(`last-partition-id ${req.lastAssignedPartitionId}`, metadata.lastPartitionId);
      return;
    case "assert-default-spec-id":
      if (metadata.defaultSpecId !== req.defaultSpecId) fail(`default-spec-id ${req.defaultSpecId}`, metadata.defaultSpecId);
      return;
    case "assert-default-sort-order-id":
      if (metadata.defaultSortOrderId !== req.defaultSortOrderId) fail(`default-sort-order-id ${req.defaultSortOrderId}`, metadata.defaultSortOrderId);
      return;
  }
}

/** Checks every requirement; see `checkRequirement`. */
export function checkRequirements(metadata: TableMetadata | undefined, reqs: readonly TableRequirement[]): void {
  for (const r of reqs) checkRequirement(metadata, r);
}
