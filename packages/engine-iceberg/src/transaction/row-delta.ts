import { CommitConflictError, InvalidChangeError } from "../errors.js";
import { FileContent, type DataFile } from "../manifest/data-file.js";
import { liveFiles } from "../scan/live-files.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { NestedField } from "../spec/types.js";
import type { Table } from "../table/table.js";
import { SnapshotProducer, type RetryOptions, type ValidationContext } from "./snapshot-producer.js";

/**
 * Commits row-level changes written by an engine (merge-on-read): new data files and position or
 * equality delete files in one snapshot (`operation=delete` for deletes only, `overwrite` for deletes
 * and data, `append` for data only).
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
  // Spec "Snapshots": `delete` when delete files are added to delete rows, `overwrite` when data is
  // also added, `append` for data only (Java's BaseRowDelta makes the same choice).
  protected operation(): SnapshotOperation {
    const deletes = this.added.some((f) => f.content !== FileContent.Data);
    const data = this.added.some((f) => f.content === FileContent.Data);
    return deletes ? (data ? "overwrite" : "delete") : "append";
  }

  /** Adds a data file. */
  addRows(file: DataFile): this {
    if (file.content !== FileContent.Data) throw this.invalid(file, `expected a data file (content 0), got content ${file.content}; add delete files with addDeletes`);
    this.checkPartition(file);
    this.added.push(file);
    return this;
  }

  /** Adds a position or equality delete file (format v2 and later). */
  addDeletes(file: DataFile): this {
    // Spec: "Row-level deletes" are a v2 feature; v1 readers would silently ignore them.
    if (this.table.metadata.formatVersion < 2) throw this.invalid(file, `expected a format v2 table for delete files, got format v${this.table.metadata.formatVersion}`);
    if (file.content === FileContent.PositionDeletes) {
      if (file.equalityIds !== undefined && file.equalityIds.length > 0) throw this.invalid(file, `expected no equality_ids on a position delete file, got [${file.equalityIds.join(", ")}]`);
    } else if (file.content === FileContent.EqualityDeletes) {
      // Spec: equality_ids is "required when content=2".
      if (file.equalityIds === undefined || file.equalityIds.length === 0) throw this.invalid(file, "expected equality_ids (the field ids rows are matched on) on an equality delete file, got none");
      const schema = this.table.schema();
      const unknown = file.equalityIds.filter((id) => !hasField(schema.fields, id));
      if (unknown.length > 0) throw this.invalid(file, `expected equality_ids of fields of the current schema, got unknown field id(s) ${unknown.join(", ")}`);
    } else {
      throw this.invalid(file, `expected a position (1) or equality (2) delete file, got content ${file.content}; add data files with addRows`);
    }
    this.checkPartition(file);
    this.added.push(file);
    return this;
  }

  /** Spec: a content file's partition tuple follows the partition spec its manifest is written with. */
  private checkPartition(file: DataFile): void {
    const spec = this.table.specs().get(file.specId);
    if (!spec) throw this.invalid(file, `expected the spec id of a partition spec of the table, got ${file.specId}`);
    if (file.partition.length !== spec.fields.length) {
      throw this.invalid(file, `expected a partition tuple of ${spec.fields.length} value(s) for spec ${file.specId}, got ${file.partition.length}`);
    }
  }

  private invalid(file: DataFile, detail: string): InvalidChangeError {
    return new InvalidChangeError(`${this.actionName}: ${file.filePath}: ${detail}`, { context: { file: file.filePath, content: file.content } });
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

function hasField(fields: readonly NestedField[], id: number): boolean {
  for (const f of fields) {
    if (f.id === id) return true;
    if (f.type.kind === "struct" && hasField(f.type.fields, id)) return true;
  }
  return false;
}
