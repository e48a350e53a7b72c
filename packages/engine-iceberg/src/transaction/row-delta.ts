import { CommitConflictError } from "../errors.js";
import { FileContent, type DataFile } from "../manifest/data-file.js";
import { liveFiles } from "../scan/live-files.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { SnapshotProducer, type RetryOptions, type ValidationContext } from "./snapshot-producer.js";

/**
 * Commits row-level changes written by an engine (merge-on-read): new data files and position or
 * equality delete files in one snapshot (`operation=overwrite` when it adds deletes, else `append`).
 *
 * ```ts
 * await table.newRowDelta().addDeletes(posDeletes).validateDataFilesExist([target]).commit();
 * ```
 */
export class RowDelta extends SnapshotProducer {
  private readonly mustExist = new Set<string>();

  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
  }

  protected get actionName(): string { return "row-delta"; }
  protected operation(): SnapshotOperation {
    return this.added.some((f) => f.content !== FileContent.Data) ? "overwrite" : "append";
  }

  /** Adds a data file. */
  addRows(file: DataFile): this {
    this.added.push(file);
    return this;
  }

  /** Adds a position or equality delete file. */
  addDeletes(file: DataFile): this {
    this.added.push(file);
    return this;
  }

  /** Fails the commit (CommitConflictError) unless these data files are still live, e.g. the targets of position deletes. */
  validateDataFilesExist(paths: Iterable<string>): this {
    for (const p of paths) this.mustExist.add(p);
    return this;
  }

  protected override async validate(ctx: ValidationContext): Promise<void> {
    if (this.mustExist.size === 0) return;
    const live = new Set((await liveFiles(ctx.base, ctx.parent)).map((l) => l.file.filePath));
    const missing = [...this.mustExist].filter((p) => !live.has(p));
    if (missing.length > 0) {
      throw new CommitConflictError(`${this.actionName}: expected the data files its deletes refer to to be live, got ${missing.length} missing: ${missing.slice(0, 3).join(", ")}`, {
        context: { missing: missing.slice(0, 20) },
      });
    }
  }
}
