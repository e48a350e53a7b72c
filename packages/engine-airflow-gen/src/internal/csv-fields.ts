// Reading typed values out of CSV records with errors that point at file:line:column.

import type { CsvField, CsvRecord, CsvTable } from "../csv/parse-csv.js";
import { CsvError } from "../errors.js";

/** Throws unless every required column is in the header. */
export function requireColumns(table: CsvTable, required: readonly string[]): void {
  const missing = required.filter((name) => !table.header.includes(name));
  if (missing.length > 0) {
    throw new CsvError(`gen: ${table.file}:1:1: expected columns ${required.join(", ")}, got ${table.header.join(", ") || "none"} (missing ${missing.join(", ")})`, {
      context: { file: table.file, line: 1, column: 1, missing },
    });
  }
}

/** The CsvError for one field. */
export function fieldError(file: string, field: CsvField, name: string, expected: string): CsvError {
  return new CsvError(`gen: ${file}:${field.line}:${field.column}: ${name}: expected ${expected}, got ${JSON.stringify(field.value)}`, {
    context: { file, line: field.line, column: field.column, column_name: name },
  });
}

/** The trimmed value of a column, or undefined when the column is absent or the cell blank. */
export function optionalValue(record: CsvRecord, name: string): string | undefined {
  const value = record.fields[name]?.value.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** The trimmed, non-blank value of a required column. */
export function requiredValue(file: string, record: CsvRecord, name: string, expected: string): string {
  const value = optionalValue(record, name);
  if (value === undefined) throw fieldError(file, record.fields[name]!, name, expected);
  return value;
}

/** A non-negative integer cell, or undefined when blank. */
export function optionalInteger(file: string, record: CsvRecord, name: string, min: number): number | undefined {
  const value = optionalValue(record, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw fieldError(file, record.fields[name]!, name, `an integer >= ${min}`);
  return Number(value);
}
