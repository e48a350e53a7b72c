import { FileContent, type DataFile } from "../manifest/data-file.js";
import { partitionKey } from "../scan/delete-index.js";
import type { SnapshotOperation, SnapshotSummary } from "../spec/snapshot.js";

// Spec: "Snapshot summary" optional metrics; Java writes these keys for appends.
const TOTALS = ["total-records", "total-files-size", "total-data-files", "total-delete-files", "total-position-deletes", "total-equality-deletes"] as const;

/** Builds the summary of a snapshot that adds files, carrying totals forward from the parent's summary. */
export function appendSummary(options: {
  operation?: SnapshotOperation;
  added: readonly DataFile[];
  parent?: SnapshotSummary | undefined;
  extra?: Readonly<Record<string, string>>;
}): SnapshotSummary {
  const prev = (k: string): bigint => {
    const v = options.parent?.[k];
    return v !== undefined && /^-?\d+$/.test(v) ? BigInt(v) : 0n;
  };
  let dataFiles = 0n, deleteFiles = 0n, records = 0n, size = 0n, posDeletes = 0n, eqDeletes = 0n;
  const partitions = new Set<string>();
  for (const f of options.added) {
    size += f.fileSizeInBytes;
    partitions.add(partitionKey(f.specId, f.partition));
    if (f.content === FileContent.Data) { dataFiles++; records += f.recordCount; }
    else { deleteFiles++; if (f.content === FileContent.PositionDeletes) posDeletes += f.recordCount; else eqDeletes += f.recordCount; }
  }
  const s: Record<string, string> = { ...(options.extra ?? {}) };
  if (dataFiles > 0n) { s["added-data-files"] = String(dataFiles); s["added-records"] = String(records); }
  if (deleteFiles > 0n) {
    s["added-delete-files"] = String(deleteFiles);
    if (posDeletes > 0n) s["added-position-deletes"] = String(posDeletes);
    if (eqDeletes > 0n) s["added-equality-deletes"] = String(eqDeletes);
  }
  s["added-files-size"] = String(size);
  s["changed-partition-count"] = String(partitions.size);
  const totals: Record<(typeof TOTALS)[number], bigint> = {
    "total-records": prev("total-records") + records,
    "total-files-size": prev("total-files-size") + size,
    "total-data-files": prev("total-data-files") + dataFiles,
    "total-delete-files": prev("total-delete-files") + deleteFiles,
    "total-position-deletes": prev("total-position-deletes") + posDeletes,
    "total-equality-deletes": prev("total-equality-deletes") + eqDeletes,
  };
  for (const k of TOTALS) s[k] = String(totals[k]);
  return { ...s, operation: options.operation ?? "append" };
}
