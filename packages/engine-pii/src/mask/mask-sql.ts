import { compileMask, DUCKDB_DIALECT } from "../internal/mask-dialect.js";
import type { MaskMode } from "./mask-mode.js";

/**
 * A DuckDB SQL expression that masks a column exactly as `maskValue` does (text result).
 *
 * ```ts
 * `SELECT ${maskSql('"email"', "partial", "email")} AS email FROM customers`
 * ```
 */
export function maskSql(columnSql: string, mode: MaskMode, kind?: string): string {
  return compileMask(DUCKDB_DIALECT, columnSql, mode, kind);
}
