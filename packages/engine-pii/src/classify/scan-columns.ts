import type { ColumnSuggestion, ScanOptions } from "./column-suggestion.js";
import { scanColumn } from "./scan-column.js";

/**
 * Runs `scanColumn` on every column of a record (column name → values) and returns the
 * suggestions, in the record's column order; columns with nothing to suggest are left out.
 */
export function scanColumns(
  columns: Readonly<Record<string, Iterable<string | null | undefined>>>,
  options: ScanOptions = {},
): ColumnSuggestion[] {
  const out: ColumnSuggestion[] = [];
  for (const [name, values] of Object.entries(columns)) {
    const s = scanColumn(name, values, options);
    if (s !== undefined) out.push(s);
  }
  return out;
}
