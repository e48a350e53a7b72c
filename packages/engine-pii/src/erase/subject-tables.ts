import type { Engine, TableSpec } from "@engine/core";
import type { SubjectTable } from "./erasure-types.js";

/** Table property: the column that identifies the data subject (written by `separationSpecs`; add it to any spec's `properties`). */
export const PII_SUBJECT_COLUMN_PROPERTY = "engine.pii.subject-column";
/** Table property: `value` (the column holds the subject key) or `token` (its HMAC token). */
export const PII_SUBJECT_MATCH_PROPERTY = "engine.pii.subject-match";
/** Table property: comma-separated PII columns checked by value after an erasure. */
export const PII_COLUMNS_PROPERTY = "engine.pii.columns";
/** Table property: comma-separated columns that hold the subject key beside a token column. */
export const PII_KEY_COLUMNS_PROPERTY = "engine.pii.key-columns";

const list = (v: string | undefined): string[] => (v ?? "").split(",").filter((c) => c !== "");

/** The erasure target a spec describes (`pii.subject` set), with its string PII columns; undefined otherwise. */
export function subjectTableOfSpec(spec: TableSpec): SubjectTable | undefined {
  const props = spec.properties;
  const column = props[PII_SUBJECT_COLUMN_PROPERTY] ?? spec.pii?.subject;
  if (column === undefined) return undefined;
  const piiColumns = props[PII_COLUMNS_PROPERTY] !== undefined
    ? list(props[PII_COLUMNS_PROPERTY])
    : spec.columns.filter((c) => c.pii !== undefined && c.type === "string").map((c) => c.name);
  return {
    table: spec.table, column, match: props[PII_SUBJECT_MATCH_PROPERTY] === "token" ? "token" : "value", piiColumns,
    keyColumns: list(props[PII_KEY_COLUMNS_PROPERTY]),
  };
}

/** Options of `subjectTables`. */
export interface SubjectTablesOptions {
  /** Specs whose `pii.subject` names the subject column of their table. */
  readonly specs?: readonly TableSpec[];
  /** A column name that identifies the subject in any table that has it (e.g. `customer_id`). */
  readonly column?: string;
}

/**
 * Every catalog table that can hold a data subject: tables with the `engine.pii.subject-column`
 * property, tables of specs with `pii.subject`, and tables with a column named `options.column`.
 *
 * ```ts
 * const tables = await subjectTables(engine, { column: "customer_id" });
 * ```
 */
export async function subjectTables(engine: Engine, options: SubjectTablesOptions = {}): Promise<SubjectTable[]> {
  const bySpec = new Map<string, SubjectTable>();
  for (const s of options.specs ?? []) {
    const t = subjectTableOfSpec(s);
    if (t) bySpec.set(s.table.toLowerCase(), t);
  }
  const out: SubjectTable[] = [];
  for (const ns of await engine.catalog.listNamespaces()) {
    for (const id of await engine.catalog.listTables(ns)) {
      const name = [...id.namespace, id.name].join(".");
      const table = await engine.catalog.loadTable(id);
      const props = table.properties();
      const column = props[PII_SUBJECT_COLUMN_PROPERTY];
      if (column !== undefined) {
        out.push({
          table: name, column, match: props[PII_SUBJECT_MATCH_PROPERTY] === "token" ? "token" : "value",
          piiColumns: list(props[PII_COLUMNS_PROPERTY]), keyColumns: list(props[PII_KEY_COLUMNS_PROPERTY]),
        });
      } else if (bySpec.has(name.toLowerCase())) {
        out.push(bySpec.get(name.toLowerCase())!);
      } else if (options.column !== undefined && table.schema().fields.some((f) => f.name === options.column)) {
        out.push({ table: name, column: options.column, match: "value" });
      }
    }
  }
  return out;
}
