// PostgreSQL sources. DuckDB's postgres extension cannot be installed here, so rows come through
// `pg` + `pg-cursor`: a server-side cursor read `chunkRows` at a time, each chunk written as one
// NDJSON file of text values, then read by DuckDB with the spec's types like any JSON source.
// This is the one place rows pass through JS; only one chunk is ever held in memory.

import { rmSync } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SourceError } from "../errors.js";
import { quoteIdent, quoteString, stringList } from "../internal/sql.js";
import type { SourceSpec } from "../spec/table-spec.js";
import type { SourceFile } from "./paths.js";

// Same name as PROVENANCE_COLUMN in read-sql.ts (not imported: read-sql imports this module).
const PROVENANCE_FILE = "__engine_source_file";

/** Rows per cursor read unless `options.chunkRows` says otherwise. */
export const DEFAULT_CHUNK_ROWS = 50_000;

/** A PostgreSQL source spooled to NDJSON chunk files. */
export interface PostgresSpool {
  readonly files: readonly SourceFile[];
  /** `read_json([...chunks], columns = …)`, usable after FROM. */
  readonly sql: string;
  readonly columns: readonly string[];
  readonly rows: number;
  /** Removes the chunk files. */
  dispose(): Promise<void>;
}

/** DuckDB types for PostgreSQL type OIDs (pg_type.oid); others are read as text. */
const PG_TYPES: Readonly<Record<number, string>> = {
  16: "BOOLEAN", 20: "BIGINT", 21: "SMALLINT", 23: "INTEGER", 700: "FLOAT", 701: "DOUBLE", 1700: "DOUBLE",
  1082: "DATE", 1114: "TIMESTAMP", 1184: "TIMESTAMPTZ", 1083: "TIME", 2950: "UUID", 25: "VARCHAR", 1043: "VARCHAR",
};

const spools = new Set<string>();
process.once("exit", () => { for (const d of spools) rmSync(d, { recursive: true, force: true }); });

/** The connection string: a `postgres://` URL, or the name of an environment variable holding one. */
export function postgresConnection(value: unknown): string {
  if (typeof value !== "string" || value === "") throw new SourceError("source: options.connection: expected a postgres:// URL or the name of an environment variable holding one");
  if (/^postgres(ql)?:\/\//.test(value)) return value;
  const fromEnv = process.env[value];
  if (fromEnv === undefined || fromEnv === "") throw new SourceError(`source: options.connection: environment variable ${value} is not set (expected it to hold a postgres:// URL)`, { context: { env: value } });
  return fromEnv;
}

/** The query a postgres source runs: `options.query`, or every column of `options.table` (`schema.table`). */
export function postgresQuery(options: Readonly<Record<string, unknown>>): string {
  const { query, table } = options;
  if (typeof query === "string" && query.trim() !== "") return query.trim().replace(/;\s*$/, "");
  if (typeof table === "string" && table !== "") return `SELECT * FROM ${table.split(".").map(quoteIdent).join(".")}`;
  throw new SourceError("source: a postgres source needs options.table or options.query");
}

/**
 * Runs the source query through a server-side cursor and writes each chunk to an NDJSON file.
 * Values arrive as PostgreSQL's text (no JS parsing of numbers or dates) and DuckDB casts them:
 * with `columnTypes` to the spec's types, else to types derived from the result's type OIDs.
 */
export async function spoolPostgres(source: SourceSpec, columnTypes?: Readonly<Record<string, string>>): Promise<PostgresSpool> {
  const o = source.options;
  const connectionString = postgresConnection(o["connection"]);
  const query = postgresQuery(o);
  const chunkRows = o["chunkRows"] === undefined ? DEFAULT_CHUNK_ROWS : Number(o["chunkRows"]);
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new SourceError(`source: options.chunkRows: expected a positive integer, got ${JSON.stringify(o["chunkRows"])}`);
  const pg = await importOptional<typeof import("pg")>("pg");
  const Cursor = (await importOptional<{ default: typeof import("pg-cursor") }>("pg-cursor")).default;
  const text = (v: string): string => v;
  const client = new pg.default.Client({ connectionString, types: { getTypeParser: () => text } });
  const dir = await mkdtemp(path.join(tmpdir(), "engine-pg-"));
  spools.add(dir);
  const dispose = async (): Promise<void> => { spools.delete(dir); await rm(dir, { recursive: true, force: true }); };
  const files: SourceFile[] = [];
  let fields: { name: string; dataTypeID: number }[] = [];
  let rows = 0;
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new SourceError(`source: postgres: cannot connect: ${(error as Error).message}`, { cause: error });
    }
    const cursor = client.query(new Cursor(query, [], { rowMode: "array" }));
    for (let n = 0; ; n++) {
      let chunk: unknown[][];
      try {
        chunk = await cursor.read(chunkRows) as unknown[][];
      } catch (error) {
        throw new SourceError(`source: postgres: query failed: ${(error as Error).message}`, { cause: error, context: { query } });
      }
      if (n === 0) fields = ((cursor as unknown as { _result?: { fields?: { name: string; dataTypeID: number }[] } })._result?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
      if (chunk.length === 0) break;
      const names = fields.map((f) => JSON.stringify(f.name));
      const lines = chunk.map((r) => `{${r.map((v, i) => `${names[i]}:${v === null ? "null" : JSON.stringify(v)}`).join(",")}}`);
      const file = path.join(dir, `chunk-${String(n).padStart(6, "0")}.json`);
      const handle = await open(file, "w");
      try { await handle.write(lines.join("\n") + "\n"); } finally { await handle.close(); }
      const s = await stat(file);
      files.push({ path: file, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) });
      rows += chunk.length;
      if (chunk.length < chunkRows) break;
    }
    await cursor.close();
  } catch (error) {
    await dispose();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  const columns = fields.map((f) => f.name);
  const types = Object.fromEntries(fields.map((f) => [f.name, columnTypes?.[f.name] ?? PG_TYPES[f.dataTypeID] ?? "VARCHAR"]));
  const struct = `{${Object.entries(types).map(([k, t]) => `${quoteString(k)}: ${quoteString(t)}`).join(", ")}}`;
  const sql = files.length === 0
    ? `(SELECT ${[...columns.map((c) => `CAST(NULL AS ${types[c]}) AS ${quoteIdent(c)}`), `CAST(NULL AS VARCHAR) AS ${quoteIdent(PROVENANCE_FILE)}`].join(", ")} WHERE false)`
    : `read_json(${stringList(files.map((f) => f.path))}, format = 'newline_delimited', filename = ${quoteString(PROVENANCE_FILE)}, columns = ${struct})`;
  return { files, sql, columns, rows, dispose };
}

async function importOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new SourceError(`source: postgres sources need the npm package ${name} (npm install ${name})`, { cause: error });
  }
}
