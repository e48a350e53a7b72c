// The quarantine side of the bad-input policy: which reader options make DuckDB skip and record
// malformed rows, and the one SQL relation that lists every rejected row of a load as
// (file, line, raw, reason). CSV uses DuckDB's own rejects tables; NDJSON uses the line pre-pass
// of quarantine-json.ts plus TRY_CAST checks.

import { randomUUID } from "node:crypto";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { BadInputPolicy } from "../spec/table-spec.js";

/** A source read under `quarantine`: where its rejected rows can be listed. */
export interface QuarantineRead {
  readonly policy: Extract<BadInputPolicy, { action: "quarantine" }>;
  /**
   * A query listing rejected rows once each, as (file VARCHAR, line BIGINT, raw VARCHAR,
   * reason VARCHAR); valid after the source has been scanned.
   */
  readonly rejectsSql: string;
  /** Drops the temporary tables and files behind `rejectsSql`. */
  dispose(session: DuckDbSession): Promise<void>;
}

/** Names of the DuckDB rejects tables of one CSV read. */
export interface CsvRejectTables {
  readonly errors: string;
  readonly scans: string;
}

/** Fresh, unique names for one CSV read's rejects tables. */
export function csvRejectTables(): CsvRejectTables {
  const id = randomUUID().replaceAll("-", "").slice(0, 12);
  return { errors: `__engine_rejects_${id}`, scans: `__engine_reject_scans_${id}` };
}

/** `read_csv` options that skip malformed rows and store them in the given tables. */
export function csvQuarantineOptions(tables: CsvRejectTables): string[] {
  return ["ignore_errors = true", "store_rejects = true", `rejects_table = ${quoteString(tables.errors)}`, `rejects_scan = ${quoteString(tables.scans)}`];
}

/**
 * Rejected CSV rows from DuckDB's rejects tables, one per (file, line) even when the source
 * was scanned twice, with DuckDB's error turned into our wording.
 */
export function csvRejectsSql(tables: CsvRejectTables): string {
  const reason = `CASE e.error_type
      WHEN 'MISSING COLUMNS' THEN 'expected ' || regexp_extract(e.error_message, 'Columns: (\\d+)', 1) || ' fields, got ' || regexp_extract(e.error_message, 'Found: (\\d+)', 1)
      WHEN 'TOO MANY COLUMNS' THEN 'expected ' || regexp_extract(e.error_message, 'Columns: (\\d+)', 1) || ' fields, got ' || regexp_extract(e.error_message, 'Found: (\\d+)', 1)
      WHEN 'CAST' THEN 'column ' || coalesce(e.column_name, '?') || ': could not convert "' || regexp_extract(e.error_message, 'string "(.*)" to', 1) || '" to ' || lower(regexp_extract(e.error_message, 'to ''([^'']*)''', 1))
      WHEN 'UNQUOTED VALUE' THEN 'unterminated quoted value'
      WHEN 'INVALID ENCODING' THEN 'invalid UTF-8'
      WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line longer than the reader''s maximum line size'
      ELSE lower(CAST(e.error_type AS VARCHAR)) || ': ' || e.error_message END`;
  return `SELECT file, line, raw, reason FROM (
    SELECT s.file_path AS file, CAST(e.line AS BIGINT) AS line, e.csv_line AS raw, ${reason} AS reason,
      row_number() OVER (PARTITION BY s.file_path, e.line ORDER BY e.scan_id, e.column_idx) AS k
    FROM ${quoteIdent(tables.errors)} AS e JOIN ${quoteIdent(tables.scans)} AS s ON s.scan_id = e.scan_id AND s.file_id = e.file_id
  ) WHERE k = 1`;
}

/** The quarantine read of a CSV source. */
export function csvQuarantine(policy: QuarantineRead["policy"], tables: CsvRejectTables): QuarantineRead {
  return {
    policy,
    rejectsSql: csvRejectsSql(tables),
    async dispose(session) {
      await session.run(`DROP TABLE IF EXISTS ${quoteIdent(tables.errors)}; DROP TABLE IF EXISTS ${quoteIdent(tables.scans)}`).catch(() => undefined);
    },
  };
}

/** The quarantine policy of a source, or undefined when bad input fails the load. */
export function quarantinePolicy(policy: BadInputPolicy | undefined): QuarantineRead["policy"] | undefined {
  return policy?.action === "quarantine" ? policy : undefined;
}
