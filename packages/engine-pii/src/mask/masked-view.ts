import type { Engine, TableSpec } from "@engine/core";
import { PiiArgumentError } from "../errors.js";
import type { PiiGrade } from "../classify/pii-kind.js";
import { compileMask, DUCKDB_DIALECT, TRINO_DIALECT } from "../internal/mask-dialect.js";
import { quoteIdentifier, quoteQualifiedName } from "../internal/sql.js";
import type { MaskMode } from "./mask-mode.js";

/** The mask a PII column gets in a masked view when its tag names none: grade 1 hidden, lower grades shown in part. */
export const DEFAULT_MASK_BY_GRADE: Readonly<Record<PiiGrade, MaskMode>> = Object.freeze({ 1: "redact", 2: "partial", 3: "partial" });

/** Options of `maskedViewSql` and `createMaskedView`. */
export interface MaskedViewOptions {
  /** `duckdb` (local, `engine.query`) or `trino` (Athena). */
  readonly dialect: "duckdb" | "trino";
  /** Grades the view's readers are cleared for: their columns are shown unmasked; default none. */
  readonly grades?: readonly PiiGrade[];
  /** `namespace.view`; default `<table>_masked` (`sales.orders` → `sales.orders_masked`). */
  readonly viewName?: string;
}

// Plain `ns.table` where possible: Engine.query and Athena both find tables by that spelling.
const qualified = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(name) ? name : quoteQualifiedName(name));

function viewNameOf(spec: TableSpec, options: MaskedViewOptions): string {
  const name = options.viewName ?? `${spec.table}_masked`;
  if (!/^[^.\s]+(\.[^.\s]+)+$/.test(name)) throw new PiiArgumentError(`pii: masked view: viewName: expected "namespace.view", got ${JSON.stringify(name)}`);
  if (name.toLowerCase() === spec.table.toLowerCase()) throw new PiiArgumentError(`pii: masked view: viewName: expected a name other than the table's, got ${JSON.stringify(name)}`);
  return name;
}

/** The view's SELECT: every column of the spec, PII columns of grades not cleared masked with their `pii.mask` (default by grade). */
function maskedSelect(spec: TableSpec, options: MaskedViewOptions): string {
  if (options.dialect !== "duckdb" && options.dialect !== "trino") {
    throw new PiiArgumentError(`pii: masked view: dialect: expected "duckdb" or "trino", got ${JSON.stringify(options.dialect)}`);
  }
  const dialect = options.dialect === "trino" ? TRINO_DIALECT : DUCKDB_DIALECT;
  const cleared = new Set<number>(options.grades ?? []);
  const columns = spec.columns.map((c) => {
    const name = quoteIdentifier(c.name);
    if (c.pii === undefined || cleared.has(c.pii.grade)) return name;
    return `${compileMask(dialect, name, c.pii.mask ?? DEFAULT_MASK_BY_GRADE[c.pii.grade], c.pii.kind)} AS ${name}`;
  });
  return `SELECT\n  ${columns.join(",\n  ")}\nFROM ${qualified(spec.table)}`;
}

/**
 * The `CREATE OR REPLACE VIEW` statement of a masked view over a spec's table: every column, the
 * PII columns whose grade the readers are not cleared for masked (text) with the column's
 * `pii.mask`, or `DEFAULT_MASK_BY_GRADE`. `trino` gives the statement to run on Athena.
 *
 * ```ts
 * const ddl = maskedViewSql(spec, { dialect: "trino", grades: [3] }); // run with Athena
 * ```
 */
export function maskedViewSql(spec: TableSpec, options: MaskedViewOptions): string {
  return `CREATE OR REPLACE VIEW ${qualified(viewNameOf(spec, options))} AS\n${maskedSelect(spec, options)}`;
}

/**
 * Creates the masked view of `maskedViewSql` in the engine's DuckDB, so that
 * `engine.query("select * from sales.orders_masked")` reads the table's current snapshot masked;
 * returns the view's name.
 *
 * ```ts
 * await createMaskedView(engine, spec);
 * const rows = (await engine.query("select * from sales.orders_masked")).rows();
 * ```
 */
export async function createMaskedView(engine: Engine, spec: TableSpec, options: Omit<MaskedViewOptions, "dialect"> = {}): Promise<string> {
  const name = viewNameOf(spec, { ...options, dialect: "duckdb" });
  await engine.createView(name, maskedSelect(spec, { ...options, dialect: "duckdb" }));
  return name;
}
