// An Arrow table as the HTML table a notebook shows: escaped text, right-aligned numbers, NULL
// set apart, column types under the names, the first rows and a count of the rest.

import type { Table as ArrowTable } from "apache-arrow";
import { columnTypeName, formatValue, isNumericType } from "./cell-format.js";
import { escapeHtml, formatCount, htmlTable, NULL_HTML, TYPE_STYLE, type HtmlCell } from "./html.js";

/** Options of `arrowTableHtml` and `QueryResult.toHTML`. */
export interface TableHtmlOptions {
  /** Rows shown before "… N more rows" (default 20). */
  readonly maxRows?: number;
  /** Characters of a text value shown before "…" (default 200). */
  readonly maxChars?: number;
  /** Shows the column types under the names (default true). */
  readonly types?: boolean;
}

/** The default number of rows a table shows, as in pandas' `display.max_rows` spirit. */
export const DEFAULT_MAX_ROWS = 20;

/**
 * Renders an Arrow table as an HTML table.
 *
 * ```ts
 * display.html(arrowTableHtml(result.arrow, { maxRows: 10 }));
 * ```
 */
export function arrowTableHtml(table: ArrowTable, options: TableHtmlOptions = {}): string {
  const maxRows = Math.max(0, options.maxRows ?? DEFAULT_MAX_ROWS);
  const maxChars = Math.max(1, options.maxChars ?? 200);
  const fields = table.schema.fields;
  const numeric = fields.map((f) => isNumericType(f.type));
  const header: HtmlCell[] = fields.map((f, i) => ({
    html: escapeHtml(f.name) + (options.types === false ? "" : `<br><span style="${TYPE_STYLE}">${escapeHtml(columnTypeName(f.type))}</span>`),
    numeric: numeric[i]!,
  }));
  const shown = Math.min(table.numRows, maxRows);
  const vectors = fields.map((_, i) => table.getChildAt(i));
  const rows: HtmlCell[][] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(fields.map((f, i) => {
      const text = formatValue(f, vectors[i]?.get(r));
      if (text === undefined) return { html: NULL_HTML, numeric: numeric[i]! };
      const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
      return { html: escapeHtml(cut), numeric: numeric[i]! };
    }));
  }
  const rest = table.numRows - shown;
  return htmlTable({
    header,
    rows,
    ...(rest > 0 ? { more: `… ${formatCount(rest)} more row${rest === 1 ? "" : "s"}` } : {}),
    caption: `${formatCount(table.numRows)} row${table.numRows === 1 ? "" : "s"} × ${fields.length} column${fields.length === 1 ? "" : "s"}`,
  });
}
