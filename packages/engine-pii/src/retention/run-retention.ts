import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { DuckDbSession, duckDbType, loadSpec, parseDuration, parseSpec, schemaMap, type Engine, type TableSpec } from "@engine/core";
import { lt, type NestedField } from "@engine/iceberg";
import { PiiArgumentError } from "../errors.js";
import { expireReferencing } from "../internal/expire-referencing.js";
import { stringList } from "../internal/parquet-sql.js";
import { fileHoldsMatch, localPathOf, rewriteWhere } from "../internal/rewrite-table.js";
import { scrubDeletedEntries } from "../internal/scrub-manifests.js";
import { quoteIdentifier, quoteString } from "../internal/sql.js";
import { walk } from "../internal/verify-files.js";
import type { RetentionOptions, RetentionReport, TableRetention } from "./retention-types.js";

/** Snapshot summary property naming the retention run that committed a snapshot. */
export const RETENTION_RUN_PROPERTY = "engine.pii.retention-run";

const DAY_MS = 86_400_000;
const TIME_TYPES = new Set(["date", "timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns"]);

/** A spec as `runRetention` takes it: a parsed spec, a spec object, or the path of a spec file. */
export type RetentionSpecInput = TableSpec | object | string;

function toSpec(input: RetentionSpecInput): TableSpec {
  return typeof input === "string" ? loadSpec(input, { params: "defer" }) : parseSpec(input);
}

function instant(now: RetentionOptions["now"]): number {
  const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : typeof now === "number" ? now : Date.parse(now);
  if (!Number.isFinite(ms)) throw new PiiArgumentError(`pii: retention: now: expected a time (epoch ms, Date or ISO 8601), got ${JSON.stringify(String(now))}`);
  return ms;
}

/** The retention window of a spec: its column and the rows to delete, as DuckDB SQL and an Iceberg filter. */
function windowOf(spec: TableSpec, field: NestedField, nowMs: number): { match: string; cutoff: string; cutoffValue: Date | number } {
  const retention = spec.pii!.retention!;
  const windowMs = parseDuration(retention);
  if (windowMs === undefined) throw new PiiArgumentError(`pii: retention: ${spec.table}: pii.retention: expected a duration such as "365d", got ${JSON.stringify(retention)}`);
  const typeName = field.type.kind === "primitive" ? field.type.name : field.type.kind;
  if (!TIME_TYPES.has(typeName)) {
    throw new PiiArgumentError(`pii: retention: ${spec.table}: ${field.name}: expected a date or timestamp column, got type ${typeName}`);
  }
  const cutoffMs = nowMs - windowMs;
  const col = quoteIdentifier(field.name);
  if (typeName === "date") {
    // Whole days only: a date is kept until every instant of it is older than the window.
    const day = Math.floor(cutoffMs / DAY_MS);
    const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    return { match: `${col} < DATE ${quoteString(iso)}`, cutoff: iso, cutoffValue: day };
  }
  const iso = new Date(cutoffMs).toISOString();
  // Timestamps without zone hold UTC wall time (the session's zone is UTC).
  const text = typeName.startsWith("timestamptz") ? iso : iso.replace("T", " ").replace("Z", "");
  return { match: `${col} < CAST(${quoteString(text)} AS ${duckDbType(field.type)})`, cutoff: iso, cutoffValue: new Date(cutoffMs) };
}

/**
 * Applies the specs' retention: deletes the rows whose `pii.retentionColumn` (or
 * `pii.retention.column`) is older than now − `pii.retention`, copy-on-write through the same
 * rewrite erasure uses, drops the manifest entries that remembered the old files, expires every
 * snapshot that still references a file holding such rows and deletes those files, then decodes
 * every Parquet file under the table locations to prove none holds an old row. Running it again
 * finishes what a crashed run left.
 *
 * ```ts
 * const report = await runRetention(engine, "specs/sales/orders.yaml");
 * if (report.status !== "purged") throw new Error(JSON.stringify(report.tables));
 * ```
 */
export async function runRetention(engine: Engine, specs: RetentionSpecInput | readonly RetentionSpecInput[], options: RetentionOptions = {}): Promise<RetentionReport> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const nowMs = instant(options.now);
  const list = (Array.isArray(specs) ? specs : [specs]).map(toSpec);
  if (list.length === 0) throw new PiiArgumentError("pii: retention: specs: expected at least one spec, got none");
  for (const spec of list) {
    if (spec.pii?.retention === undefined) throw new PiiArgumentError(`pii: retention: ${spec.table}: expected pii.retention (e.g. "365d"), got none`);
    if (spec.pii.retentionColumn === undefined) {
      throw new PiiArgumentError(`pii: retention: ${spec.table}: expected the column retention counts from (pii.retentionColumn, or retention: { after, column }), got none`);
    }
  }

  const session = await DuckDbSession.create();
  const tables: TableRetention[] = [];
  try {
    for (const spec of list) {
      let table = await engine.openTable(spec.table);
      const field = table.schema().fields.find((f) => f.name === spec.pii!.retentionColumn);
      if (!field) throw new PiiArgumentError(`pii: retention: ${spec.table}: expected a column ${JSON.stringify(spec.pii!.retentionColumn)} in the table, got none`);
      const { match, cutoff, cutoffValue } = windowOf(spec, field, nowMs);
      const runId = createHash("sha256").update(`${spec.table}\n${cutoff}\n${started}`).digest("hex").slice(0, 16);
      const snapshotBefore = table.currentSnapshot()?.snapshotId.toString() ?? null;

      const r = await rewriteWhere({
        session, table, match, matchFields: [field], filter: lt(field.name, cutoffValue),
        tag: { property: RETENTION_RUN_PROPERTY, value: runId }, filePrefix: `retained-${runId}`,
      });
      table = await scrubDeletedEntries(r.table, runId);
      const holds = async (location: string): Promise<boolean> => {
        const file = localPathOf(table, location);
        return file.endsWith(".parquet") && existsSync(file) && (await hasField(session, file, field.id)) && (await fileHoldsMatch(session, file, [field], match));
      };
      const expired = await expireReferencing(table, new Set(r.removedPaths), holds, started);
      table = expired.table;

      // Verify: every Parquet file left under the table location, decoded by field id.
      const findings: { file: string; rows: number }[] = [];
      let decoded = 0;
      for await (const file of walk(localPathOf(table, table.location()))) {
        if (!file.endsWith(".parquet")) continue;
        decoded++;
        if (!(await hasField(session, file, field.id))) continue;
        const c = await session.query(`SELECT count(*) FROM read_parquet(${stringList([file])}, schema = ${schemaMap([field])}) WHERE ${match}`);
        const rows = Number(c.columns[0]?.[0] ?? 0);
        if (rows > 0) findings.push({ file, rows });
      }
      tables.push({
        table: spec.table, column: field.name, retention: spec.pii!.retention!, cutoff, location: table.location(),
        snapshotBefore, snapshotAfter: table.currentSnapshot()?.snapshotId.toString() ?? null,
        rowsDeleted: r.rowsRemoved, filesRewritten: r.filesRewritten, deleteFilesRemoved: r.deleteFilesRemoved,
        snapshotsExpired: expired.expired.map(String), filesRemoved: [...expired.filesRemoved], blockingRefs: [...expired.blockingRefs],
        verification: { outcome: findings.length === 0 ? "clean" : "found", parquetFilesDecoded: decoded, findings },
      });
    }
  } finally {
    session.close();
  }
  const clean = tables.every((t) => t.verification.outcome === "clean" && t.blockingRefs.length === 0);
  return {
    kind: "engine.pii.retention-report",
    version: 1,
    status: clean ? "purged" : "failed",
    now: new Date(nowMs).toISOString(),
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(clock()).toISOString(),
    tables,
  };
}

async function hasField(session: DuckDbSession, file: string, id: number): Promise<boolean> {
  const r = await session.query(`SELECT count(*) FROM parquet_schema(${quoteString(file)}) WHERE field_id = ${id}`);
  return Number(r.columns[0]?.[0] ?? 0) > 0;
}
