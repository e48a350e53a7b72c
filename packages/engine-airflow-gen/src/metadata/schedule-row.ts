// The schedule metadata CSV teams already keep: one row per (SYSTEM, DB_NAME) naming the DAG
// (schedule group) its tables run in, its start date and its cron.
//
//   SYSTEM,DB_NAME,SCHEDULE_GROUP,DAG_START_DATE,DAG_SCHEDULE[,RETRIES]
//   crm,sales,sales_daily,202401010000,0 17 * * *

import { readFileSync } from "node:fs";
import { parseCsv } from "../csv/parse-csv.js";
import { CsvError } from "../errors.js";
import { isCron, normalizeCron } from "../internal/cron.js";
import { fieldError, optionalInteger, requireColumns, requiredValue } from "../internal/csv-fields.js";
import { formatStartDate, parseStartDate } from "../internal/start-date.js";
import type { SourceLocation } from "./source-location.js";

/** Required columns of the schedule CSV, in documentation order. */
export const SCHEDULE_COLUMNS = ["SYSTEM", "DB_NAME", "SCHEDULE_GROUP", "DAG_START_DATE", "DAG_SCHEDULE"] as const;

/** One schedule row: the tables of (system, dbName) run in DAG `group` from `start` on `cron`. */
export interface ScheduleRow {
  readonly system: string;
  /** The table namespace (Glue database), e.g. "sales". */
  readonly dbName: string;
  readonly group: string;
  /** UTC start, "YYYY-MM-DDTHH:MM" (CSV files write yyyymmddHHMM). */
  readonly start: string;
  readonly cron: string;
  readonly retries?: number;
  readonly source?: SourceLocation;
}

const GROUP = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Parses schedule CSV text; unknown extra columns are ignored, a duplicate (SYSTEM, DB_NAME) is an error.
 *
 * ```ts
 * const rows = parseScheduleCsv(text, { file: "meta/schedule.csv" });
 * ```
 */
export function parseScheduleCsv(text: string, options: { file: string }): ScheduleRow[] {
  const file = options.file;
  const table = parseCsv(text, { file });
  requireColumns(table, SCHEDULE_COLUMNS);
  const seen = new Map<string, number>();
  return table.records.map((record) => {
    const system = requiredValue(file, record, "SYSTEM", "a system name");
    const dbName = requiredValue(file, record, "DB_NAME", "a database (namespace) name");
    const group = requiredValue(file, record, "SCHEDULE_GROUP", "a schedule group name");
    if (!GROUP.test(group)) throw fieldError(file, record.fields["SCHEDULE_GROUP"]!, "SCHEDULE_GROUP", "letters, digits, _ . - (a DAG id)");
    const startText = requiredValue(file, record, "DAG_START_DATE", "a start date as yyyymmddHHMM");
    const start = parseStartDate(startText);
    if (start === undefined || !/^\d{12}$/.test(startText)) throw fieldError(file, record.fields["DAG_START_DATE"]!, "DAG_START_DATE", "a real date as yyyymmddHHMM like 202401010000");
    const cron = requiredValue(file, record, "DAG_SCHEDULE", "a cron expression");
    if (!isCron(cron)) throw fieldError(file, record.fields["DAG_SCHEDULE"]!, "DAG_SCHEDULE", 'a five-field cron like "0 17 * * *" or a preset like @daily');
    const retries = optionalInteger(file, record, "RETRIES", 0);
    const key = `${system}\u0000${dbName}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new CsvError(`gen: ${file}:${record.line}:1: expected one row per SYSTEM, DB_NAME, got ${system}, ${dbName} again (first on line ${previous})`, {
        context: { file, line: record.line, column: 1 },
      });
    }
    seen.set(key, record.line);
    return {
      system,
      dbName,
      group,
      start: formatStartDate(start),
      cron: normalizeCron(cron),
      ...(retries === undefined ? {} : { retries }),
      source: { file, line: record.line },
    };
  });
}

/** Reads and parses a schedule CSV file. */
export function readScheduleCsv(path: string, options: { label?: string } = {}): ScheduleRow[] {
  return parseScheduleCsv(readText(path), { file: options.label ?? path });
}

/** Reads a metadata file, failing with a `CsvError` that names it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CsvError(`gen: ${path}: expected a readable CSV file, got ${code}`, { context: { file: path }, cause: error });
  }
}
