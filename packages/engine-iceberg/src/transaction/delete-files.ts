import { or, type Expression } from "../expr/expression.js";
import type { DataFile } from "../manifest/data-file.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { SnapshotProducer, type RetryOptions } from "./snapshot-producer.js";

/**
 * Deletes whole files in a new snapshot (`operation=delete`): by path, or every file whose rows
 * all match a row filter (proven by partition values or column metrics). A data file that may
 * match only partly fails with code DELETE_NEEDS_REWRITE: plan such deletes with `planDelete`
 * and commit the rewritten files with `newOverwrite`. The filter is re-applied to the refreshed
 * table on every retry, so concurrently appended matching files are deleted too.
 *
 * ```ts
 * await table.newDelete().deleteFromRowFilter(eq("region", "eu")).commit();
 * ```
 */
export class DeleteFiles extends SnapshotProducer {
  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
  }

  protected get actionName(): string { return "delete"; }
  protected operation(): SnapshotOperation { return "delete"; }

  /** Deletes every live file whose rows all match `filter`. */
  deleteFromRowFilter(filter: Expression): this {
    this.rowFilter = this.rowFilter ? or(this.rowFilter, filter) : filter;
    return this;
  }

  /** Deletes a file (by its DataFile or path); it must be live when the commit applies. */
  deleteFile(file: DataFile | string): this {
    this.removedPaths.set(typeof file === "string" ? file : file.filePath, typeof file === "string" ? undefined : file);
    return this;
  }
}
