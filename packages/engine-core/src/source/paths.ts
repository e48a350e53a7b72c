import { stat } from "node:fs/promises";
import path from "node:path";
import { SourceError } from "../errors.js";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteString } from "../internal/sql.js";

/** A source file as read by a load, with the facts that go into its load id. */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Where relative source paths resolve and which placeholders fill `{param}`. */
export interface ResolveOptions {
  /** Replaces the spec's `source.path` (CLI `--source`). */
  readonly override?: string;
  /** Values for `{name}` placeholders in the path. */
  readonly params?: Readonly<Record<string, string>>;
  /** The spec file; relative paths resolve against its folder (else against `cwd`). */
  readonly specFile?: string;
  readonly cwd?: string;
}

const EXTENSIONS: Record<string, string> = { csv: "csv", json: "json", parquet: "parquet" };

/** Fills `{param}` placeholders and resolves a source path to an absolute path or glob. */
export function resolveSourcePattern(pathText: string, format: string, options: ResolveOptions = {}): string {
  const filled = pathText.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const v = options.params?.[name];
    if (v === undefined) throw new SourceError(`source: path ${pathText}: no value for parameter {${name}}`, { context: { path: pathText, param: name } });
    return v;
  });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) && !filled.startsWith("file://")) {
    throw new SourceError(`source: ${filled}: only local paths can be read by the local engine so far`, { context: { path: filled } });
  }
  const local = filled.startsWith("file://") ? filled.slice("file://".length) : filled;
  const base = options.override !== undefined || options.specFile === undefined
    ? (options.cwd ?? process.cwd())
    : path.dirname(path.resolve(options.cwd ?? process.cwd(), options.specFile));
  void format;
  return path.resolve(base, local);
}

/**
 * Expands an absolute pattern (file, glob or folder) to the files it names, through DuckDB's
 * own `glob()` so that what we fingerprint is exactly what DuckDB reads.
 */
export async function listSourceFiles(session: DuckDbSession, pattern: string, format: string): Promise<SourceFile[]> {
  let glob = pattern;
  const info = await stat(pattern).catch(() => undefined);
  if (info?.isDirectory()) glob = path.join(pattern, "**", `*.${EXTENSIONS[format] ?? "*"}`);
  const rows = await session.query(`SELECT file FROM glob(${quoteString(glob)}) ORDER BY file`);
  const names = (rows.columns[0] ?? []).map(String);
  if (names.length === 0) {
    throw new SourceError(`source: no files match ${displayPath(glob)}`, { context: { pattern: glob } });
  }
  return Promise.all(names.map(async (p) => {
    const s = await stat(p);
    return { path: p, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
  }));
}

/** A path as shown in messages: relative to the working folder when inside it. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
