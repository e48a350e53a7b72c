import { InvalidMetadataError } from "../../errors.js";
import { partitionSpecFromJson, partitionSpecToJson, sortOrderFromJson, sortOrderToJson } from "../../spec/partition-spec.js";
import { schemaFromJson, schemaToJson } from "../../spec/schema.js";
import type { SnapshotRef } from "../../spec/snapshot.js";
import { snapshotFromJson, snapshotToJson } from "../../spec/table-metadata-json.js";
import type { TableRequirement, TableUpdate } from "../../transaction/updates.js";

// Spec: open-api/rest-catalog-open-api.yaml — `TableUpdate` (discriminator `action`) and
// `TableRequirement` (discriminator `type`) in kebab-case; schema, spec, sort order and snapshot
// bodies are the table-metadata JSON shapes, so their serde is reused from spec/.

type Obj = Record<string, unknown>;
const bad = (what: string, v: unknown): never => {
  throw new InvalidMetadataError(`rest: ${what}: expected a valid value, got ${typeof v === "bigint" ? v.toString() : JSON.stringify(v)}`);
};
const int = (o: Obj, k: string, what: string): number => (typeof o[k] === "number" && Number.isInteger(o[k]) ? (o[k] as number) : bad(`${what}.${k}`, o[k]));
const long = (v: unknown, what: string): bigint => (typeof v === "bigint" ? v : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : bad(what, v));
const str = (o: Obj, k: string, what: string): string => (typeof o[k] === "string" ? (o[k] as string) : bad(`${what}.${k}`, o[k]));

/** A TableUpdate in its REST JSON form. */
export function tableUpdateToJson(u: TableUpdate, formatVersion: 1 | 2 | 3 = 2): Obj {
  switch (u.action) {
    case "assign-uuid": return { action: u.action, uuid: u.uuid };
    case "upgrade-format-version": return { action: u.action, "format-version": u.formatVersion };
    case "add-schema": return { action: u.action, schema: schemaToJson(u.schema), ...(u.lastColumnId !== undefined ? { "last-column-id": u.lastColumnId } : {}) };
    case "set-current-schema": return { action: u.action, "schema-id": u.schemaId };
    case "add-spec": return { action: u.action, spec: partitionSpecToJson(u.spec) };
    case "set-default-spec": return { action: u.action, "spec-id": u.specId };
    case "add-sort-order": return { action: u.action, "sort-order": sortOrderToJson(u.sortOrder) };
    case "set-default-sort-order": return { action: u.action, "sort-order-id": u.sortOrderId };
    case "add-snapshot": return { action: u.action, snapshot: snapshotToJson(u.snapshot, formatVersion) };
    case "set-snapshot-ref": return {
      action: u.action, "ref-name": u.refName, type: u.type, "snapshot-id": u.snapshotId,
      "max-ref-age-ms": u.maxRefAgeMs, "max-snapshot-age-ms": u.maxSnapshotAgeMs, "min-snapshots-to-keep": u.minSnapshotsToKeep,
    };
    case "remove-snapshots": return { action: u.action, "snapshot-ids": [...u.snapshotIds] };
    case "remove-snapshot-ref": return { action: u.action, "ref-name": u.refName };
    case "set-location": return { action: u.action, location: u.location };
    case "set-properties": return { action: u.action, updates: { ...u.updates } };
    case "remove-properties": return { action: u.action, removals: [...u.removals] };
  }
}

/** Reads a TableUpdate from its REST JSON form. */
export function tableUpdateFromJson(json: unknown): TableUpdate {
  if (json === null || typeof json !== "object") return bad("update", json);
  const o = json as Obj;
  const w = `update ${String(o["action"])}`;
  switch (o["action"]) {
    case "assign-uuid": return { action: "assign-uuid", uuid: str(o, "uuid", w) };
    case "upgrade-format-version": return { action: "upgrade-format-version", formatVersion: int(o, "format-version", w) as 1 | 2 | 3 };
    case "add-schema": return { action: "add-schema", schema: schemaFromJson(o["schema"], `${w}.schema`), ...(typeof o["last-column-id"] === "number" ? { lastColumnId: o["last-column-id"] } : {}) };
    case "set-current-schema": return { action: "set-current-schema", schemaId: int(o, "schema-id", w) };
    case "add-spec": return { action: "add-spec", spec: partitionSpecFromJson(o["spec"], `${w}.spec`) };
    case "set-default-spec": return { action: "set-default-spec", specId: int(o, "spec-id", w) };
    case "add-sort-order": return { action: "add-sort-order", sortOrder: sortOrderFromJson(o["sort-order"], `${w}.sort-order`) };
    case "set-default-sort-order": return { action: "set-default-sort-order", sortOrderId: int(o, "sort-order-id", w) };
    case "add-snapshot": return { action: "add-snapshot", snapshot: snapshotFromJson(o["snapshot"], `${w}.snapshot.`) };
    case "set-snapshot-ref": {
      const type = o["type"] === "tag" ? "tag" : o["type"] === "branch" ? "branch" : bad(`${w}.type`, o["type"]);
      const ref: { -readonly [K in keyof SnapshotRef]: SnapshotRef[K] } = { snapshotId: long(o["snapshot-id"], `${w}.snapshot-id`), type };
      if (typeof o["min-snapshots-to-keep"] === "number") ref.minSnapshotsToKeep = o["min-snapshots-to-keep"];
      if (o["max-snapshot-age-ms"] !== undefined && o["max-snapshot-age-ms"] !== null) ref.maxSnapshotAgeMs = long(o["max-snapshot-age-ms"], `${w}.max-snapshot-age-ms`);
      if (o["max-ref-age-ms"] !== undefined && o["max-ref-age-ms"] !== null) ref.maxRefAgeMs = long(o["max-ref-age-ms"], `${w}.max-ref-age-ms`);
      return { action: "set-snapshot-ref", refName: str(o, "ref-name", w), ...ref };
    }
    case "remove-snapshots": {
      const ids = o["snapshot-ids"];
      return { action: "remove-snapshots", snapshotIds: Array.isArray(ids) ? ids.map((x, i) => long(x, `${w}.snapshot-ids[${i}]`)) : bad(`${w}.snapshot-ids`, ids) };
    }
    case "remove-snapshot-ref": return { action: "remove-snapshot-ref", refName: str(o, "ref-name", w) };
    case "set-location": return { action: "set-location", location: str(o, "location", w) };
    case "set-properties": {
      const u = o["updates"];
      if (u === null || typeof u !== "object" || Array.isArray(u)) return bad(`${w}.updates`, u);
      return { action: "set-properties", updates: Object.fromEntries(Object.entries(u).map(([k, v]) => [k, String(v)])) };
    }
    case "remove-properties": {
      const r = o["removals"];
      return { action: "remove-properties", removals: Array.isArray(r) ? r.map(String) : bad(`${w}.removals`, r) };
    }
    default: return bad("update.action", o["action"]);
  }
}

/** A TableRequirement in its REST JSON form. */
export function tableRequirementToJson(r: TableRequirement): Obj {
  switch (r.type) {
    case "assert-create": return { type: r.type };
    case "assert-table-uuid": return { type: r.type, uuid: r.uuid };
    case "assert-ref-snapshot-id": return { type: r.type, ref: r.ref, "snapshot-id": r.snapshotId };
    case "assert-last-assigned-field-id": return { type: r.type, "last-assigned-field-id": r.lastAssignedFieldId };
    case "assert-current-schema-id": return { type: r.type, "current-schema-id": r.currentSchemaId };
    case "assert-last-assigned-partition-id": return { type: r.type, "last-assigned-partition-id": r.lastAssignedPartitionId };
    case "assert-default-spec-id": return { type: r.type, "default-spec-id": r.defaultSpecId };
    case "assert-default-sort-order-id": return { type: r.type, "default-sort-order-id": r.defaultSortOrderId };
  }
}

/** Reads a TableRequirement from its REST JSON form. */
export function tableRequirementFromJson(json: unknown): TableRequirement {
  if (json === null || typeof json !== "object") return bad("requirement", json);
  const o = json as Obj;
  const w = `requirement ${String(o["type"])}`;
  switch (o["type"]) {
    case "assert-create": return { type: "assert-create" };
    case "assert-table-uuid": return { type: "assert-table-uuid", uuid: str(o, "uuid", w) };
    case "assert-ref-snapshot-id": {
      const id = o["snapshot-id"];
      return { type: "assert-ref-snapshot-id", ref: str(o, "ref", w), snapshotId: id === null || id === undefined ? null : long(id, `${w}.snapshot-id`) };
    }
    case "assert-last-assigned-field-id": return { type: "assert-last-assigned-field-id", lastAssignedFieldId: int(o, "last-assigned-field-id", w) };
    case "assert-current-schema-id": return { type: "assert-current-schema-id", currentSchemaId: int(o, "current-schema-id", w) };
    case "assert-last-assigned-partition-id": return { type: "assert-last-assigned-partition-id", lastAssignedPartitionId: int(o, "last-assigned-partition-id", w) };
    case "assert-default-spec-id": return { type: "assert-default-spec-id", defaultSpecId: int(o, "default-spec-id", w) };
    case "assert-default-sort-order-id": return { type: "assert-default-sort-order-id", defaultSortOrderId: int(o, "default-sort-order-id", w) };
    default: return bad("requirement.type", o["type"]);
  }
}
