import { open } from "node:fs/promises";
import type { SourceSpec } from "../spec/table-spec.js";
import { SourceError } from "../errors.js";
import type { DuckDbSession } from "../duckdb/session.js";
import { duckDbType } from "../duckdb/types.js";
import { parseSpecType } from "../internal/type-parse.js";
import { literal, quoteString, stringList } from "../internal/sql.js";
import { sourceErrorFrom, type ErrorDialect } from "./errors.js";
import { displayPath, listSourceFiles, resolveSourcePattern, type ResolveOptions, type SourceFile } from "./paths.js";
import { csvQuarantine, csvQuarantineOptions, csvRejectTables, quarantinePolicy, type QuarantineRead } from "./quarantine.js";
import { prepareJsonQuarantine } from "./quarantine-json.js";
import { spoolPostgres } from "./postgres.js";

/** The column DuckDB adds to every source row naming the file it came from. */
export const PROVENANCE_COLUMN = "__engine_source_file";

/** A source ready to read: its files and a DuckDB table-function call that reads them. */
export interface SourceRead {
  readonly format: "csv" | "json" | "parquet";
  readonly files: readonly SourceFile[];
  /** A relation expression (`read_csv([...], …)`) usable after FROM. */
  readonly sql: string;
  /** Column names of the source as read (without the provenance column). */
  readonly columns: readonly string[];
  readonly dialect: ErrorDialect;
  /** Present when the source's `onError` policy is `quarantine`: where rejected rows are listed. */
  readonly quarantine?: QuarantineRead;
  /** Removes temporary files behind the read (postgres chunk files); absent when there are none. */
  readonly dispose?: () => Promise<void>;
}

/** How to open a source. */
export interface OpenSourceOptions extends ResolveOptions {
  /** DuckDB types for source columns by name; other columns are read as VARCHAR (CSV) or left out (JSON). Absent: DuckDB detects types. */
  readonly columnTypes?: Readonly<Record<string, string>>;
}

const CSV_OPTIONS = new Set(["header", "delimiter", "delim", "sep", "quote", "escape", "nullstr", "null", "dateformat", "timestampformat", "skip", "columns", "comment", "encoding", "unionByName", "strict"]);
const JSON_OPTIONS = new Set(["columns", "unionByName", "dateformat", "timestampformat"]);
const PARQUET_OPTIONS = new Set(["unionByName"]);

/**
 * Resolves a source to its files and compiles the DuckDB call that reads them, with the
 * spec's types so nothing is guessed (CSV: `types=`; explicit `options.columns`: `columns=`).
 *
 * ```ts
 * const read = await openSource(db, spec.source, { specFile: spec.file, columnTypes: { id: "BIGINT" } });
 * await db.run(`CREATE TEMP VIEW source AS SELECT * FROM ${read.sql}`);
 * ```
 */
export async function openSource(session: DuckDbSession, source: SourceSpec, options: OpenSourceOptions = {}): Promise<SourceRead> {
  if (source.format === "postgres") {
    const spool = await spoolPostgres(source, options.columnTypes);
    return { format: "json", files: spool.files, sql: spool.sql, columns: spool.columns, dialect: { delimiter: ",", quote: '"' }, dispose: spool.dispose };
  }
  const format = source.format;
  if (format !== "csv" && format !== "json" && format !== "parquet") {
    throw new SourceError(`source: format ${format} is not supported by the local engine (expected csv, json or parquet)`, { context: { format } });
  }
  const allowed = format === "csv" ? CSV_OPTIONS : format === "json" ? JSON_OPTIONS : PARQUET_OPTIONS;
  for (const key of Object.keys(source.options)) {
    if (!allowed.has(key)) throw new SourceError(`source: options.${key}: not an option of ${format} sources (expected one of ${[...allowed].join(", ")})`, { context: { option: key } });
  }
  const pathText = options.override ?? source.path;
  if (pathText === undefined) throw new SourceError(`source: no path given for a ${format} source`);
  const pattern = resolveSourcePattern(pathText, format, options);
  const files = await listSourceFiles(session, pattern, format);
  const list = stringList(files.map((f) => f.path));
  const o = source.options;
  const explicit = explicitColumns(o["columns"]);
  const dialect: ErrorDialect = {
    delimiter: str(o["delimiter"] ?? o["delim"] ?? o["sep"]) ?? ",",
    quote: str(o["quote"]) ?? '"',
  };

  const policy = quarantinePolicy(source.onError);
  if (policy && format === "json") {
    const q = await prepareJsonQuarantine(session, files, policy, options.columnTypes);
    return { format, files, sql: q.sql, columns: q.columns, dialect, quarantine: q.quarantine };
  }
  const rejectTables = policy && format === "csv" ? csvRejectTables() : undefined;
  const quarantine = policy && rejectTables ? { quarantine: csvQuarantine(policy, rejectTables) } : {};
  const common: string[] = [`filename = ${quoteString(PROVENANCE_COLUMN)}`];
  if (o["unionByName"] === true) common.push("union_by_name = true");
  let describeSql: string;
  let build: (columns: readonly string[]) => string;
  if (format === "csv") {
    const csv = [
      `header = ${o["header"] === false ? "false" : "true"}`,
      `delim = ${quoteString(dialect.delimiter)}`,
      `quote = ${quoteString(dialect.quote)}`,
      `escape = ${quoteString(str(o["escape"]) ?? dialect.quote)}`,
      `strict_mode = ${o["strict"] === false ? "false" : "true"}`,
    ];
    const nul = o["nullstr"] ?? o["null"];
    if (nul !== undefined) csv.push(`nullstr = ${Array.isArray(nul) ? stringList(nul.map(String)) : quoteString(String(nul))}`);
    if (o["dateformat"] !== undefined) csv.push(`dateformat = ${quoteString(String(o["dateformat"]))}`);
    if (o["timestampformat"] !== undefined) csv.push(`timestampformat = ${quoteString(String(o["timestampformat"]))}`);
    if (o["skip"] !== undefined) csv.push(`skip = ${literal(Number(o["skip"]))}`);
    if (o["comment"] !== undefined) csv.push(`comment = ${quoteString(String(o["comment"]))}`);
    if (o["encoding"] !== undefined) csv.push(`encoding = ${quoteString(String(o["encoding"]))}`);
    const base = [...csv, ...common, ...(rejectTables ? csvQuarantineOptions(rejectTables) : [])];
    if (explicit) {
      const sql = `read_csv(${list}, ${[...base, `auto_detect = false`, `columns = ${structOf(explicit)}`].join(", ")})`;
      return { format, files, sql, columns: Object.keys(explicit), dialect, ...quarantine };
    }
    describeSql = `read_csv(${list}, ${[...base, "all_varchar = true"].join(", ")})`;
    if (o["header"] !== false && options.columnTypes !== undefined) {
      // Read the header lines ourselves: DuckDB's sniffer can be misled by a malformed row, and
      // naming every column explicitly means nothing is guessed.
      const header = await readCsvHeaders(files.map((f) => f.path), dialect, o["encoding"] === undefined);
      const types = Object.fromEntries(header.map((c) => [c, options.columnTypes![c] ?? "VARCHAR"]));
      const sql = `read_csv(${list}, ${[...base, "auto_detect = false", `columns = ${structOf(types)}`].join(", ")})`;
      return { format, files, sql, columns: header, dialect, ...quarantine };
    }
    build = () => `read_csv(${list}, ${base.join(", ")})`;
  } else if (format === "json") {
    const json = [`format = 'newline_delimited'`, ...common];
    if (o["dateformat"] !== undefined) json.push(`dateformat = ${quoteString(String(o["dateformat"]))}`);
    if (o["timestampformat"] !== undefined) json.push(`timestampformat = ${quoteString(String(o["timestampformat"]))}`);
    if (explicit) {
      const sql = `read_json(${list}, ${[...json, `columns = ${structOf(explicit)}`].join(", ")})`;
      return { format, files, sql, columns: Object.keys(explicit), dialect };
    }
    describeSql = `read_json(${list}, ${json.join(", ")})`;
    build = (columns) => {
      if (options.columnTypes === undefined) return describeSql;
      const present = columns.filter((c) => options.columnTypes![c] !== undefined);
      if (present.length === 0) return describeSql;
      return `read_json(${list}, ${[...json, `columns = ${structOf(Object.fromEntries(present.map((c) => [c, options.columnTypes![c]!])))}`].join(", ")})`;
    };
  } else {
    describeSql = `read_parquet(${list}, ${[...common, "hive_partitioning = false"].join(", ")})`;
    build = () => describeSql;
  }

  let columns: string[];
  try {
    const described = await session.query(`DESCRIBE SELECT * FROM ${describeSql}`);
    columns = (described.columns[0] ?? []).map(String).filter((c) => c !== PROVENANCE_COLUMN);
  } catch (error) {
    throw sourceErrorFrom(error, dialect) ?? error;
  }
  return { format, files, sql: build(columns), columns, dialect, ...quarantine };
}

/** The header of every file (first line, quote-aware); all files must agree. */
async function readCsvHeaders(paths: readonly string[], dialect: ErrorDialect, utf8: boolean): Promise<string[]> {
  let first: string[] | undefined;
  for (const p of paths) {
    const handle = await open(p, "r").catch((error: unknown) => {
      throw new SourceError(`source: ${displayPath(p)}: cannot read the file: ${(error as Error).message}`, { cause: error, context: { file: p, errno: (error as NodeJS.ErrnoException).code } });
    });
    let text: string;
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      text = buf.subarray(0, bytesRead).toString(utf8 ? "utf8" : "latin1");
    } finally {
      await handle.close();
    }
    const line = (text.replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "");
    const names = splitCsvLine(line, dialect);
    if (line.trim() === "") throw new SourceError(`source: ${displayPath(p)}:1: expected a header line, got an empty line`, { context: { file: p, line: 1 } });
    if (line.includes("\u0000")) throw new SourceError(`source: ${displayPath(p)}:1: expected a text header line, got NUL bytes (a binary file?)`, { context: { file: p, line: 1 } });
    if (first === undefined) first = names;
    else if (names.join("\u0000") !== first.join("\u0000")) {
      throw new SourceError(`source: ${displayPath(p)}:1: expected the header ${first.join(dialect.delimiter)} (as in ${displayPath(paths[0]!)}), got ${names.join(dialect.delimiter)}`, { context: { file: p, line: 1 } });
    }
  }
  return first ?? [];
}

function splitCsvLine(line: string, dialect: ErrorDialect): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (dialect.quote !== "" && c === dialect.quote) {
      if (quoted && line[i + 1] === dialect.quote) { cur += c; i++; } else quoted = !quoted;
    } else if (!quoted && line.startsWith(dialect.delimiter, i)) {
      out.push(cur); cur = ""; i += dialect.delimiter.length - 1;
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** `options.columns` as name → DuckDB type; values may be Iceberg type strings or DuckDB type names. */
function explicitColumns(v: unknown): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new SourceError(`source: options.columns: expected a map of column name to type, got ${JSON.stringify(v)}`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, t]) => {
    const text = String(t);
    try {
      return [k, duckDbType(parseSpecType(text))];
    } catch {
      return [k, text.toUpperCase()];
    }
  }));
}

function structOf(map: Readonly<Record<string, string>>): string {
  return `{${Object.entries(map).map(([k, t]) => `${quoteString(k)}: ${quoteString(t)}`).join(", ")}}`;
}

