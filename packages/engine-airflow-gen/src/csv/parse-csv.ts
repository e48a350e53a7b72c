// A small RFC 4180 reader: comma-separated, `"`-quoted fields with `""` escapes and line breaks
// inside quotes, CRLF or LF record ends. Every field keeps its 1-based line and column so that
// metadata errors can point at file:line:column.

import { CsvError } from "../errors.js";

/** One field of a CSV record with where it starts in the file. */
export interface CsvField {
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/** One data record: its fields by (trimmed, upper-cased) header name, and where it starts. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: Readonly<Record<string, CsvField>>;
}

/** A parsed CSV file: the normalized header names and the data records (blank lines skipped). */
export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly records: readonly CsvRecord[];
}

/**
 * Parses CSV text (RFC 4180) whose first record is a header; header names are trimmed and
 * upper-cased, field values are kept as written.
 *
 * ```ts
 * const table = parseCsv('SYSTEM,DB_NAME\ncrm,sales\n', { file: "schedule.csv" });
 * table.records[0].fields.DB_NAME.value; // "sales"
 * ```
 */
export function parseCsv(text: string, options: { file: string }): CsvTable {
  const file = options.file;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows = body.trim() === "" ? [] : tokenize(body, file);
  const headerRow = rows[0];
  if (headerRow === undefined) throw new CsvError(`gen: ${file}:1:1: expected a header row, got an empty file`, { context: { file } });
  const header = headerRow.map((field) => field.value.trim().toUpperCase());
  header.forEach((name, index) => {
    const field = headerRow[index]!;
    if (name === "") throw new CsvError(`gen: ${file}:${field.line}:${field.column}: expected a column name, got an empty header cell`, { context: { file, line: field.line, column: field.column } });
    const first = header.indexOf(name);
    if (first !== index) {
      throw new CsvError(`gen: ${file}:${field.line}:${field.column}: expected unique column names, got ${name} twice`, { context: { file, line: field.line, column: field.column } });
    }
  });
  const records: CsvRecord[] = [];
  for (const row of rows.slice(1)) {
    if (row.length === 1 && row[0]!.value.trim() === "") continue;
    const start = row[0]!;
    if (row.length !== header.length) {
      const at = row[Math.min(row.length, header.length) - 1] ?? start;
      throw new CsvError(`gen: ${file}:${start.line}:${at.column}: expected ${header.length} fields (${header.join(",")}), got ${row.length}`, {
        context: { file, line: start.line, column: at.column },
      });
    }
    const fields: Record<string, CsvField> = {};
    header.forEach((name, index) => (fields[name] = row[index]!));
    records.push({ line: start.line, fields });
  }
  return { file, header, records };
}

function tokenize(text: string, file: string): CsvField[][] {
  const rows: CsvField[][] = [];
  let row: CsvField[] = [];
  let line = 1;
  let column = 1;
  let i = 0;
  const n = text.length;
  // Each iteration reads one field starting at text[i].
  for (;;) {
    const fieldLine = line;
    const fieldColumn = column;
    let value = "";
    if (text[i] === '"') {
      i++;
      column++;
      for (;;) {
        if (i >= n) {
          throw new CsvError(`gen: ${file}:${fieldLine}:${fieldColumn}: expected a closing quote for this field, got the end of the file`, {
            context: { file, line: fieldLine, column: fieldColumn },
          });
        }
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            column += 2;
            continue;
          }
          i++;
          column++;
          break;
        }
        value += c;
        i++;
        if (c === "\n") {
          line++;
          column = 1;
        } else column++;
      }
      const next = text[i];
      if (i < n && next !== "," && next !== "\n" && next !== "\r") {
        throw new CsvError(`gen: ${file}:${line}:${column}: expected a comma or a line end after a quoted field, got ${JSON.stringify(next)}`, {
          context: { file, line, column },
        });
      }
    } else {
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
        if (text[i] === '"') {
          throw new CsvError(`gen: ${file}:${line}:${column}: expected quotes only around a whole field, got a quote inside an unquoted field`, {
            context: { file, line, column },
          });
        }
        value += text[i];
        i++;
        column++;
      }
    }
    row.push({ value, line: fieldLine, column: fieldColumn });
    if (i >= n) {
      rows.push(row);
      break;
    }
    const c = text[i]!;
    if (c === ",") {
      i++;
      column++;
      continue;
    }
    // A record ends: \r\n, \n or a lone \r.
    i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    line++;
    column = 1;
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
}
