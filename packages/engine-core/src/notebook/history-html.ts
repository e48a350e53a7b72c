// A table's snapshot history (`engine.history(name)`) as an HTML table, newest first, with the
// counts Iceberg keeps in each snapshot summary.

import { escapeHtml, formatCount, formatTimestampMs, htmlTable, NULL_HTML, type HtmlCell } from "./html.js";

/** What the history renderer reads of one `HistoryEntry`. */
export interface SnapshotLike {
  readonly snapshotId: bigint;
  readonly parentId?: bigint;
  readonly timestampMs: bigint | number;
  readonly operation: string;
  readonly summary: Readonly<Record<string, string>>;
}

/** Whether `value` looks like the answer of `engine.history` (an array of snapshots). */
export function isHistory(value: unknown): value is readonly SnapshotLike[] {
  return Array.isArray(value) && value.length > 0 && value.every((e) =>
    e !== null && typeof e === "object" && typeof (e as SnapshotLike).snapshotId === "bigint" && typeof (e as SnapshotLike).operation === "string");
}

// Spec: snapshot summary keys ("Optional Snapshot Summary Fields").
const SUMMARY_COLUMNS: readonly [string, string][] = [
  ["added-records", "added rows"],
  ["deleted-records", "deleted rows"],
  ["total-records", "total rows"],
  ["added-data-files", "added files"],
  ["total-data-files", "total files"],
];

/**
 * Renders snapshots as an HTML table, newest first.
 *
 * ```ts
 * display(await engine.history("sales.orders"));
 * ```
 */
export function historyHtml(entries: readonly SnapshotLike[]): string {
  const newestFirst = [...entries].sort((a, b) => Number(BigInt(b.timestampMs) - BigInt(a.timestampMs)));
  const header: HtmlCell[] = [
    { html: "snapshot id", numeric: true }, { html: "parent", numeric: true }, { html: "committed at" }, { html: "operation" },
    ...SUMMARY_COLUMNS.map(([, label]) => ({ html: label, numeric: true })),
  ];
  const rows = newestFirst.map((e): HtmlCell[] => [
    { html: escapeHtml(e.snapshotId.toString()), numeric: true },
    { html: e.parentId === undefined ? NULL_HTML : escapeHtml(e.parentId.toString()), numeric: true },
    { html: escapeHtml(formatTimestampMs(e.timestampMs)), style: "white-space:nowrap" },
    { html: escapeHtml(e.operation) },
    ...SUMMARY_COLUMNS.map(([key]) => {
      const v = e.summary[key];
      return { html: v === undefined ? "" : /^\d+$/.test(v) ? formatCount(BigInt(v)) : escapeHtml(v), numeric: true };
    }),
  ]);
  return htmlTable({ header, rows, caption: `${entries.length} snapshot${entries.length === 1 ? "" : "s"}, newest first` });
}

/** The same history as plain text. */
export function historyText(entries: readonly SnapshotLike[]): string {
  return [...entries]
    .sort((a, b) => Number(BigInt(b.timestampMs) - BigInt(a.timestampMs)))
    .map((e) => `${e.snapshotId} ${formatTimestampMs(e.timestampMs)} ${e.operation} total-records=${e.summary["total-records"] ?? "?"}`)
    .join("\n");
}
