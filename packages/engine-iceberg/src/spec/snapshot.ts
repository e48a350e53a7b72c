/** The operation a snapshot performed; spec: snapshot summary `operation`. */
export type SnapshotOperation = "append" | "replace" | "overwrite" | "delete";

/** A snapshot's summary: `operation` plus string-valued metrics and custom properties. */
export interface SnapshotSummary {
  readonly operation: SnapshotOperation;
  readonly [key: string]: string;
}

/** A snapshot of table contents. */
export interface Snapshot {
  readonly snapshotId: bigint;
  readonly parentSnapshotId?: bigint;
  /** v2: assigned at commit; v1 tables read as 0. */
  readonly sequenceNumber: bigint;
  readonly timestampMs: bigint;
  /** The manifest list; absent only for v1 snapshots that list `manifests` directly. */
  readonly manifestList?: string;
  /** v1 only: manifests listed inline instead of a manifest list. */
  readonly manifests?: readonly string[];
  readonly summary: SnapshotSummary;
  readonly schemaId?: number;
  /** v3 row lineage: the first row id assigned to rows added by this snapshot. */
  readonly firstRowId?: bigint;
  /** v3 row lineage: rows added by this snapshot. */
  readonly addedRows?: bigint;
}

/** A named reference to a snapshot: a branch (`main`) or a tag. */
export interface SnapshotRef {
  readonly snapshotId: bigint;
  readonly type: "branch" | "tag";
  readonly minSnapshotsToKeep?: number;
  readonly maxSnapshotAgeMs?: bigint;
  readonly maxRefAgeMs?: bigint;
}

/** An entry of the snapshot log. */
export interface SnapshotLogEntry { readonly snapshotId: bigint; readonly timestampMs: bigint }
/** An entry of the metadata log. */
export interface MetadataLogEntry { readonly metadataFile: string; readonly timestampMs: bigint }
