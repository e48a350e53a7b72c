import { FileContent, type DataFile } from "../manifest/data-file.js";
import { partitionKey } from "../scan/delete-index.js";
import type { SnapshotOperation, SnapshotSummary } from "../spec/snapshot.js";

// Spec: "Snapshot summary" optional metrics (the keys Java's SnapshotSummary writes).
const TOTALS = ["total-records", "total-files-size", "total-data-files", "total-delete-files", "total-position-deletes", "total-equality-deletes"] as const;

interface Counts {
  dataFiles: bigint; deleteFiles: bigint; posDeleteFiles: bigint; eqDeleteFiles: bigint; dvs: bigint;
  records: bigint; size: bigint; posDeletes: bigint; eqDeletes: bigint;
}
const zero = (): Counts => ({ dataFiles: 0n, deleteFiles: 0n, posDeleteFiles: 0n, eqDeleteFiles: 0n, dvs: 0n, records: 0n, size: 0n, posDeletes: 0n, eqDeletes: 0n });

function count(c: Counts, f: DataFile): void {
  c.size += f.fileSizeInBytes;
  if (f.content === FileContent.Data) { c.dataFiles++; c.records += f.recordCount; return; }
  c.deleteFiles++;
  if (f.content === FileContent.PositionDeletes) {
    c.posDeletes += f.recordCount;
    // Java counts a deletion vector (a blob in a Puffin file) apart from position-delete files.
    if (f.fileFormat === "PUFFIN") c.dvs++; else c.posDeleteFiles++;
  } else {
    c.eqDeletes += f.recordCount;
    c.eqDeleteFiles++;
  }
}

/** Options of `snapshotSummary`. */
export interface SnapshotSummaryOptions {
  readonly operation: SnapshotOperation;
  readonly added?: readonly DataFile[];
  readonly removed?: readonly DataFile[];
  /** The parent's summary; totals are carried forward only when the parent has them (or there is no parent). */
  readonly parent?: SnapshotSummary | undefined;
  /** Whether the snapshot has a parent at all (totals start from zero when not). */
  readonly hasParent?: boolean;
  readonly extra?: Readonly<Record<string, string>>;
}

/** Builds a snapshot summary: added/removed counts and totals recomputed from the parent's (Java's SnapshotSummary keys). */
export function snapshotSummary(options: SnapshotSummaryOptions): SnapshotSummary {
  const add = zero(), rem = zero();
  const partitions = new Set<string>();
  for (const f of options.added ?? []) { count(add, f); partitions.add(partitionKey(f.specId, f.partition)); }
  for (const f of options.removed ?? []) { count(rem, f); partitions.add(partitionKey(f.specId, f.partition)); }
  const s: Record<string, string> = { ...(options.extra ?? {}) };
  const put = (k: string, v: bigint): void => { if (v > 0n) s[k] = String(v); };
  put("added-data-files", add.dataFiles);
  put("deleted-data-files", rem.dataFiles);
  put("added-delete-files", add.deleteFiles);
  put("added-equality-delete-files", add.eqDeleteFiles);
  put("removed-equality-delete-files", rem.eqDeleteFiles);
  put("added-position-delete-files", add.posDeleteFiles);
  put("removed-position-delete-files", rem.posDeleteFiles);
  put("added-dvs", add.dvs);
  put("removed-dvs", rem.dvs);
  put("removed-delete-files", rem.deleteFiles);
  put("added-records", add.records);
  put("deleted-records", rem.records);
  if (add.dataFiles + add.deleteFiles > 0n) s["added-files-size"] = String(add.size);
  put("removed-files-size", rem.size);
  put("added-position-deletes", add.posDeletes);
  put("removed-position-deletes", rem.posDeletes);
  put("added-equality-deletes", add.eqDeletes);
  put("removed-equality-deletes", rem.eqDeletes);
  s["changed-partition-count"] = String(partitions.size);
  const hasParent = options.hasParent ?? options.parent !== undefined;
  const prev = (k: string): bigint | undefined => {
    if (!hasParent) return 0n;
    const v = options.parent?.[k];
    return v !== undefined && /^-?\d+$/.test(v) ? BigInt(v) : undefined;
  };
  const delta: Record<(typeof TOTALS)[number], bigint> = {
    "total-records": add.records - rem.records,
    "total-files-size": add.size - rem.size,
    "total-data-files": add.dataFiles - rem.dataFiles,
    "total-delete-files": add.deleteFiles - rem.deleteFiles,
    "total-position-deletes": add.posDeletes - rem.posDeletes,
    "total-equality-deletes": add.eqDeletes - rem.eqDeletes,
  };
  // Java's updateTotal: a total the parent lacks is unknown, so it is left out rather than guessed.
  for (const k of TOTALS) {
    const p = prev(k);
    if (p !== undefined) s[k] = String(p + delta[k]);
  }
  return { ...s, operation: options.operation };
}

/** Builds the summary of a snapshot that adds files, carrying totals forward from the parent's summary. */
export function appendSummary(options: {
  operation?: SnapshotOperation;
  added: readonly DataFile[];
  parent?: SnapshotSummary | undefined;
  extra?: Readonly<Record<string, string>>;
}): SnapshotSummary {
  return snapshotSummary({
    operation: options.operation ?? "append", added: options.added, parent: options.parent,
    hasParent: options.parent !== undefined, ...(options.extra ? { extra: options.extra } : {}),
  });
}
