// The Iceberg actions a load commits through, all from @engine/iceberg: engine-core decides what
// to add and remove, the iceberg package owns how a snapshot is made, validated and committed.

import type { DataFile, Expression, IcebergType, Table } from "@engine/iceberg";

/** What a load commits: files out, files in, and where concurrent changes would conflict. */
export interface FileChanges {
  readonly removed: readonly DataFile[];
  readonly added: readonly DataFile[];
  /** The snapshot the load read; the commit fails if a conflicting change landed since. */
  readonly baseSnapshotId?: bigint;
  /** Rows the load read or replaced: concurrent data added there is a conflict. */
  readonly conflictFilter?: Expression;
}

/** Commits removed + added files as one `overwrite` snapshot, validating concurrent data and deletes since the base snapshot. */
export async function commitOverwrite(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>): Promise<Table> {
  const op = table.newOverwrite();
  for (const f of changes.removed) op.deleteFile(f);
  for (const f of changes.added) op.addFile(f);
  for (const [k, v] of Object.entries(properties)) op.setProperty(k, v);
  if (changes.baseSnapshotId !== undefined) op.validateFromSnapshot(changes.baseSnapshotId);
  if (changes.conflictFilter) op.conflictDetectionFilter(changes.conflictFilter);
  op.validateNoConflictingData().validateNoConflictingDeletes();
  return op.commit();
}

/** Commits added files replacing every partition they touch (dynamic partition overwrite). */
export async function commitReplacePartitions(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>): Promise<Table> {
  const op = table.newReplacePartitions();
  for (const f of changes.added) op.addFile(f);
  for (const [k, v] of Object.entries(properties)) op.setProperty(k, v);
  if (changes.baseSnapshotId !== undefined) op.validateFromSnapshot(changes.baseSnapshotId);
  op.validateNoConflictingData().validateNoConflictingDeletes();
  return op.commit();
}

/** Commits added files as an `append` snapshot. */
export async function commitAppend(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>): Promise<Table> {
  const op = table.newAppend();
  for (const f of changes.added) op.appendFile(f);
  for (const [k, v] of Object.entries(properties)) op.setProperty(k, v);
  return op.commit();
}

/** Adds optional columns to a table's schema; returns the refreshed table. */
export async function addColumns(table: Table, columns: readonly { name: string; type: IcebergType; doc?: string }[]): Promise<Table> {
  const op = table.updateSchema();
  for (const c of columns) op.addColumn(c.name, c.type, c.doc ? { doc: c.doc } : {});
  return op.commit();
}
