// Optional DataFrame adapter for danfojs (its pure-JS build; danfojs-node downloads binaries at
// install time). danfojs is never a dependency of ours: it is imported on first use, from this
// package or else from the folder the process runs in (a notebook's own install).

import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DataType, type Table as ArrowTable } from "apache-arrow";
import { EngineError } from "../errors.js";
import { decimalText, formatValue } from "./cell-format.js";

/** The part of a danfojs DataFrame this adapter promises; the rest of its API is there too. */
export interface DanfoDataFrame {
  readonly shape: readonly number[];
  readonly columns: string[];
  head(rows?: number): DanfoDataFrame;
  print(): void;
  // danfojs ships its own types; we do not depend on them.
  readonly [member: string]: any;
}

/** Options of `toDanfo`. */
export interface ToDanfoOptions {
  /** A folder to resolve `danfojs` from instead (default: this package, else the working directory). */
  readonly resolveFrom?: string;
}

/**
 * Converts a query result (or an Arrow table) to a danfojs DataFrame. 64-bit integers become
 * numbers when exact (else text), decimals numbers, dates and timestamps ISO text.
 * Needs the optional package `danfojs` (`npm install danfojs`).
 *
 * ```ts
 * const df = await toDanfo(await engine.query("select * from sales.orders"));
 * df.describe().print();
 * ```
 */
export async function toDanfo(data: { readonly arrow: ArrowTable } | ArrowTable, options: ToDanfoOptions = {}): Promise<DanfoDataFrame> {
  const danfo = await loadDanfo(options.resolveFrom);
  const table = "arrow" in data ? data.arrow : data;
  const columns: Record<string, unknown[]> = {};
  table.schema.fields.forEach((field, i) => {
    const vector = table.getChildAt(i);
    const values: unknown[] = new Array(table.numRows);
    for (let r = 0; r < table.numRows; r++) values[r] = danfoValue(field, vector?.get(r));
    columns[field.name] = values;
  });
  return new danfo.DataFrame(columns) as DanfoDataFrame;
}

function danfoValue(field: Parameters<typeof formatValue>[0], v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const type = field.type;
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (DataType.isDecimal(type)) return Number(decimalText(v as Uint32Array, type.scale));
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return DataType.isDate(type) || DataType.isTimestamp(type) ? formatValue(field, v) : v;
  return formatValue(field, v);
}

type DanfoModule = { DataFrame: new (data: unknown) => unknown };

async function loadDanfo(resolveFrom: string | undefined): Promise<DanfoModule> {
  const pick = (m: unknown): DanfoModule => {
    const mod = m as Partial<DanfoModule> & { default?: Partial<DanfoModule> };
    return (mod.DataFrame ? mod : mod.default) as DanfoModule;
  };
  const name = "danfojs";
  if (resolveFrom === undefined) {
    try {
      return pick(await import(name));
    } catch (first) {
      if (!isNotFound(first)) throw first;
    }
  }
  {
    const from = path.resolve(resolveFrom ?? process.cwd());
    try {
      const resolved = createRequire(path.join(from, "noop.js")).resolve(name);
      return pick(await import(pathToFileURL(resolved).href));
    } catch (second) {
      if (!isNotFound(second)) throw second;
      throw new EngineError("MISSING_DEPENDENCY", `notebook: toDanfo: expected the optional package danfojs to be installed, got none; install danfojs with \`npm install danfojs\``, {
        context: { package: name, resolveFrom: from }, cause: second,
      });
    }
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || /Cannot find (module|package)/.test(String((e as Error | null)?.message));
}
