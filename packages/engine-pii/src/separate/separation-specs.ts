import { duckDbType, type TableSpec } from "@engine/core";
import { parseType } from "@engine/iceberg";
import { PiiArgumentError } from "../errors.js";
import { quoteIdentifier } from "../internal/sql.js";
import type { KeyMaterial } from "../tokenize/key-provider.js";
import { hmacSqlExpression } from "../tokenize/hmac-sql.js";
import {
  PII_COLUMNS_PROPERTY, PII_KEY_COLUMNS_PROPERTY, PII_SUBJECT_COLUMN_PROPERTY, PII_SUBJECT_MATCH_PROPERTY,
} from "../erase/subject-tables.js";

/** The two specs one separated spec loads as, and the names that join them. */
export interface SeparationSpecs {
  /** The spec's table without its PII columns and subject key: the subject is a token column. */
  readonly main: Record<string, unknown>;
  /** `<table>__pii`: token, subject key and PII columns, one row per subject (merge by token). */
  readonly vault: Record<string, unknown>;
  readonly tokenColumn: string;
  readonly vaultTable: string;
  readonly piiColumns: readonly string[];
}

/**
 * Derives the main and vault specs of a spec with `pii.separate`: the main table keeps every
 * column but the PII-tagged ones and the subject key, which becomes `<subject>_token` (keyed
 * HMAC-SHA256, computed by DuckDB in a transform); the vault `<namespace>.<table>__pii` holds
 * the token, the subject key and the PII columns, merged by token.
 *
 * The transforms embed key-derived HMAC pads: never log or persist the returned specs.
 *
 * ```ts
 * const { main, vault } = separationSpecs(parseSpec(yaml), await envKeyProvider().getKey());
 * ```
 */
export function separationSpecs(spec: TableSpec, key: KeyMaterial): SeparationSpecs {
  const subject = spec.pii?.subject;
  if (subject === undefined) throw new PiiArgumentError(`pii: separate: ${spec.table}: expected pii.subject (the column that identifies the data subject), got none`);
  const subjectColumn = spec.columns.find((c) => c.name === subject);
  if (!subjectColumn) throw new PiiArgumentError(`pii: separate: ${spec.table}: pii.subject: expected a column, got ${JSON.stringify(subject)}`);
  const pii = spec.columns.filter((c) => c.pii !== undefined && c.name !== subject);
  if (pii.length === 0) throw new PiiArgumentError(`pii: separate: ${spec.table}: expected at least one column with a pii tag, got none`);
  const removed = new Set([subject, ...pii.map((c) => c.name)]);
  const tokenColumn = `${subject}_token`;
  const replaced = (cols: readonly string[] | undefined, where: string): string[] | undefined => cols?.map((c) => {
    if (c === subject) return tokenColumn;
    if (removed.has(c)) throw new PiiArgumentError(`pii: separate: ${spec.table}: ${where}: ${c} is a PII column and cannot stay in the main table`);
    return c;
  });
  for (const p of spec.partition) for (const c of removed) if (new RegExp(`\\b${c}\\b`).test(p)) {
    throw new PiiArgumentError(`pii: separate: ${spec.table}: partition ${JSON.stringify(p)} uses PII column ${c}`);
  }

  const from = (name: string): string => spec.columns.find((c) => c.name === name)?.from ?? name;
  const subjectSql = `CAST(CAST(${quoteIdentifier(from(subject))} AS ${duckDbType(parseType(subjectColumn.type))}) AS VARCHAR)`;
  const token = hmacSqlExpression(subjectSql, key);
  const base = spec.transform ? `(${spec.transform.sql})` : "source";
  const transform = { sql: `SELECT *, ${token} AS ${quoteIdentifier(tokenColumn)} FROM ${base} AS __engine_pii_base` };
  const tokenSpec = { name: tokenColumn, type: "string", required: subjectColumn.required };
  const common = {
    source: { format: spec.source.format, ...(spec.source.path !== undefined ? { path: spec.source.path } : {}), options: spec.source.options, ...(spec.source.onError ? { onError: spec.source.onError } : {}) },
    transform,
    engine: spec.engine,
    schemaEvolution: spec.schemaEvolution,
  };
  const column = (c: TableSpec["columns"][number]): Record<string, unknown> => ({
    name: c.name, type: c.type, required: c.required, ...(c.doc !== undefined ? { doc: c.doc } : {}), ...(c.pii ? { pii: c.pii } : {}), ...(c.from !== undefined ? { from: c.from } : {}),
  });
  const orderBy = replaced(spec.dedupe?.orderBy, "dedupe.orderBy");
  const main: Record<string, unknown> = {
    ...common,
    table: spec.table,
    columns: [...spec.columns.filter((c) => !removed.has(c.name)).map(column), tokenSpec],
    ...(spec.key ? { key: replaced(spec.key, "key") } : {}),
    ...(spec.dedupe ? { dedupe: { keep: spec.dedupe.keep, ...(orderBy ? { orderBy } : {}), ...(spec.dedupe.against ? { against: spec.dedupe.against } : {}) } } : {}),
    partition: [...spec.partition],
    write: { mode: spec.write.mode, ...(spec.write.filter ? { filter: spec.write.filter } : {}), ...(spec.write.deleteMarker ? { deleteMarker: spec.write.deleteMarker } : {}) },
    pii: {
      subject: tokenColumn,
      // Retention stays with the main table when its time column does (a PII column moves to the vault).
      ...(spec.pii?.retention && !(spec.pii.retentionColumn !== undefined && removed.has(spec.pii.retentionColumn))
        ? { retention: spec.pii.retention, ...(spec.pii.retentionColumn !== undefined ? { retentionColumn: spec.pii.retentionColumn } : {}) } : {}),
    },
    properties: { ...spec.properties, [PII_SUBJECT_COLUMN_PROPERTY]: tokenColumn, [PII_SUBJECT_MATCH_PROPERTY]: "token" },
  };
  const vaultTable = `${spec.table}__pii`;
  const vaultOrder = (spec.dedupe?.orderBy ?? []).filter((c) => !removed.has(c) && spec.columns.some((x) => x.name === c));
  const vault: Record<string, unknown> = {
    ...common,
    table: vaultTable,
    // The vault keeps one row per subject: the latest by the spec's ordering columns when it has them.
    columns: [{ ...tokenSpec, required: true }, column(subjectColumn), ...pii.map(column), ...vaultOrder.map((c) => column(spec.columns.find((x) => x.name === c)!))],
    key: [tokenColumn],
    dedupe: vaultOrder.length > 0 ? { keep: "latest", orderBy: vaultOrder } : { keep: "exact" },
    write: { mode: "merge" },
    properties: {
      [PII_SUBJECT_COLUMN_PROPERTY]: tokenColumn, [PII_SUBJECT_MATCH_PROPERTY]: "token",
      [PII_KEY_COLUMNS_PROPERTY]: subject,
      [PII_COLUMNS_PROPERTY]: pii.filter((c) => c.type === "string").map((c) => c.name).join(","),
    },
  };
  return { main, vault, tokenColumn, vaultTable, piiColumns: pii.map((c) => c.name) };
}
