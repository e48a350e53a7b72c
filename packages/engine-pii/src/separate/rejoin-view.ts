import type { TableSpec } from "@engine/core";
import { quoteIdentifier, quoteQualifiedName } from "../internal/sql.js";

// Engine.query finds the tables a statement reads by their plain `ns.table` names.
const tableName = (n: string): string => (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(n) ? n : quoteQualifiedName(n));

/**
 * The SELECT that re-joins a separated table with its vault, giving the spec's original columns
 * back, for authorised use (`engine.query(rejoinSql(spec))`, or the body of a view in a schema
 * only authorised roles can read). Rows whose subject was erased have NULL PII columns.
 *
 * ```ts
 * const rows = (await engine.query(rejoinSql(spec))).rows();
 * ```
 */
export function rejoinSql(spec: TableSpec): string {
  const subject = spec.pii?.subject ?? "";
  const token = quoteIdentifier(`${subject}_token`);
  const vaultColumns = new Set([subject, ...spec.columns.filter((c) => c.pii !== undefined).map((c) => c.name)]);
  const cols = spec.columns.map((c) => `${vaultColumns.has(c.name) ? "v" : "m"}.${quoteIdentifier(c.name)}`);
  return `SELECT ${cols.join(", ")} FROM ${tableName(spec.table)} AS m LEFT JOIN ${tableName(`${spec.table}__pii`)} AS v ON m.${token} = v.${token}`;
}
