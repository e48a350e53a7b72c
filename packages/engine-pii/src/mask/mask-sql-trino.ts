import { compileMask, TRINO_DIALECT } from "../internal/mask-dialect.js";
import type { MaskMode } from "./mask-mode.js";

/**
 * The Athena (Trino) SQL expression of `maskSql`, for masked views on AWS (text result).
 *
 * ```ts
 * `CREATE VIEW masked.customers AS SELECT ${maskSqlTrino('"phone"', "partial", "phone")} AS phone FROM sales.customers`
 * ```
 */
export function maskSqlTrino(columnSql: string, mode: MaskMode, kind?: string): string {
  return compileMask(TRINO_DIALECT, columnSql, mode, kind);
}
