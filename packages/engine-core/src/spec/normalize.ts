// Turns a raw spec that passed the schema and semantic checks into the normalized `TableSpec`:
// defaults filled in, shorthands expanded (`key: id` → `["id"]`), type strings and partition
// expressions in canonical form, sizes in bytes, and `{param}` placeholders substituted.

import { parseByteSize } from "./byte-size.js";
import { formatIcebergType, parseIcebergType } from "./iceberg-type.js";
import { formatPartitionField, parsePartitionField } from "./partition-field.js";
import { substituteParams } from "./source-params.js";
import type {
  BadInputPolicy,
  ColumnPii,
  ColumnSpec,
  DedupeSpec,
  PiiSpec,
  ScheduleSpec,
  SourceSpec,
  TableSpec,
  TransformSpec,
  ValidationRuleSpec,
  WriteSpec,
} from "./table-spec.js";

/** What normalization needs beside the raw spec. */
export interface NormalizeOptions {
  /** Values for `{param}` placeholders; "defer" leaves every placeholder in place. */
  readonly params?: Readonly<Record<string, string>> | "defer";
  /** Absolute path of the spec file, when there is one. */
  readonly file?: string;
  /** The transform, already resolved (file read) by the caller. */
  readonly transform?: TransformSpec;
}

type Obj = Record<string, unknown>;

/** Normalizes a checked raw spec; call only after the schema and semantic checks found no issue. */
export function normalizeSpec(raw: Obj, options: NormalizeOptions = {}): TableSpec {
  const table = raw["table"] as string;
  const parts = table.split(".");
  const spec: TableSpec = {
    table,
    namespace: parts.slice(0, -1),
    name: parts[parts.length - 1]!,
    ...optional("description", raw["description"] as string | undefined),
    source: normalizeSource(raw["source"] as Obj | undefined, options.params ?? {}),
    columns: (raw["columns"] as Obj[]).map(normalizeColumn),
    ...optional("key", raw["key"] === undefined ? undefined : list(raw["key"])),
    ...optional("dedupe", raw["dedupe"] === undefined ? undefined : normalizeDedupe(raw["dedupe"] as Obj)),
    partition: ((raw["partition"] ?? []) as string[]).map((expression) => {
      const parsed = parsePartitionField(expression);
      return parsed.ok ? formatPartitionField(parsed.field) : expression;
    }),
    write: normalizeWrite((raw["write"] ?? {}) as Obj, options.params ?? {}),
    validate: ((raw["validate"] ?? []) as Obj[]).map(normalizeRule),
    ...optional("transform", options.transform),
    ...optional("pii", raw["pii"] === undefined ? undefined : normalizePii(raw["pii"] as Obj)),
    ...optional("schedule", raw["schedule"] === undefined ? undefined : normalizeSchedule(raw["schedule"] as Obj)),
    engine: (raw["engine"] ?? "auto") as TableSpec["engine"],
    ...optional("glue", raw["glue"] === undefined ? undefined : { ...(raw["glue"] as Obj) } as TableSpec["glue"]),
    ...optional("alerts", raw["alerts"] === undefined ? undefined : { ...(raw["alerts"] as Obj) } as TableSpec["alerts"]),
    schemaEvolution: (raw["schemaEvolution"] ?? "fail") as TableSpec["schemaEvolution"],
    properties: Object.fromEntries(Object.entries((raw["properties"] ?? {}) as Obj).map(([k, v]) => [k, String(v)])),
    ...optional("file", options.file),
  };
  return deepFreeze(spec);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function list(value: unknown): string[] {
  return typeof value === "string" ? [value] : [...(value as string[])];
}

function fillParams(text: string, params: Readonly<Record<string, string>> | "defer"): string {
  return params === "defer" ? text : substituteParams(text, params).text;
}

function normalizeSource(source: Obj | undefined, params: Readonly<Record<string, string>> | "defer"): SourceSpec {
  if (source === undefined) return { format: "memory", options: {} };
  const path = source["path"];
  return {
    format: source["format"] as SourceSpec["format"],
    ...optional("path", typeof path === "string" ? fillParams(path, params) : undefined),
    options: { ...((source["options"] ?? {}) as Obj) },
    ...optional("onError", normalizeOnError(source["onError"])),
  };
}

function normalizeOnError(value: unknown): BadInputPolicy | undefined {
  if (value === undefined) return undefined;
  if (value === "fail") return { action: "fail" };
  if (value === "quarantine") return { action: "quarantine" };
  const q = (value as Obj)["quarantine"] as Obj;
  return { action: "quarantine", ...optional("maxRows", q["maxRows"] as number | undefined), ...optional("maxPercent", q["maxPercent"] as number | undefined) };
}

function normalizeColumn(column: Obj): ColumnSpec {
  const parsed = parseIcebergType(column["type"] as string);
  const pii = column["pii"] as Obj | undefined;
  return {
    name: column["name"] as string,
    type: parsed.ok ? formatIcebergType(parsed.type) : (column["type"] as string),
    required: column["required"] === true,
    ...optional("doc", column["doc"] as string | undefined),
    ...optional(
      "pii",
      pii === undefined ? undefined : ({ grade: pii["grade"], kind: pii["kind"], ...optional("mask", pii["mask"]) } as ColumnPii),
    ),
    ...optional("from", column["from"] as string | undefined),
  };
}

function normalizeDedupe(dedupe: Obj): DedupeSpec {
  return {
    keep: dedupe["keep"] as DedupeSpec["keep"],
    ...optional("orderBy", dedupe["orderBy"] === undefined ? undefined : list(dedupe["orderBy"])),
    ...optional("against", dedupe["against"] as DedupeSpec["against"]),
  };
}

function normalizeWrite(write: Obj, params: Readonly<Record<string, string>> | "defer"): WriteSpec {
  const size = write["targetFileSize"] as string | number | undefined;
  const extra: Obj = { ...((write["options"] ?? {}) as Obj) };
  if (write["compression"] !== undefined) extra["compression"] = write["compression"];
  if (write["rowGroupSize"] !== undefined) extra["rowGroupSize"] = write["rowGroupSize"];
  if (write["sortBy"] !== undefined) extra["sortBy"] = list(write["sortBy"]);
  const fill = (v: unknown): unknown => (typeof v === "string" ? fillParams(v, params) : Array.isArray(v) ? v.map(fill) : v);
  const filter = write["filter"] as Obj | undefined;
  const marker = write["deleteMarker"] as Obj | undefined;
  return {
    mode: (write["mode"] ?? "append") as WriteSpec["mode"],
    ...optional("filter", filter === undefined ? undefined : Object.fromEntries(Object.entries(filter).map(([column, value]) => [
      column,
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Obj).map(([op, v]) => [op, fill(v)]))
        : fill(value),
    ])) as WriteSpec["filter"]),
    ...optional("deleteMarker", marker === undefined ? undefined : { column: marker["column"] as string, value: marker["value"] as string | number | boolean }),
    ...optional("targetFileSizeBytes", size === undefined ? undefined : parseByteSize(size)),
    options: extra,
  };
}

const RULE_KEYS = new Set(["severity", "phase", "expect"]);

function normalizeRule(rule: Obj, index: number): ValidationRuleSpec {
  const name = Object.keys(rule).find((key) => !RULE_KEYS.has(key))!;
  const value = rule[name];
  let args: unknown = value;
  if (name === "unique") {
    args = (value as unknown[]).map((item) => (typeof item === "string" ? [item] : [...(item as string[])]));
  } else if (name === "sql") {
    args = { sql: value, expect: rule["expect"] ?? "empty" };
  } else if (name === "referential") {
    const ref = value as Obj;
    args = { column: ref["column"], table: ref["table"], refColumn: ref["refColumn"] ?? ref["column"] };
  }
  return {
    rule: name,
    args,
    ...optional("phase", rule["phase"] as ValidationRuleSpec["phase"]),
    severity: (rule["severity"] ?? "error") as ValidationRuleSpec["severity"],
    path: `validate[${index}]`,
  };
}

function normalizePii(pii: Obj): PiiSpec {
  const retention = pii["retention"];
  const given = retention !== null && typeof retention === "object" ? (retention as Obj) : undefined;
  return {
    ...optional("subject", pii["subject"] as string | undefined),
    separate: pii["separate"] === true,
    // `retention: { after, column }` and `retention` + `retentionColumn` normalize to the same two fields.
    ...optional("retention", given ? (given["after"] as string) : (retention as string | undefined)),
    ...optional("retentionColumn", given ? (given["column"] as string) : (pii["retentionColumn"] as string | undefined)),
  };
}

function normalizeSchedule(schedule: Obj): ScheduleSpec {
  return {
    group: schedule["group"] as string,
    cron: (schedule["cron"] as string).trim(),
    start: schedule["start"] as string,
    ...optional("system", schedule["system"] as string | undefined),
    ...optional("dependsOn", schedule["dependsOn"] === undefined ? undefined : [...(schedule["dependsOn"] as string[])]),
    ...optional("retries", schedule["retries"] as number | undefined),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
