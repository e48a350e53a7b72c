import { SourceError } from "../errors.js";
import { displayPath } from "./paths.js";

/** What the reader needs to explain an error: the delimiter and quote used. */
export interface ErrorDialect {
  readonly delimiter: string;
  readonly quote: string;
}

/**
 * Rephrases a DuckDB reader error as a `SourceError` naming file and line, e.g.
 * `source: data/orders/b.csv:17: expected 7 fields, got 9`. Returns undefined when the error
 * is not a reader error.
 */
export function sourceErrorFrom(error: unknown, dialect: ErrorDialect = { delimiter: ",", quote: '"' }): SourceError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  if (csvLine) {
    const line = Number(csvLine[1]);
    const file = /\n\s*file = (.*)\n/.exec(message)?.[1]?.trim() ?? "<unknown file>";
    const original = /Original Line: ([^\n]*)/.exec(message)?.[1];
    const where = `${displayPath(file)}:${line}`;
    const context = { file, line, originalLine: original };
    const expected = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
    if (expected) {
      const got = original === undefined ? Number(expected[2]) : countFields(original, dialect);
      return new SourceError(`source: ${where}: expected ${expected[1]} fields, got ${got}`, { context, cause: error });
    }
    if (/unterminated quote/i.test(message)) {
      return new SourceError(`source: ${where}: unterminated quoted value`, { context, cause: error });
    }
    const conv = /Error when converting column "((?:[^"]|"")*)"\. (Could not convert string "(.*?)" to '([^']*)')?/.exec(message);
    if (conv) {
      const detail = conv[3] !== undefined ? `could not convert "${conv[3]}" to ${conv[4]!.toLowerCase()}` : "value could not be converted";
      return new SourceError(`source: ${where}: column ${conv[1]}: ${detail}`, { context: { ...context, column: conv[1] }, cause: error });
    }
    const firstLine = message.split("\n").find((l) => l.trim() !== "" && !l.includes("CSV Error on Line") && !l.startsWith("Original Line")) ?? message;
    return new SourceError(`source: ${where}: ${firstLine.trim()}`, { context, cause: error });
  }
  const state = /The CSV Parser state machine reached an invalid state[\s\S]*?\n\s*file = (.*)\n/.exec(message);
  if (state) {
    const file = state[1]!.trim();
    return new SourceError(`source: ${displayPath(file)}: not RFC 4180 CSV (mixed line endings or misplaced quotes); fix the file or set options.strict: false to read it leniently`, { context: { file }, cause: error });
  }
  const json = /(?:Malformed JSON|JSON transform error) in file "(.*?)", (?:at byte \d+ )?in (?:line|record\/value) (\d+): ([^\n]*)/.exec(message);
  if (json) {
    const what = /Malformed JSON/.test(message) ? `malformed JSON: ${json[3]!.trim()}` : json[3]!.trim();
    return new SourceError(`source: ${displayPath(json[1]!)}:${json[2]}: ${what}`, { context: { file: json[1], line: Number(json[2]) }, cause: error });
  }
  const unreadable = /Cannot open file "(.*?)": ([^\n]*)/.exec(message);
  if (unreadable) return new SourceError(`source: ${displayPath(unreadable[1]!)}: cannot read the file: ${unreadable[2]!.trim()}`, { context: { file: unreadable[1] }, cause: error });
  const missing = /No files found that match the pattern "(.*?)"/.exec(message);
  if (missing) return new SourceError(`source: no files match ${displayPath(missing[1]!)}`, { context: { pattern: missing[1] }, cause: error });
  const parquet = /(?:Invalid Input Error|IO Error): (.*?(?:parquet|Parquet).*)/.exec(message);
  if (parquet) return new SourceError(`source: ${parquet[1]!.trim()}`, { cause: error });
  return undefined;
}

/** Counts delimited fields in one raw line, honouring quotes. */
export function countFields(line: string, dialect: ErrorDialect): number {
  let fields = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (dialect.quote !== "" && c === dialect.quote) quoted = !quoted;
    else if (!quoted && line.startsWith(dialect.delimiter, i)) { fields++; i += dialect.delimiter.length - 1; }
  }
  return fields;
}
