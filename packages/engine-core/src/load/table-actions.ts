// The Iceberg actions a load commits through, all from @engine/iceberg: engine-core decides what
// to add and remove, the iceberg package owns how a snapshot is made, validated and committed.

import { CommitConflictError, FastAppend, OverwriteFiles, ReplacePartitions, type DataFile, type Expression, type IcebergType, type Table, type ValidationContext } from "@engine/iceberg";
import { LoadError } from "./errors.js";
import { findLoadInAncestry } from "./idempotency.js";

/** What a load commits: files out, files in, and where concurrent changes would conflict. */
export interface FileChanges {
  readonly removed: readonly DataFile[];
  readonly added: readonly DataFile[];
  /** The snapshot the load read; the commit fails if a conflicting change landed since. */
  readonly baseSnapshotId?: bigint;
  /** Rows the load read or replaced: concurrent data added there is a conflict. */
  readonly conflictFilter?: Expression;
}

/**
 * What every attempt of a load's commit re-checks on the freshly loaded table, so that two
 * processes running the same load (an Airflow retry overlapping the first try) commit it once,
 * and a load planned against an empty table does not land on data committed meanwhile.
 */
export interface CommitGuard {
  /** The load id; if the table's ancestry already records it, the commit stops with `ALREADY_LOADED`. */
  readonly loadId?: string;
  /** The load read the table empty (or absent): a snapshot committed since is a conflict. */
  readonly requireEmpty?: boolean;
}

function checkGuard(ctx: ValidationContext, guard: CommitGuard): void {
  const prior = guard.loadId === undefined ? undefined : findLoadInAncestry(ctx.base, guard.loadId);
  if (prior) {
    throw new LoadError(`load: ${guard.loadId!.slice(0, 12)} was committed by a concurrent run (snapshot ${prior.snapshotId})`, {
      code: "ALREADY_LOADED", context: { loadId: guard.loadId, snapshotId: prior.snapshotId },
    });
  }
  if (guard.requireEmpty && ctx.parent) {
    throw new CommitConflictError(`load: expected the table to be empty as when the load read it, got snapshot ${ctx.parent.snapshotId} committed meanwhile by a concurrent load; run the load again`, {
      context: { snapshotId: ctx.parent.snapshotId },
    });
  }
}

class GuardedAppend extends FastAppend {
  constructor(table: Table, private readonly guard: CommitGuard) { super(table); }
  protected override async validate(ctx: ValidationContext): Promise<void> {
    checkGuard(ctx, this.guard);
    await super.validate(ctx);
  }
}

class GuardedOverwrite extends OverwriteFiles {
  constructor(table: Table, private readonly guard: CommitGuard) { super(table); }
  protected override async validate(ctx: ValidationContext): Promise<void> {
    checkGuard(ctx, this.guard);
    await super.validate(ctx);
  }
}

class GuardedReplacePartitions extends ReplacePartitions {
  constructor(table: Table, private readonly guard: CommitGuard) { super(table); }
  protected override async validate(ctx: ValidationContext): Promise<void> {
    checkGuard(ctx, this.guard);
    await super.validate(ctx);
  }
}

/** Commits removed + added files as one `overwrite` snapshot, validating concurrent data and deletes since the base snapshot. */
export async function commitOverwrite(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>, guard: CommitGuard = {}): Promise<Table> {
  const op = new GuardedOverwrite(table, guard);
  for (const f of changes.removed) op.deleteFile(f);
  for (const f of changes.added) op.addFile(f);
  for (const [k, v] of Object.entries(properties)) op.setProperty(k, v);
  if (changes.baseSnapshotId !== undefined) op.validateFromSnapshot(changes.baseSnapshotId);
  if (changes.conflictFilter) op.conflictDetectionFilter(changes.conflictFilter);
  op.validateNoConflictingData().validateNoConflictingDeletes();
  return op.commit();
}

/** Commits added files replacing every partition they touch (dynamic partition overwrite). */
export async function commitReplacePartitions(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>, guard: CommitGuard = {}): Promise<Table> {
  const op = new GuardedReplacePartitions(table, guard);
  for (const f of changes.added) op.addFile(f);
  for (const [k, v] of Object.entries(properties)) op.setProperty(k, v);
  if (changes.baseSnapshotId !== undefined) op.validateFromSnapshot(changes.baseSnapshotId);
  op.validateNoConflictingData().validateNoConflictingDeletes();
  return op.commit();
}

/** Commits added files as an `append` snapshot. */
export async function commitAppend(table: Table, changes: FileChanges, properties: Readonly<Record<string, string>>, guard: CommitGuard = {}): Promise<Table> {
  const op = new GuardedAppend(table, guard);
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
