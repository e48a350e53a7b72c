import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Table as ArrowTable } from "apache-arrow";
import { SourceError } from "../errors.js";

/** In-memory rows written to a temporary NDJSON file for DuckDB to read. */
export interface StagedMemoryData {
  /** The NDJSON file. */
  readonly file: string;
  readonly rows: number;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/**
 * Stages in-memory data (an array of row objects or an Arrow table) as a temporary NDJSON
 * file. Chosen over the DuckDB appender so that the same typed `read_json(columns=…)` path
 * (and the same casts and error messages) serves files and memory alike. Bigints, decimals
 * and dates are written as strings and cast by DuckDB to the spec's types; memory data is
 * small by nature (it already lives in the JS heap).
 */
export async function stageMemoryData(data: unknown): Promise<StagedMemoryData> {
  let rows: Iterable<Record<string, unknown>>;
  let count: number;
  if (data instanceof ArrowTable) {
    rows = (function* () { for (const r of data) yield (r as { toJSON(): Record<string, unknown> }).toJSON(); })();
    count = data.numRows;
  } else if (Array.isArray(data)) {
    rows = data as Record<string, unknown>[];
    count = data.length;
  } else {
    throw new SourceError("source: data: expected an array of row objects or an Arrow table");
  }
  const dir = await mkdtemp(path.join(tmpdir(), "engine-mem-"));
  const file = path.join(dir, "data.json");
  const lines: string[] = [];
  let i = 0;
  for (const row of rows) {
    if (row === null || typeof row !== "object") throw new SourceError(`source: data[${i}]: expected a row object, got ${JSON.stringify(row)}`);
    lines.push(JSON.stringify(row, replacer));
    i++;
  }
  await writeFile(file, lines.join("\n") + (lines.length ? "\n" : ""));
  return { file, rows: count, dispose: () => rm(dir, { recursive: true, force: true }) };
}

function replacer(_key: string, v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("latin1");
  if (v !== null && typeof v === "object" && "toJSON" in v === false && v.constructor?.name === "Uint32Array") return String(v);
  return v;
}
