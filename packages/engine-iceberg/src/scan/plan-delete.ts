import type { Expression } from "../expr/expression.js";
import type { DataFile } from "../manifest/data-file.js";
import type { Table } from "../table/table.js";
import { rowFilterMatcher } from "./row-filter-match.js";
import type { FileScanTask } from "./table-scan.js";

/** The files a copy-on-write delete touches. */
export interface DeletePlan {
  /** Files whose rows all match: remove them whole. */
  readonly dropWhole: readonly DataFile[];
  /** Files that may hold some matching rows: the engine rewrites them without those rows. */
  readonly rewrite: readonly DataFile[];
  /** Scan tasks of `rewrite` (with the delete files that apply), for the engine that reads them. */
  readonly rewriteTasks: readonly FileScanTask[];
  /** The snapshot planned against; pass it to `validateFromSnapshot` of the commit. */
  readonly snapshotId: bigint | undefined;
}

/**
 * Plans a copy-on-write delete of the rows matching `filter` in the current snapshot: files pruned
 * by partition values and column metrics are left out; the rest are split into whole drops and
 * files to rewrite. Commit the result with
 * `newOverwrite().overwriteByFilter(filter).deleteFile(old).addFile(rewritten).validateFromSnapshot(plan.snapshotId)`.
 */
export async function planDelete(table: Table, filter: Expression): Promise<DeletePlan> {
  const tasks = await table.newScan({ filter }).planFiles();
  const matcher = rowFilterMatcher(table, filter);
  const dropWhole: DataFile[] = [];
  const rewrite: DataFile[] = [];
  const rewriteTasks: FileScanTask[] = [];
  for (const t of tasks) {
    const how = matcher.match(t.file);
    if (how === "all") dropWhole.push(t.file);
    else if (how === "some") { rewrite.push(t.file); rewriteTasks.push(t); }
  }
  return { dropWhole, rewrite, rewriteTasks, snapshotId: table.currentSnapshot()?.snapshotId };
}
