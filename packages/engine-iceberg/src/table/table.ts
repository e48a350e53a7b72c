import { InvalidMetadataError, IcebergError } from "../errors.js";
import type { Catalog, TableIdentifier } from "../catalog/catalog.js";
import type { FileIO } from "../io/file-io.js";
import { fileIOFor } from "../io/registry.js";
import type { PartitionSpec, SortOrder } from "../spec/partition-spec.js";
import type { Schema } from "../spec/schema.js";
import type { Snapshot, SnapshotLogEntry } from "../spec/snapshot.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import { parseTableMetadata } from "../spec/table-metadata-json.js";
import { TableScan, type ScanOptions } from "../scan/table-scan.js";
import { DeleteFiles } from "../transaction/delete-files.js";
import { FastAppend } from "../transaction/fast-append.js";
import { ManageSnapshots } from "../transaction/manage-snapshots.js";
import { OverwriteFiles } from "../transaction/overwrite-files.js";
import { ReplacePartitions } from "../transaction/replace-partitions.js";
import { RewriteFiles } from "../transaction/rewrite-files.js";
import { RowDelta } from "../transaction/row-delta.js";
import type { RetryOptions } from "../transaction/snapshot-producer.js";
import { UpdateProperties } from "../transaction/update-properties.js";
import { UpdateSchema } from "../transaction/update-schema.js";
import { UpdateSpec } from "../transaction/update-spec.js";

/** Maps a path found in metadata to where it can be read (e.g. a copied table's local folder). */
export type PathRemapper = (path: string) => string;

/** Options of the Table constructor. */
export interface TableOptions {
  readonly identifier: TableIdentifier;
  readonly metadata: TableMetadata;
  readonly metadataLocation: string;
  readonly io: FileIO;
  /** The catalog that commits changes; absent for read-only (static) tables. */
  readonly catalog?: Catalog;
  /** Applied to every path read from metadata, manifest lists and manifests. */
  readonly remap?: PathRemapper;
}

/** Options of `Table.fromMetadataFile`. */
export interface StaticTableOptions {
  /** Defaults to the registry's FileIO for the location's scheme. */
  readonly io?: FileIO;
  readonly remap?: PathRemapper;
  readonly identifier?: TableIdentifier;
}

/**
 * An Iceberg table at one metadata version.
 *
 * ```ts
 * const table = await Table.fromMetadataFile("wh/db/t/metadata/v3.metadata.json");
 * const tasks = await table.newScan({ filter: eq("day", "2024-01-05") }).planFiles();
 * ```
 */
export class Table {
  readonly identifier: TableIdentifier;
  readonly metadata: TableMetadata;
  readonly metadataLocation: string;
  readonly io: FileIO;
  readonly catalog: Catalog | undefined;
  readonly remap: PathRemapper;

  constructor(options: TableOptions) {
    this.identifier = options.identifier;
    this.metadata = options.metadata;
    this.metadataLocation = options.metadataLocation;
    this.io = options.io;
    this.catalog = options.catalog;
    this.remap = options.remap ?? ((p) => p);
  }

  /** Opens a table read-only from a metadata file (plain or gzip). */
  static async fromMetadataFile(location: string, options: StaticTableOptions = {}): Promise<Table> {
    const io = options.io ?? (await fileIOFor(location));
    const metadata = parseTableMetadata(await io.newInputFile(location).read());
    const name = location.split("/").slice(-3, -2)[0] ?? "table";
    const opts: TableOptions = {
      identifier: options.identifier ?? { namespace: [], name }, metadata, metadataLocation: location, io,
      ...(options.remap ? { remap: options.remap } : {}),
    };
    return new Table(opts);
  }

  /** The table's base location. */
  location(): string { return this.metadata.location; }
  /** The table's properties. */
  properties(): Readonly<Record<string, string>> { return this.metadata.properties; }
  /** The current schema. */
  schema(): Schema { return this.schemaById(this.metadata.currentSchemaId); }
  /** A schema by id. */
  schemaById(id: number): Schema {
    const s = this.metadata.schemas.find((x) => x.schemaId === id);
    if (!s) throw new InvalidMetadataError(`table: schema ${id}: expected a schema of the table, got none with that id`);
    return s;
  }
  /** All schemas by id. */
  schemas(): ReadonlyMap<number, Schema> { return new Map(this.metadata.schemas.map((s) => [s.schemaId, s])); }
  /** The default partition spec. */
  spec(): PartitionSpec { return this.specById(this.metadata.defaultSpecId); }
  /** A partition spec by id. */
  specById(id: number): PartitionSpec {
    const s = this.metadata.partitionSpecs.find((x) => x.specId === id);
    if (!s) throw new InvalidMetadataError(`table: partition spec ${id}: expected a spec of the table, got none with that id`);
    return s;
  }
  /** All partition specs by id. */
  specs(): ReadonlyMap<number, PartitionSpec> { return new Map(this.metadata.partitionSpecs.map((s) => [s.specId, s])); }
  /** The default sort order. */
  sortOrder(): SortOrder { return this.metadata.sortOrders.find((o) => o.orderId === this.metadata.defaultSortOrderId) ?? { orderId: 0, fields: [] }; }
  /** The current snapshot, or undefined for an empty table. */
  currentSnapshot(): Snapshot | undefined {
    const id = this.metadata.currentSnapshotId;
    return id === undefined ? undefined : this.metadata.snapshots.find((s) => s.snapshotId === id);
  }
  /** A snapshot by id (undefined when unknown). */
  snapshot(id: bigint): Snapshot | undefined { return this.metadata.snapshots.find((s) => s.snapshotId === id); }
  /** All snapshots, in metadata order. */
  snapshots(): readonly Snapshot[] { return this.metadata.snapshots; }
  /** The snapshot a branch or tag points to; throws when the ref is unknown. */
  snapshotByRef(name: string): Snapshot {
    const ref = this.metadata.refs[name];
    const snap = ref && this.snapshot(ref.snapshotId);
    if (!snap) throw new IcebergError("NO_SUCH_REF", `table: ref ${name}: expected a branch or tag of the table, got none`, { context: { ref: name } });
    return snap;
  }
  /** The snapshot that was current at a time: the latest snapshot-log entry at or before `timestampMs`; throws when none. */
  snapshotAsOf(timestampMs: bigint | number | Date): Snapshot {
    const t = timestampMs instanceof Date ? BigInt(timestampMs.getTime()) : BigInt(timestampMs);
    let best: SnapshotLogEntry | undefined;
    for (const e of this.history()) if (e.timestampMs <= t && (best === undefined || e.timestampMs >= best.timestampMs)) best = e;
    // Without a log (hand-made metadata), fall back to snapshot timestamps.
    const snap = best ? this.snapshot(best.snapshotId) : [...this.metadata.snapshots].filter((s) => s.timestampMs <= t).sort((a, b) => (a.timestampMs < b.timestampMs ? -1 : 1)).pop();
    if (!snap) throw new IcebergError("NO_SNAPSHOT_AS_OF", `table: as of ${t}: expected a snapshot at or before that time, got none`, { context: { timestampMs: t.toString() } });
    return snap;
  }
  /** The snapshot log: which snapshot was current from when. */
  history(): readonly SnapshotLogEntry[] {
    if (this.metadata.snapshotLog.length > 0) return this.metadata.snapshotLog;
    const cur = this.currentSnapshot();
    return cur ? [{ snapshotId: cur.snapshotId, timestampMs: cur.timestampMs }] : [];
  }
  /** Reloads the table from its catalog (a static table re-reads its metadata file). */
  async refresh(): Promise<Table> {
    if (this.catalog) return this.catalog.loadTable(this.identifier);
    const opts: StaticTableOptions = { io: this.io, remap: this.remap, identifier: this.identifier };
    return Table.fromMetadataFile(this.metadataLocation, opts);
  }
  /** The same table at other metadata (what a commit returns). */
  withMetadata(metadata: TableMetadata, metadataLocation: string): Table {
    return new Table({
      identifier: this.identifier, metadata, metadataLocation, io: this.io, remap: this.remap,
      ...(this.catalog ? { catalog: this.catalog } : {}),
    });
  }
  private writable(): this {
    if (!this.catalog) throw new IcebergError("READ_ONLY_TABLE", `table: ${this.identifier.name}: expected a table loaded from a catalog, got a read-only table`);
    return this;
  }
  /** Starts an append: new files go into new manifests; existing manifests are reused and small ones merged. */
  newAppend(retry: RetryOptions = {}): FastAppend { return new FastAppend(this.writable(), retry); }
  /** Starts an overwrite: remove files by filter or path, add files, with conflict detection. */
  newOverwrite(retry: RetryOptions = {}): OverwriteFiles { return new OverwriteFiles(this.writable(), retry); }
  /** Starts a delete of whole files by row filter or path. */
  newDelete(retry: RetryOptions = {}): DeleteFiles { return new DeleteFiles(this.writable(), retry); }
  /** Starts a dynamic partition overwrite. */
  newReplacePartitions(retry: RetryOptions = {}): ReplacePartitions { return new ReplacePartitions(this.writable(), retry); }
  /** Starts a rewrite (compaction) of files by others with the same rows. */
  newRewriteFiles(retry: RetryOptions = {}): RewriteFiles { return new RewriteFiles(this.writable(), retry); }
  /** Starts a row delta: data files plus position/equality delete files. */
  newRowDelta(retry: RetryOptions = {}): RowDelta { return new RowDelta(this.writable(), retry); }
  /** Starts a schema change. */
  updateSchema(): UpdateSchema { return new UpdateSchema(this.writable()); }
  /** Starts a partition spec change. */
  updateSpec(): UpdateSpec { return new UpdateSpec(this.writable()); }
  /** Starts a change of table properties. */
  updateProperties(): UpdateProperties { return new UpdateProperties(this.writable()); }
  /** Starts a change of branches and tags. */
  manageSnapshots(): ManageSnapshots { return new ManageSnapshots(this.writable()); }
  /** Starts a scan of the current snapshot, or of a snapshot chosen by id, ref or time. */
  newScan(options: ScanOptions = {}): TableScan {
    return new TableScan(this, options);
  }
}
