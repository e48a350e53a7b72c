import { FileContent, type DataFile } from "../manifest/data-file.js";
import { partitionKey } from "../scan/delete-index.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { validateNoAddedFiles } from "./conflict-validation.js";
import { SnapshotProducer, type RetryOptions, type ValidationContext } from "./snapshot-producer.js";

/**
 * Dynamic partition overwrite (`operation=overwrite`, summary `replace-partitions=true`): every
 * live data and delete file in the partitions (spec and tuple) of the added data files is
 * removed. A concurrent commit that added data to one of those partitions since the starting
 * snapshot fails the commit with CommitConflictError.
 *
 * ```ts
 * await table.newReplacePartitions().addFile(day5).addFile(day6).commit();
 * ```
 */
export class ReplacePartitions extends SnapshotProducer {
  private checkDeletes = false;

  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
  }

  protected get actionName(): string { return "replace-partitions"; }
  protected operation(): SnapshotOperation { return "overwrite"; }
  protected override summaryExtras(): Record<string, string> { return { "replace-partitions": "true" }; }

  /** Adds a file; a data file's partition is replaced. */
  addFile(file: DataFile): this {
    this.added.push(file);
    if (file.content === FileContent.Data) this.droppedPartitions.add(partitionKey(file.specId, file.partition));
    return this;
  }

  /** Validates concurrent changes from this snapshot on (default: the branch head when the action was created). */
  validateFromSnapshot(snapshotId: bigint | undefined): this {
    this.setStartingSnapshot(snapshotId);
    return this;
  }

  /** Fails on concurrent data added to a replaced partition; always on, kept for symmetry with Java's API. */
  validateNoConflictingData(): this { return this; }

  /** Also fails on concurrent delete files added to a replaced partition. */
  validateNoConflictingDeletes(): this {
    this.checkDeletes = true;
    return this;
  }

  protected override async validate(ctx: ValidationContext): Promise<void> {
    const since = ctx.since();
    if (since.length === 0) return;
    const inReplaced = (f: DataFile): boolean => this.droppedPartitions.has(partitionKey(f.specId, f.partition));
    await validateNoAddedFiles(ctx.base, since, "data", inReplaced, this.actionName);
    if (this.checkDeletes) await validateNoAddedFiles(ctx.base, since, "deletes", inReplaced, this.actionName);
  }
}
