import { CommitFailedError, InvalidMetadataError } from "../errors.js";
import { highestFieldId } from "../spec/schema.js";
import type { SnapshotLogEntry } from "../spec/snapshot.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import type { TableUpdate } from "./updates.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Applies one update to metadata and returns new metadata; the input is never changed. */
export function applyUpdate(metadata: TableMetadata, update: TableUpdate): TableMetadata {
  const md: Mutable<TableMetadata> = { ...metadata };
  const bad = (msg: string): never => { throw new InvalidMetadataError(`update: ${update.action}: ${msg}`); };
  switch (update.action) {
    case "assign-uuid":
      if (md.tableUuid !== "" && md.tableUuid !== update.uuid) bad(`expected the table's uuid ${md.tableUuid} or none, got ${update.uuid}`);
      md.tableUuid = update.uuid;
      break;
    case "upgrade-format-version":
      if (update.formatVersion < md.formatVersion) bad(`expected a version >= ${md.formatVersion}, got ${update.formatVersion}`);
      md.formatVersion = update.formatVersion;
      break;
    case "add-schema": {
      if (md.schemas.some((s) => s.schemaId === update.schema.schemaId)) bad(`expected a new schema id, got ${update.schema.schemaId}`);
      md.schemas = [...md.schemas, update.schema];
      md.lastColumnId = Math.max(md.lastColumnId, update.lastColumnId ?? 0, highestFieldId(update.schema));
      break;
    }
    case "set-current-schema": {
      // Spec (REST): -1 means the schema added last in this set of changes.
      const id = update.schemaId === -1 ? md.schemas[md.schemas.length - 1]?.schemaId : update.schemaId;
      if (id === undefined || !md.schemas.some((s) => s.schemaId === id)) bad(`expected a known schema id, got ${update.schemaId}`);
      md.currentSchemaId = id!;
      break;
    }
    case "add-spec":
      if (md.partitionSpecs.some((s) => s.specId === update.spec.specId)) bad(`expected a new spec id, got ${update.spec.specId}`);
      md.partitionSpecs = [...md.partitionSpecs, update.spec];
      md.lastPartitionId = Math.max(md.lastPartitionId, ...update.spec.fields.map((f) => f.fieldId));
      break;
    case "set-default-spec": {
      const id = update.specId === -1 ? md.partitionSpecs[md.partitionSpecs.length - 1]?.specId : update.specId;
      if (id === undefined || !md.partitionSpecs.some((s) => s.specId === id)) bad(`expected a known spec id, got ${update.specId}`);
      md.defaultSpecId = id!;
      break;
    }
    case "add-sort-order":
      if (md.sortOrders.some((s) => s.orderId === update.sortOrder.orderId)) bad(`expected a new sort order id, got ${update.sortOrder.orderId}`);
      md.sortOrders = [...md.sortOrders, update.sortOrder];
      break;
    case "set-default-sort-order": {
      const id = update.sortOrderId === -1 ? md.sortOrders[md.sortOrders.length - 1]?.orderId : update.sortOrderId;
      if (id === undefined || !md.sortOrders.some((s) => s.orderId === id)) bad(`expected a known sort order id, got ${update.sortOrderId}`);
      md.defaultSortOrderId = id!;
      break;
    }
    case "add-snapshot": {
      const s = update.snapshot;
      if (md.snapshots.some((x) => x.snapshotId === s.snapshotId)) bad(`expected a new snapshot id, got ${s.snapshotId}`);
      // Spec: a v2 snapshot's sequence number must be greater than the table's last sequence number.
      if (md.formatVersion >= 2 && s.sequenceNumber <= md.lastSequenceNumber && s.parentSnapshotId !== undefined) {
        throw new CommitFailedError(`update: add-snapshot: expected sequence number > ${md.lastSequenceNumber}, got ${s.sequenceNumber}`);
      }
      md.snapshots = [...md.snapshots, s];
      if (s.sequenceNumber > md.lastSequenceNumber) md.lastSequenceNumber = s.sequenceNumber;
      if (s.timestampMs > md.lastUpdatedMs) md.lastUpdatedMs = s.timestampMs;
      break;
    }
    case "set-snapshot-ref": {
      const snap = md.snapshots.find((x) => x.snapshotId === update.snapshotId);
      if (!snap) bad(`expected a known snapshot id, got ${update.snapshotId}`);
      const { action: _a, refName, ...ref } = update;
      md.refs = { ...md.refs, [refName]: ref };
      if (refName === "main") {
        if (ref.type !== "branch") bad(`expected main to be a branch, got ${ref.type}`);
        if (md.currentSnapshotId !== ref.snapshotId) {
          md.currentSnapshotId = ref.snapshotId;
          // Spec: the snapshot log records each change of the current snapshot.
          md.snapshotLog = [...md.snapshotLog, { snapshotId: ref.snapshotId, timestampMs: snap!.timestampMs }];
        }
      }
      break;
    }
    case "remove-snapshots": {
      const gone = new Set(update.snapshotIds);
      md.snapshots = md.snapshots.filter((s) => !gone.has(s.snapshotId));
      md.refs = Object.fromEntries(Object.entries(md.refs).filter(([, r]) => !gone.has(r.snapshotId)));
      md.snapshotLog = md.snapshotLog.filter((e: SnapshotLogEntry) => !gone.has(e.snapshotId));
      if (md.currentSnapshotId !== undefined && gone.has(md.currentSnapshotId)) delete md.currentSnapshotId;
      break;
    }
    case "remove-snapshot-ref": {
      const { [update.refName]: _gone, ...rest } = md.refs;
      md.refs = rest;
      if (update.refName === "main") delete md.currentSnapshotId;
      break;
    }
    case "set-location":
      md.location = update.location;
      break;
    case "set-properties":
      md.properties = { ...md.properties, ...update.updates };
      break;
    case "remove-properties": {
      const props = { ...md.properties };
      for (const k of update.removals) delete props[k];
      md.properties = props;
      break;
    }
  }
  return md;
}

/** Applies updates in order; `lastUpdatedMs` (default: now) becomes the new `last-updated-ms` when it is later. */
export function applyUpdates(metadata: TableMetadata, updates: readonly TableUpdate[], options: { lastUpdatedMs?: bigint } = {}): TableMetadata {
  let md = metadata;
  for (const u of updates) md = applyUpdate(md, u);
  const now = options.lastUpdatedMs ?? BigInt(Date.now());
  return now > md.lastUpdatedMs ? { ...md, lastUpdatedMs: now } : md;
}
