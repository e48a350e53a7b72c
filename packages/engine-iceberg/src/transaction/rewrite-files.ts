import { FileContent, type DataFile } from "../manifest/data-file.js";
import { partitionKey, referencedDataFile } from "../scan/delete-index.js";
import { isUnpartitioned } from "../spec/partition-spec.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { validateNoAddedFiles } from "./conflict-validation.js";
import { SnapshotProducer, type RetryOptions, type ValidationContext } from "./snapshot-producer.js";

/**
 * Replaces files by others holding the same rows, e.g. compaction (`operation=replace`). The
 * replaced files must still be live, and no delete file that could apply to them may have been
 * added concurrently; otherwise the commit fails with CommitConflictError. In v2 the new data
 * files keep the starting snapshot's sequence number (Java's `dataSequenceNumber`), so equality
 * deletes committed after the rewrite began still apply to them.
 *
 * ```ts
 * await table.newRewriteFiles().rewriteFiles([a, b], [ab]).commit();
 * ```
 */
export class RewriteFiles extends SnapshotProducer {
  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
    const start = table.currentSnapshot();
    if (table.metadata.formatVersion >= 2 && start) this.addedDataSequenceNumber = start.sequenceNumber;
  }

  protected get actionName(): string { return "rewrite"; }
  protected operation(): SnapshotOperation { return "replace"; }

  /** Replaces `deleted` files by `added` ones. */
  rewriteFiles(deleted: readonly (DataFile | string)[], added: readonly DataFile[]): this {
    for (const f of deleted) this.deleteFile(f);
    for (const f of added) this.addFile(f);
    return this;
  }

  /** Removes a file (by its DataFile or path); it must be live when the commit applies. */
  deleteFile(file: DataFile | string): this {
    this.removedPaths.set(typeof file === "string" ? file : file.filePath, typeof file === "string" ? undefined : file);
    return this;
  }

  /** Adds a file with the same rows as removed ones. */
  addFile(file: DataFile): this {
    this.added.push(file);
    return this;
  }

  /** Sets the data sequence number of added data files (default: the starting snapshot's). */
  dataSequenceNumber(sequenceNumber: bigint): this {
    this.addedDataSequenceNumber = sequenceNumber;
    return this;
  }

  /** Validates concurrent changes from this snapshot on; also sets the default data sequence number to that snapshot's. */
  validateFromSnapshot(snapshotId: bigint): this {
    this.setStartingSnapshot(snapshotId);
    const s = this.table.snapshot(snapshotId);
    if (s && this.table.metadata.formatVersion >= 2) this.addedDataSequenceNumber = s.sequenceNumber;
    return this;
  }

  protected override async validate(ctx: ValidationContext): Promise<void> {
    const since = ctx.since();
    if (since.length === 0) return;
    const paths = new Set(this.removedPaths.keys());
    const known = [...this.removedPaths.values()];
    const partitions = known.every((f) => f !== undefined) ? new Set(known.map((f) => partitionKey(f!.specId, f!.partition))) : undefined;
    const specs = ctx.base.specs();
    // Spec (scan planning): a delete applies to a data file in its partition, or everywhere when its spec is unpartitioned.
    const applies = (d: DataFile): boolean => {
      if (d.content === FileContent.PositionDeletes) {
        const target = referencedDataFile(d);
        if (target !== undefined) return paths.has(target);
      }
      const spec = specs.get(d.specId);
      if (!partitions || !spec || isUnpartitioned(spec)) return true;
      return partitions.has(partitionKey(d.specId, d.partition));
    };
    await validateNoAddedFiles(ctx.base, since, "deletes", applies, this.actionName);
  }
}
