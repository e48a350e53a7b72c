// Human-readable summaries printed by the CLI commands.

import type { CliLoadResult, CliSnapshot } from "./engine-port.js";
import type { LoadPlanReport } from "../load/dry-run.js";
import type { TableSpec } from "../spec/table-spec.js";

const count = (n: number): string => n.toLocaleString("en-US");

/** Formats a byte count with a binary unit: "1.2 MiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats a duration in milliseconds: "840 ms", "3.2 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The short human summary of a load: status line, row counts, files, warnings. */
export function formatLoadSummary(result: CliLoadResult): string {
  if (result.status === "skipped" && result.snapshotId !== undefined && result.message?.startsWith("load ")) {
    return `skipped ${result.table}: already loaded in snapshot ${result.snapshotId} (use --force to load again)\n`;
  }
  const verb = result.status === "skipped" ? "checked" : "loaded";
  const snapshot = result.snapshotId === undefined ? "no new snapshot" : `snapshot ${result.snapshotId}`;
  const mode = result.mode ? ` (${result.mode})` : "";
  const first = `${verb} ${result.table}${mode}: ${result.status === "skipped" ? "nothing committed" : snapshot} in ${formatDuration(result.durationMs)}`;
  const rows = [`rows read ${count(result.rowsRead)}`, `duplicates dropped ${count(result.duplicatesDropped)}`];
  if (result.rowsRejected) rows.push(`rejected ${count(result.rowsRejected)}`);
  if (result.rowsInserted !== undefined) rows.push(`inserted ${count(result.rowsInserted)}`);
  if (result.rowsUpdated) rows.push(`updated ${count(result.rowsUpdated)}`);
  if (result.rowsDeleted) rows.push(`deleted ${count(result.rowsDeleted)}`);
  if (result.rowsStale) rows.push(`older rows ignored ${count(result.rowsStale)}`);
  if (result.rowsInserted === undefined) rows.push(`written ${count(result.rowsWritten)}`);
  const files = `${count(result.filesWritten)} file${result.filesWritten === 1 ? "" : "s"} written (${formatBytes(result.bytesWritten)})` +
    (result.filesRemoved ? `, ${count(result.filesRemoved)} removed` : "");
  const lines = [first, `  ${rows.join(", ")}; ${files}`];
  const validations = result.validations ?? [];
  if (validations.length > 0) {
    const failed = validations.filter((v) => !v.passed);
    lines.push(`  validations: ${validations.length - failed.length}/${validations.length} passed`);
    for (const v of failed) lines.push(`    ${v.severity === "warn" ? "warn" : "FAIL"} ${v.message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The report of `engine plan`. */
export function formatPlan(report: LoadPlanReport): string {
  const lines = [
    `plan ${report.table}: ${report.mode} on the ${report.engine} engine${report.tableExists ? "" : " (creates the table)"}`,
    `  source: ${count(report.sourceFiles)} file${report.sourceFiles === 1 ? "" : "s"}, ${count(report.rowsRead)} rows, ${count(report.duplicatesDropped)} duplicates dropped`,
  ];
  if (report.alreadyLoaded) lines.push("  already loaded: `engine load` would skip it (use --force)");
  const changes: string[] = [];
  if (report.rowsToInsert !== undefined) changes.push(`insert ${count(report.rowsToInsert)}`);
  if (report.rowsToUpdate) changes.push(`update ${count(report.rowsToUpdate)}`);
  if (report.rowsToDelete) changes.push(`delete ${count(report.rowsToDelete)}`);
  if (report.filesToReplace) changes.push(`replace ${count(report.filesToReplace)} file${report.filesToReplace === 1 ? "" : "s"}`);
  if (changes.length > 0) lines.push(`  would ${changes.join(", ")}`);
  if (report.partitionsTouched.length > 0) {
    const shown = report.partitionsTouched.slice(0, 10).join(", ");
    lines.push(`  partitions (${report.partitionsTouched.length}): ${shown}${report.partitionsTouched.length > 10 ? ", …" : ""}`);
  }
  if (report.columnsToAdd.length > 0) lines.push(`  adds columns: ${report.columnsToAdd.join(", ")}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return `${lines.join("\n")}\n`;
}

/** The one-line summary of a checked spec. */
export function formatSpecSummary(spec: TableSpec, hash: string): string {
  const parts = [`${spec.columns.length} column${spec.columns.length === 1 ? "" : "s"}`];
  if (spec.key) parts.push(`key ${spec.key.join(", ")}`);
  if (spec.partition.length > 0) parts.push(`partition ${spec.partition.join(", ")}`);
  parts.push(`write ${spec.write.mode}`);
  if (spec.validate.length > 0) parts.push(`${spec.validate.length} rule${spec.validate.length === 1 ? "" : "s"}`);
  return `ok: ${spec.table} (${parts.join("; ")}) sha256 ${hash.slice(0, 12)}\n`;
}

/** A table's snapshot history, oldest first, one line per snapshot. */
export function formatHistory(table: string, snapshots: readonly CliSnapshot[]): string {
  if (snapshots.length === 0) return `${table}: no snapshots\n`;
  const rows = snapshots.map((s) => [
    String(s.snapshotId),
    new Date(Number(s.timestampMs)).toISOString(),
    s.operation,
    ["added-records", "deleted-records", "total-records", "added-data-files"]
      .filter((k) => s.summary[k] !== undefined)
      .map((k) => `${k}=${s.summary[k]}`)
      .join(" "),
  ]);
  const header = ["snapshot", "committed at", "operation", "summary"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
