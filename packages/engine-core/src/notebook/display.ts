// `display(x)`: the richest MIME bundle for a value, sent to the notebook. tslab prints a cell's
// last value with console.log (util.inspect), honouring no rich-display protocol, and its public
// `display.html()` sends one MIME type per output. So we find the running tslab kernel's own
// display-data writer (the one its public `display` calls) and send a whole bundle — HTML plus a
// text/plain fallback, as IPython does. Outside a kernel the text form goes to stdout.

import { createRequire } from "node:module";
import path from "node:path";
import { inspect } from "node:util";
import { escapeHtml, htmlTable, NULL_HTML, type HtmlCell } from "./html.js";
import { historyHtml, historyText, isHistory } from "./history-html.js";
import { isLoadReport, loadReportHtml, loadReportText } from "./load-report-html.js";
import { hasMimeBundle, MIME_BUNDLE, type MimeBundle } from "./mime-bundle.js";
import { arrowTableHtml, DEFAULT_MAX_ROWS } from "./table-html.js";
import type { Table as ArrowTable } from "apache-arrow";

/**
 * The MIME bundle for a value: its own (`value[MIME_BUNDLE]()`), else one chosen by shape —
 * a load's run report, a table's history, an Arrow table, an array of row objects — else text.
 */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (hasMimeBundle(value)) return value[MIME_BUNDLE]();
  if (isLoadReport(value)) return { "text/html": loadReportHtml(value), "text/plain": loadReportText(value) };
  if (isHistory(value)) return { "text/html": historyHtml(value), "text/plain": historyText(value) };
  if (isArrowTable(value)) return { "text/html": arrowTableHtml(value), "text/plain": value.toString() };
  if (isRowArray(value)) return { "text/html": rowsHtml(value), "text/plain": inspect(value, { depth: 2 }) };
  if (isDanfoFrame(value)) return { "text/html": danfoHtml(value), "text/plain": String(value) };
  return { "text/plain": typeof value === "string" ? value : inspect(value, { depth: 4 }) };
}

/** The tslab kernel's writer of `display_data` messages, when this process is a tslab kernel. */
type DisplayWriter = (content: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void;

function tslabWriter(): DisplayWriter | undefined {
  // tslab is CommonJS: its modules sit in the shared require cache under …/tslab/dist/.
  const cache = createRequire(import.meta.url).cache;
  const suffix = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;
  for (const [file, mod] of Object.entries(cache)) {
    if (!file.endsWith(suffix)) continue;
    const writer = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof writer === "function") return writer as DisplayWriter;
  }
  return undefined;
}

/**
 * Shows a value in the notebook as rich output (HTML table, run report, SVG chart), or prints
 * its text form when not running in a tslab kernel.
 *
 * ```ts
 * display(await engine.query("select * from sales.orders limit 10"));
 * display(await engine.load("specs/sales/orders.yaml"));
 * ```
 */
export function display(...values: unknown[]): void {
  const write = tslabWriter();
  for (const value of values) {
    const bundle = mimeBundleOf(value);
    if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
    else console.log(bundle["text/plain"]);
  }
}

/** Whether this process is a tslab kernel (so `display` sends rich output). */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

function isArrowTable(value: unknown): value is ArrowTable {
  return value !== null && typeof value === "object" && "schema" in value && "numRows" in value && typeof (value as ArrowTable).getChildAt === "function";
}

function isRowArray(value: unknown): value is readonly Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((r) => r !== null && typeof r === "object" && !Array.isArray(r) && Object.getPrototypeOf(r) === Object.prototype);
}

/** A danfojs DataFrame (duck-typed: danfojs is optional and never imported here). */
interface DanfoFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
  readonly shape: readonly number[];
  readonly index: readonly unknown[];
}

function isDanfoFrame(value: unknown): value is DanfoFrameLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as Partial<DanfoFrameLike> & { $isSeries?: unknown };
  return v.$isSeries === false && Array.isArray(v.columns) && Array.isArray(v.values) && Array.isArray(v.shape) && Array.isArray(v.index);
}

function danfoHtml(df: DanfoFrameLike): string {
  const rows = df.values.map((row, r) => Object.fromEntries([["", df.index[r]], ...df.columns.map((c, i) => [c, row[i]])]));
  return rowsHtml(rows);
}

/** Row objects (e.g. `result.rows()`) as an HTML table; columns are the union of their keys. */
export function rowsHtml(rows: readonly Record<string, unknown>[], options: { readonly maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): HtmlCell => {
    if (v === null || v === undefined) return { html: NULL_HTML };
    if (typeof v === "number" || typeof v === "bigint") return { html: escapeHtml(String(v)), numeric: true };
    if (v instanceof Date) return { html: escapeHtml(v.toISOString()) };
    if (typeof v === "object") return { html: escapeHtml(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))) };
    return { html: escapeHtml(String(v)) };
  };
  const shown = rows.slice(0, maxRows);
  const rest = rows.length - shown.length;
  return htmlTable({
    header: columns.map((c) => ({ html: escapeHtml(c), numeric: shown.some((r) => typeof r[c] === "number" || typeof r[c] === "bigint") })),
    rows: shown.map((r) => columns.map((c) => {
      const x = cell(r[c]);
      return { ...x, numeric: typeof r[c] === "number" || typeof r[c] === "bigint" || (r[c] == null && shown.some((o) => typeof o[c] === "number" || typeof o[c] === "bigint")) };
    })),
    ...(rest > 0 ? { more: `… ${rest} more rows` } : {}),
    caption: `${rows.length} row${rows.length === 1 ? "" : "s"}`,
  });
}
