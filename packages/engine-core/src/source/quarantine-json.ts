// NDJSON under `quarantine`. DuckDB's JSON reader can skip malformed lines but cannot say which
// ones (and its CSV reader, used line-wise, miscounts lines on mixed line endings), so one
// streaming pass over the bytes sorts lines: valid UTF-8 JSON objects go to a cleaned NDJSON file
// tagged with their file and line, the others to a rejects file. Lines pass through JS as bytes,
// one read buffer at a time; values are cast and checked by DuckDB (TRY_CAST), never in JS.

import { createReadStream } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { QuarantineRead } from "./quarantine.js";
import type { SourceFile } from "./paths.js";

/** The line number field added to each kept line. */
export const LINE_COLUMN = "__engine_line";

const FILE_COLUMN = "__engine_source_file";
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the pre-pass produced: the relation to load, its columns and the quarantine read. */
export interface JsonQuarantineRead {
  readonly sql: string;
  readonly columns: readonly string[];
  readonly quarantine: QuarantineRead;
}

/**
 * Sorts the lines of NDJSON files into kept and rejected, then compiles the read of the kept
 * lines. With `columnTypes`, values are read as text and cast with TRY_CAST: a row with a value
 * that does not cast is rejected too (`column amount: could not convert "abc" to decimal(12,2)`).
 */
export async function prepareJsonQuarantine(
  session: DuckDbSession,
  files: readonly SourceFile[],
  policy: QuarantineRead["policy"],
  columnTypes: Readonly<Record<string, string>> | undefined,
): Promise<JsonQuarantineRead> {
  const dir = await mkdtemp(path.join(tmpdir(), "engine-quarantine-"));
  const kept = path.join(dir, "kept.json");
  const rejected = path.join(dir, "rejected.json");
  const keptOut = await open(kept, "w");
  const rejectedOut = await open(rejected, "w");
  try {
    for (const f of files) await sortLines(f.path, keptOut, rejectedOut);
  } finally {
    await keptOut.close();
    await rejectedOut.close();
  }
  const dispose = async (): Promise<void> => { await rm(dir, { recursive: true, force: true }); };
  const rejectsRead = `SELECT file, line, raw, reason FROM read_json(${quoteString(rejected)}, format = 'newline_delimited', columns = {file: 'VARCHAR', line: 'BIGINT', raw: 'VARCHAR', reason: 'VARCHAR'})`;
  const tag = { [LINE_COLUMN]: "BIGINT", [FILE_COLUMN]: "VARCHAR" };
  let columns: string[];
  let types: Record<string, string>;
  if (columnTypes !== undefined && Object.keys(columnTypes).length > 0) {
    columns = Object.keys(columnTypes);
    types = { ...columnTypes };
  } else {
    // No types to check against (a transform reads the source): let DuckDB detect them.
    const described = await session.query(`DESCRIBE SELECT * FROM read_json(${quoteString(kept)}, format = 'newline_delimited')`).catch(() => undefined);
    columns = (described?.columns[0] ?? []).map(String).filter((c) => c !== LINE_COLUMN && c !== FILE_COLUMN);
    types = Object.fromEntries(columns.map((c, i) => [c, String(described?.columns[1]?.[i] ?? "VARCHAR")]));
  }
  // Every value is read as text (nested values as their JSON text) and cast by DuckDB.
  const read = `read_json(${quoteString(kept)}, format = 'newline_delimited', columns = ${structOf({ ...tag, ...Object.fromEntries(columns.map((c) => [c, "VARCHAR"])) })})`;
  const bad = columns.map((c) => `(${quoteIdent(c)} IS NOT NULL AND TRY_CAST(${quoteIdent(c)} AS ${types[c]}) IS NULL)`);
  const anyBad = bad.length ? bad.join(" OR ") : "false";
  const select = columns.map((c) => `TRY_CAST(${quoteIdent(c)} AS ${types[c]}) AS ${quoteIdent(c)}`);
  const sql = `(SELECT ${[...select, quoteIdent(FILE_COLUMN)].join(", ")} FROM ${read} WHERE NOT (${anyBad}))`;
  const reason = bad.length
    ? `CASE ${columns.map((c, i) => `WHEN ${bad[i]} THEN ${quoteString(`column ${c}: could not convert "`)} || ${quoteIdent(c)} || ${quoteString(`" to ${types[c]!.toLowerCase()}`)}`).join(" ")} END`
    : "NULL";
  const raw = columns.length ? `CAST(to_json(struct_pack(${columns.map((c) => `${quoteIdent(c)} := ${quoteIdent(c)}`).join(", ")})) AS VARCHAR)` : "NULL";
  const castRejects = `SELECT ${quoteIdent(FILE_COLUMN)} AS file, ${quoteIdent(LINE_COLUMN)} AS line, ${raw} AS raw, ${reason} AS reason FROM ${read} WHERE ${anyBad}`;
  return {
    sql,
    columns,
    quarantine: { policy, rejectsSql: `${rejectsRead} UNION ALL ${castRejects}`, dispose },
  };
}

/** Streams one file, writing kept lines (tagged) and rejected lines (with the reason). */
async function sortLines(file: string, kept: FileHandle, rejected: FileHandle): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const fileJson = JSON.stringify(file);
  const handle = (bytes: Buffer, keptOut: string[], rejectedOut: string[]): void => {
    lineNo++;
    const line = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    const reject = (reason: string): void => {
      rejectedOut.push(JSON.stringify({ file, line: lineNo, raw: line.toString("utf8"), reason }));
    };
    let text: string;
    try {
      text = utf8.decode(line);
    } catch {
      return reject("invalid UTF-8");
    }
    const trimmed = text.trim();
    if (trimmed === "") return;
    if (text.includes("\u0000")) return reject("NUL byte in line");
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      return reject(`malformed JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return reject(`expected a JSON object, got ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : typeof parsed}`);
    }
    const body = trimmed.slice(1).trimStart();
    keptOut.push(`{"${LINE_COLUMN}":${lineNo},"${FILE_COLUMN}":${fileJson}${body.startsWith("}") ? "" : ","}${body}`);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const keptOut: string[] = [];
    const rejectedOut: string[] = [];
    let start = 0;
    for (let i = buf.indexOf(0x0a, start); i !== -1; i = buf.indexOf(0x0a, start)) {
      handle(buf.subarray(start, i), keptOut, rejectedOut);
      start = i + 1;
    }
    carry = Buffer.from(buf.subarray(start));
    if (keptOut.length) await kept.write(keptOut.join("\n") + "\n");
    if (rejectedOut.length) await rejected.write(rejectedOut.join("\n") + "\n");
  }
  if (carry.length) {
    const keptOut: string[] = [];
    const rejectedOut: string[] = [];
    handle(carry, keptOut, rejectedOut);
    if (keptOut.length) await kept.write(keptOut.join("\n") + "\n");
    if (rejectedOut.length) await rejected.write(rejectedOut.join("\n") + "\n");
  }
}

function structOf(map: Readonly<Record<string, string>>): string {
  return `{${Object.entries(map).map(([k, t]) => `${quoteString(k)}: ${quoteString(t)}`).join(", ")}}`;
}
