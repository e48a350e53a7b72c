// The audit table: every validation outcome of every load, pass or fail, appended to an Iceberg
// table in the same warehouse through the ordinary load path (in-memory rows → Parquet → append).

import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { runLoad } from "../load/run-load.js";
import { parseSpec } from "../spec/parse-spec.js";
import type { TableSpec } from "../spec/table-spec.js";

/** The name of the audit table. */
export const AUDIT_TABLE = "_engine.validation_results";

/** One row of `_engine.validation_results`. */
export interface ValidationResultRow {
  readonly load_id: string;
  readonly table_name: string;
  /** The snapshot the load committed; null when it committed nothing (failed). */
  readonly snapshot_id: bigint | null;
  readonly phase: string;
  readonly rule: string;
  readonly path: string;
  readonly severity: string;
  readonly passed: boolean;
  readonly observed: string | null;
  readonly message: string;
  /** ISO 8601 */
  readonly run_ts: string;
}

let auditSpec: TableSpec | undefined;

/** The spec of the audit table. */
export function validationResultsSpec(): TableSpec {
  auditSpec ??= parseSpec({
    table: AUDIT_TABLE,
    description: "Outcomes of every validation rule of every load (Engine audit table).",
    columns: [
      { name: "load_id", type: "string", required: true },
      { name: "table_name", type: "string", required: true },
      { name: "snapshot_id", type: "long" },
      { name: "phase", type: "string", required: true },
      { name: "rule", type: "string", required: true },
      { name: "path", type: "string", required: true },
      { name: "severity", type: "string", required: true },
      { name: "passed", type: "boolean", required: true },
      { name: "observed", type: "string" },
      { name: "message", type: "string", required: true },
      { name: "run_ts", type: "timestamptz", required: true },
    ],
    write: { mode: "append" },
  });
  return auditSpec;
}

/**
 * Appends outcome rows to `_engine.validation_results` (created on first use), as one load of
 * in-memory rows: the same Parquet write and Iceberg append every load uses.
 */
export async function appendValidationResults(session: DuckDbSession, catalog: Catalog, warehouse: string, rows: readonly ValidationResultRow[]): Promise<void> {
  if (rows.length === 0) return;
  await runLoad(session, catalog, validationResultsSpec(), { warehouse, data: rows.map((r) => ({ ...r })) });
}
