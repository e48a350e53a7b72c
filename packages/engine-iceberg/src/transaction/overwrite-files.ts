import { alwaysTrue, or, type Expression } from "../expr/expression.js";
import type { DataFile } from "../manifest/data-file.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { fileMatcher, validateNoAddedFiles } from "./conflict-validation.js";
import { SnapshotProducer, type RetryOptions, type ValidationContext } from "./snapshot-producer.js";

/**
 * Replaces data in one snapshot (`operation=overwrite`): removes files wholly matching a row
 * filter and/or given files, and adds new ones. When a filter is set (row or conflict-detection),
 * a concurrent commit that added data matching it since the starting snapshot fails the commit
 * with CommitConflictError; other concurrent commits are retried over.
 *
 * ```ts
 * await table.newOverwrite().overwriteByFilter(eq("day", "2024-01-05")).addFile(f).commit();
 * ```
 */
export class OverwriteFiles extends SnapshotProducer {
  private conflictFilter: Expression | undefined;
  private checkData = false;
  private checkDeletes = false;

  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
  }

  protected get actionName(): string { return "overwrite"; }
  protected operation(): SnapshotOperation { return "overwrite"; }

  /** Removes every live file whose rows all match `filter`; a data file matching only partly fails the commit unless also removed with `deleteFile`. */
  overwriteByFilter(filter: Expression): this {
    this.rowFilter = this.rowFilter ? or(this.rowFilter, filter) : filter;
    return this;
  }

  /** Removes a file (by its DataFile or path); it must be live when the commit applies. */
  deleteFile(file: DataFile | string): this {
    this.removedPaths.set(typeof file === "string" ? file : file.filePath, typeof file === "string" ? undefined : file);
    return this;
  }

  /** Adds a data or delete file. */
  addFile(file: DataFile): this {
    this.added.push(file);
    return this;
  }

  /** Validates concurrent changes from this snapshot on (default: the branch head when the action was created). */
  validateFromSnapshot(snapshotId: bigint | undefined): this {
    this.setStartingSnapshot(snapshotId);
    return this;
  }

  /** The filter concurrent additions are checked against (default: the overwrite filter). */
  conflictDetectionFilter(filter: Expression): this {
    this.conflictFilter = filter;
    this.checkData = true;
    return this;
  }

  /** Fails the commit if a concurrent commit added data files matching the conflict filter (on by default when a filter is set). */
  validateNoConflictingData(): this {
    this.checkData = true;
    return this;
  }

  /** Fails the commit if a concurrent commit added delete files matching the conflict filter. */
  validateNoConflictingDeletes(): this {
    this.checkDeletes = true;
    return this;
  }

  protected override async validate(ctx: ValidationContext): Promise<void> {
    const filter = this.conflictFilter ?? this.rowFilter ?? (this.checkData || this.checkDeletes ? alwaysTrue() : undefined);
    if (filter === undefined) return;
    const since = ctx.since();
    if (since.length === 0) return;
    const matches = fileMatcher(ctx.base, filter);
    if (this.checkData || this.rowFilter !== undefined) await validateNoAddedFiles(ctx.base, since, "data", matches, this.actionName);
    if (this.checkDeletes) await validateNoAddedFiles(ctx.base, since, "deletes", matches, this.actionName);
  }
}
