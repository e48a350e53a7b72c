import { DataType, type Table as ArrowTable } from "apache-arrow";
import { MIME_BUNDLE, type MimeBundle } from "../notebook/mime-bundle.js";
import { arrowTableHtml, type TableHtmlOptions } from "../notebook/table-html.js";

/**
 * The answer of `engine.query`: an Arrow table plus helpers for plain rows and printing.
 * In `rows()`, 64-bit integers stay bigint, decimals become numbers, dates and timestamps
 * become `Date`s (millisecond precision; the Arrow table keeps microseconds). In a notebook,
 * `display(result)` shows it as an HTML table (`toHTML()`).
 */
export class QueryResult {
  constructor(readonly arrow: ArrowTable) {}

  /** Number of rows. */
  get numRows(): number {
    return this.arrow.numRows;
  }

  /** Column names in order. */
  get columnNames(): string[] {
    return this.arrow.schema.fields.map((f) => f.name);
  }

  /** The Arrow table itself (zero-copy), for Arrow-aware libraries. */
  toArrow(): ArrowTable {
    return this.arrow;
  }

  /** The rows as plain objects. */
  rows(): Record<string, unknown>[] {
    const fields = this.arrow.schema.fields;
    const vectors = fields.map((_, i) => this.arrow.getChildAt(i)!);
    const out: Record<string, unknown>[] = [];
    for (let r = 0; r < this.arrow.numRows; r++) {
      const row: Record<string, unknown> = {};
      fields.forEach((f, i) => { row[f.name] = plain(f.type, vectors[i]!.get(r)); });
      out.push(row);
    }
    return out;
  }

  /** Prints the rows with `console.table`. */
  print(): void {
    console.table(this.rows().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]))));
  }

  /** A short text rendering: a header line and up to 20 rows. */
  toString(): string {
    const names = this.columnNames;
    const rows = this.rows().slice(0, 20).map((r) => names.map((n) => show(r[n])));
    const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
    const more = this.numRows > 20 ? `\n… ${this.numRows - 20} more rows` : "";
    return [line(names), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.map(line)].join("\n") + more + `\n(${this.numRows} row${this.numRows === 1 ? "" : "s"})`;
  }

  /**
   * An HTML table: escaped values, numbers right-aligned, NULL set apart, column types under
   * the names, the first `maxRows` rows (default 20) and a count of the rest.
   */
  toHTML(options: TableHtmlOptions = {}): string {
    return arrowTableHtml(this.arrow, options);
  }

  /** The MIME bundle `display(result)` sends to a notebook: HTML and a text fallback. */
  [MIME_BUNDLE](): MimeBundle {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `QueryResult\n${this.toString()}`;
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  return String(v);
}

function plain(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (DataType.isDecimal(type)) {
    const words = v as Uint32Array;
    let u = 0n;
    for (let w = 3; w >= 0; w--) u = (u << 32n) | BigInt(words[w] ?? 0);
    const signed = BigInt.asIntN(128, u);
    return Number(signed) / 10 ** type.scale;
  }
  if (DataType.isDate(type)) return new Date(Number(v));
  if (DataType.isTimestamp(type)) return new Date(Number(v));
  if (DataType.isList(type)) return [...(v as Iterable<unknown>)].map((x) => plain(type.children[0]!.type, x));
  if (DataType.isStruct(type)) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(type.children.map((c) => [c.name, plain(c.type, o[c.name])]));
  }
  if (DataType.isMap(type)) {
    const entries = type.children[0]!.type.children as { name: string; type: DataType }[];
    return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), plain(entries[1]!.type, x)]));
  }
  return v;
}
