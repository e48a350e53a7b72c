// Small HTML building blocks shared by the notebook renderers. Styles are inline attributes, not
// <style> blocks, because static viewers (GitHub, nbviewer, VS Code) strip or scope style sheets.

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Colours of a check's outcome, readable on light and dark notebook themes. */
export const OUTCOME_STYLE = {
  pass: "background:#e6f4ea;color:#137333",
  warn: "background:#fef7e0;color:#8a5300",
  fail: "background:#fce8e6;color:#a50e0e",
} as const;

/** A check's outcome as shown: passed, failed with severity warn, or failed with severity error. */
export type Outcome = keyof typeof OUTCOME_STYLE;

export const NULL_HTML = '<span style="color:#9aa0a6;font-style:italic">NULL</span>';
export const TABLE_STYLE = "border-collapse:collapse;font-variant-numeric:tabular-nums";
export const CAPTION_STYLE = "caption-side:bottom;text-align:left;color:#5f6368;font-size:smaller;padding-top:4px";
export const TYPE_STYLE = "font-weight:normal;color:#5f6368;font-size:smaller";

/** One cell: already-escaped HTML, right-aligned when numeric. */
export interface HtmlCell {
  readonly html: string;
  readonly numeric?: boolean;
  readonly style?: string;
}

/** Options of `htmlTable`. */
export interface HtmlTableOptions {
  /** Header cells (already-escaped HTML). */
  readonly header: readonly HtmlCell[];
  readonly rows: readonly (readonly HtmlCell[])[];
  /** Plain text shown under the table. */
  readonly caption?: string;
  /** A `<tr>` spanning all columns after the rows (plain text), e.g. "… 12 more rows". */
  readonly more?: string;
}

/** Renders a table of already-escaped cells. */
export function htmlTable(options: HtmlTableOptions): string {
  const cell = (tag: "th" | "td", c: HtmlCell): string => {
    const style = [c.numeric ? "text-align:right" : "text-align:left", c.style].filter(Boolean).join(";");
    return `<${tag} style="${style}">${c.html}</${tag}>`;
  };
  const parts = [`<table style="${TABLE_STYLE}">`];
  if (options.caption !== undefined) parts.push(`<caption style="${CAPTION_STYLE}">${escapeHtml(options.caption)}</caption>`);
  parts.push(`<thead><tr>${options.header.map((c) => cell("th", c)).join("")}</tr></thead>`, "<tbody>");
  for (const row of options.rows) parts.push(`<tr>${row.map((c) => cell("td", c)).join("")}</tr>`);
  if (options.more !== undefined) {
    parts.push(`<tr><td colspan="${Math.max(1, options.header.length)}" style="text-align:left;color:#5f6368">${escapeHtml(options.more)}</td></tr>`);
  }
  parts.push("</tbody></table>");
  return parts.join("");
}

/** Formats a count with thousands separators (locale-independent: `12,345`). */
export function formatCount(n: number | bigint): string {
  const s = typeof n === "bigint" ? n.toString() : Number.isInteger(n) ? String(n) : n.toFixed(2);
  const [int, frac] = s.split(".") as [string, string | undefined];
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? `.${frac}` : "");
}

/** Formats milliseconds as `850 ms`, `12.3 s` or `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Formats a byte size as `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Formats epoch milliseconds as `2024-01-02 03:04:05 UTC`. */
export function formatTimestampMs(ms: number | bigint): string {
  return new Date(Number(ms)).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}
