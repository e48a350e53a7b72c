import { IcebergError } from "../errors.js";
import { bind, type BoundExpression } from "../expr/bind.js";
import { evaluate } from "../expr/evaluator.js";
import type { Expression } from "../expr/expression.js";
import { fileMightMatch, summaryMightMatch } from "../expr/metrics-evaluator.js";
import { projectToPartition } from "../expr/projection.js";
import { EntryStatus, FileContent, type DataFile } from "../manifest/data-file.js";
import type { PartitionSpec } from "../spec/partition-spec.js";
import type { Schema } from "../spec/schema.js";
import type { Snapshot } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { DeleteIndex, type DeleteFileRef } from "./delete-index.js";
import { loadManifest, snapshotManifests } from "./snapshot-manifests.js";

/** Which snapshot to scan and which rows are wanted. At most one of snapshotId, ref and asOfTimestampMs. */
export interface ScanOptions {
  readonly snapshotId?: bigint;
  readonly ref?: string;
  readonly asOfTimestampMs?: bigint | number;
  /** Row filter used to prune files; files may still hold non-matching rows. */
  readonly filter?: Expression;
  /** Column name matching; defaults to true. */
  readonly caseSensitive?: boolean;
}

/** One data file to read, with the delete files that apply to it. Paths are remapped (readable). */
export interface FileScanTask {
  readonly file: DataFile;
  readonly dataSequenceNumber: bigint;
  readonly deletes: readonly DeleteFileRef[];
  /** The schema to read with (the scanned snapshot's schema). */
  readonly schema: Schema;
  /** The spec the file was written with. */
  readonly spec: PartitionSpec;
}

/** A scan of one snapshot of a table. */
export class TableScan {
  private readonly snap: Snapshot | undefined;

  constructor(readonly table: Table, readonly options: ScanOptions = {}) {
    const given = [options.snapshotId, options.ref, options.asOfTimestampMs].filter((x) => x !== undefined).length;
    if (given > 1) throw new IcebergError("INVALID_SCAN", `scan: expected at most one of snapshotId, ref and asOfTimestampMs, got ${given}`);
    if (options.snapshotId !== undefined) {
      this.snap = table.snapshot(options.snapshotId);
      if (!this.snap) throw new IcebergError("NO_SUCH_SNAPSHOT", `scan: snapshot ${options.snapshotId}: expected a snapshot of the table, got none with that id`, { context: { snapshotId: options.snapshotId.toString() } });
    } else if (options.ref !== undefined) this.snap = table.snapshotByRef(options.ref);
    else if (options.asOfTimestampMs !== undefined) this.snap = table.snapshotAsOf(options.asOfTimestampMs);
    else this.snap = table.currentSnapshot();
  }

  /** The snapshot scanned (undefined for an empty table). */
  snapshot(): Snapshot | undefined { return this.snap; }

  /** The schema of the scanned snapshot. Spec: time travel reads with the snapshot's `schema-id`; otherwise the current schema. */
  schema(): Schema {
    const useSnapshotSchema = this.options.snapshotId !== undefined || this.options.ref !== undefined || this.options.asOfTimestampMs !== undefined;
    if (useSnapshotSchema && this.snap?.schemaId !== undefined) {
      const s = this.table.metadata.schemas.find((x) => x.schemaId === this.snap!.schemaId);
      if (s) return s;
    }
    return this.table.schema();
  }

  /** Plans the live data files of the snapshot, pruned by the filter, each with its delete files. */
  async planFiles(): Promise<FileScanTask[]> {
    const snap = this.snap;
    if (!snap) return [];
    const { io, remap } = this.table;
    const schema = this.schema();
    const specs = this.table.specs();
    const filter: BoundExpression = this.options.filter ? bind(this.options.filter, schema, this.options.caseSensitive === false ? { caseSensitive: false } : {}) : { kind: "true" };
    const projected = new Map<number, BoundExpression>();
    const projectionFor = (specId: number): BoundExpression => {
      let p = projected.get(specId);
      if (!p) {
        const spec = specs.get(specId);
        p = spec ? projectToPartition(filter, spec) : { kind: "true" };
        projected.set(specId, p);
      }
      return p;
    };

    const manifests = (await snapshotManifests(snap, io, remap)).filter((mf) => {
      const spec = specs.get(mf.partitionSpecId);
      if (!spec) return true;
      return summaryMightMatch(projectionFor(mf.partitionSpecId), spec.fields.map((f) => f.fieldId), mf.partitions);
    });
    const loaded = await Promise.all(manifests.map((mf) => loadManifest(mf, io, remap)));

    const deletes = new DeleteIndex(specs);
    const data: { file: DataFile; seq: bigint }[] = [];
    for (const m of loaded) {
      for (const e of m.entries) {
        if (e.status === EntryStatus.Deleted) continue;
        const f = e.dataFile;
        const spec = specs.get(f.specId);
        const part = projectionFor(f.specId);
        if (spec && part.kind !== "true") {
          const ids = spec.fields.map((x) => x.fieldId);
          if (!evaluate(part, (id) => f.partition[ids.indexOf(id)])) continue;
        }
        const seq = e.sequenceNumber ?? 0n;
        if (f.content === FileContent.Data) {
          if (filter.kind !== "true" && !fileMightMatch(filter, f)) continue;
          data.push({ file: f, seq });
        } else {
          deletes.add({ file: f, dataSequenceNumber: seq });
        }
      }
    }
    const remapFile = (f: DataFile): DataFile => {
      const p = remap(f.filePath);
      return p === f.filePath ? f : { ...f, filePath: p };
    };
    return data.map(({ file, seq }) => ({
      file: remapFile(file),
      dataSequenceNumber: seq,
      deletes: deletes.forDataFile(file, seq).map((d) => ({ file: remapFile(d.file), dataSequenceNumber: d.dataSequenceNumber })),
      schema,
      spec: specs.get(file.specId) ?? { specId: file.specId, fields: [] },
    }));
  }
}
