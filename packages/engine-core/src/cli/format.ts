// Human-readable summaries printed by the CLI commands.

import type { CliLoadResult, CliSnapshot } from "./engine-port.js";
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

/** The one- or two-line summary of a load. */
export function formatLoadSummary(result: CliLoadResult): string {
  const snapshot = result.snapshotId === undefined ? "no new snapshot" : `snapshot ${result.snapshotId}`;
  const first = `loaded ${result.table}: ${snapshot} in ${formatDuration(result.durationMs)}`;
  const second =
    `  rows read ${count(result.rowsRead)}, written ${count(result.rowsWritten)}, duplicates dropped ${count(result.duplicatesDropped)}; ` +
    `${count(result.filesWritten)} file${result.filesWritten === 1 ? "" : "s"} (${formatBytes(result.bytesWritten)})`;
  return `${first}\n${second}\n`;
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
