import { FileContent, type DataFile } from "../manifest/data-file.js";
import { fromUtf8 } from "../internal/bytes.js";
import { isUnpartitioned, type PartitionSpec } from "../spec/partition-spec.js";

/** A delete file with its data sequence number, as applied to a data file. */
export interface DeleteFileRef {
  readonly file: DataFile;
  readonly dataSequenceNumber: bigint;
}

/** Field id of `file_path` in position-delete files (spec: reserved field ids). */
export const POSITION_DELETE_FILE_PATH_ID = 2147483546;

/** A stable string key of a partition tuple within a spec. */
export function partitionKey(specId: number, partition: readonly unknown[]): string {
  return specId + ":" + partition.map((v) => {
    if (v === null || v === undefined) return "N";
    if (typeof v === "bigint") return "b" + v.toString();
    if (v instanceof Uint8Array) return "x" + Buffer.from(v).toString("hex");
    return typeof v + ":" + String(v);
  }).join("|");
}

/** The data file a position-delete file targets, when it names exactly one (spec: `referenced_data_file`, or equal file_path bounds). */
export function referencedDataFile(file: DataFile): string | undefined {
  if (file.referencedDataFile !== undefined) return file.referencedDataFile;
  const lo = file.lowerBounds?.get(POSITION_DELETE_FILE_PATH_ID);
  const hi = file.upperBounds?.get(POSITION_DELETE_FILE_PATH_ID);
  if (lo && hi) {
    const a = fromUtf8(lo), b = fromUtf8(hi);
    if (a === b) return a;
  }
  return undefined;
}

/**
 * Finds the delete files that apply to a data file. Spec ("Scan Planning"):
 * position deletes apply when the data sequence number of the delete is >= the data file's and
 * the partitions match (or the delete's spec is unpartitioned); equality deletes apply when the
 * delete's sequence number is strictly greater and the partitions match or its spec is unpartitioned.
 */
export class DeleteIndex {
  private readonly posByPartition = new Map<string, DeleteFileRef[]>();
  private readonly posGlobal: DeleteFileRef[] = [];
  private readonly eqByPartition = new Map<string, DeleteFileRef[]>();
  private readonly eqGlobal: DeleteFileRef[] = [];
  private readonly posByPath = new Map<string, DeleteFileRef[]>();

  constructor(private readonly specs: ReadonlyMap<number, PartitionSpec>) {}

  /** Adds a delete file with its data sequence number. */
  add(ref: DeleteFileRef): void {
    const spec = this.specs.get(ref.file.specId);
    const global = spec === undefined || isUnpartitioned(spec);
    const key = partitionKey(ref.file.specId, ref.file.partition);
    const push = (m: Map<string, DeleteFileRef[]>, k: string): void => { const l = m.get(k); if (l) l.push(ref); else m.set(k, [ref]); };
    if (ref.file.content === FileContent.PositionDeletes) {
      const target = referencedDataFile(ref.file);
      if (target !== undefined) push(this.posByPath, target);
      else if (global) this.posGlobal.push(ref);
      else push(this.posByPartition, key);
    } else if (ref.file.content === FileContent.EqualityDeletes) {
      if (global) this.eqGlobal.push(ref);
      else push(this.eqByPartition, key);
    }
  }

  /** The deletes for a data file (given with its original, un-remapped path) and its data sequence number. */
  forDataFile(file: DataFile, dataSequenceNumber: bigint): DeleteFileRef[] {
    const key = partitionKey(file.specId, file.partition);
    const out: DeleteFileRef[] = [];
    for (const d of [...(this.posByPath.get(file.filePath) ?? []), ...(this.posByPartition.get(key) ?? []), ...this.posGlobal]) {
      if (d.dataSequenceNumber >= dataSequenceNumber) out.push(d);
    }
    for (const d of [...(this.eqByPartition.get(key) ?? []), ...this.eqGlobal]) {
      if (d.dataSequenceNumber > dataSequenceNumber) out.push(d);
    }
    return out;
  }
}
