// The ingestion metadata CSV: one row per table to load, with its per-table arguments. Adding a
// row adds a table to its DAG; ENABLED=N (or deleting the row) removes it.
//
//   SYSTEM,DB_NAME,TABLE_NAME,SPEC_PATH,ENGINE,WORKER_TYPE,WORKERS,SIZE_HINT,EXECUTION_CLASS,GLUE_VERSION,RETRIES,ENABLED,DEPENDS_ON
//   crm,sales,customers,sales/customers.yaml,glue,,,2GB,,,,Y,
//   erp,sales,orders,sales/orders.yaml,glue,G.2X,10,,FLEX,5.0,3,Y,sales.customers

import { parseCsv } from "../csv/parse-csv.js";
import { CsvError } from "../errors.js";
import { fieldError, optionalInteger, optionalValue, requireColumns, requiredValue } from "../internal/csv-fields.js";
import { parseByteSize } from "@engine/core";
import { GLUE_VERSIONS, SPARK_WORKER_TYPES, type GlueVersion, type SparkWorkerType } from "../glue/glue-settings.js";
import { readText } from "./schedule-row.js";
import type { SourceLocation } from "./source-location.js";

/** Required columns of the ingestion CSV; every other documented column is optional. */
export const INGESTION_COLUMNS = ["SYSTEM", "DB_NAME", "TABLE_NAME"] as const;

/** One ingestion row: per-table arguments that override the spec. */
export interface IngestionRow {
  readonly system: string;
  readonly dbName: string;
  readonly tableName: string;
  /** Spec file for the table, relative to the CSV's folder; otherwise the spec is found by table name. */
  readonly specPath?: string;
  readonly engine?: "auto" | "athena" | "glue";
  readonly workerType?: SparkWorkerType;
  readonly workers?: number;
  /** Expected input size, e.g. "20GB"; picks the Glue capacity when no worker count is given. */
  readonly sizeHint?: string;
  readonly executionClass?: "FLEX" | "STANDARD";
  readonly glueVersion?: GlueVersion;
  readonly retries?: number;
  /** False rows are dropped, as if they were not there. */
  readonly enabled: boolean;
  /** Upstream tables ("ns.table"), `;`- or space-separated in the CSV. */
  readonly dependsOn: readonly string[];
  readonly source?: SourceLocation;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const TRUE = new Set(["Y", "YES", "TRUE", "1"]);
const FALSE = new Set(["N", "NO", "FALSE", "0"]);

/**
 * Parses ingestion CSV text; unknown extra columns are ignored, a duplicate DB_NAME.TABLE_NAME is an error.
 *
 * ```ts
 * const rows = parseIngestionCsv(text, { file: "meta/ingestion.csv" });
 * ```
 */
export function parseIngestionCsv(text: string, options: { file: string }): IngestionRow[] {
  const file = options.file;
  const table = parseCsv(text, { file });
  requireColumns(table, INGESTION_COLUMNS);
  const seen = new Map<string, number>();
  return table.records.map((record) => {
    const system = requiredValue(file, record, "SYSTEM", "a system name");
    const dbName = requiredValue(file, record, "DB_NAME", "a database (namespace) name");
    const tableName = requiredValue(file, record, "TABLE_NAME", "a table name");
    for (const [name, value] of [["DB_NAME", dbName], ["TABLE_NAME", tableName]] as const) {
      if (!NAME.test(value)) throw fieldError(file, record.fields[name]!, name, "an identifier (letters, digits, _)");
    }
    const engine = optionalValue(record, "ENGINE")?.toLowerCase();
    if (engine !== undefined && engine !== "auto" && engine !== "athena" && engine !== "glue") {
      throw fieldError(file, record.fields["ENGINE"]!, "ENGINE", "auto, athena or glue");
    }
    const workerType = optionalValue(record, "WORKER_TYPE");
    if (workerType !== undefined && !(SPARK_WORKER_TYPES as readonly string[]).includes(workerType)) {
      throw fieldError(file, record.fields["WORKER_TYPE"]!, "WORKER_TYPE", `a Spark worker type (${SPARK_WORKER_TYPES.join(", ")})`);
    }
    const workers = optionalInteger(file, record, "WORKERS", 2);
    const sizeHint = optionalValue(record, "SIZE_HINT");
    if (sizeHint !== undefined && parseByteSize(sizeHint) === undefined) throw fieldError(file, record.fields["SIZE_HINT"]!, "SIZE_HINT", 'a byte size like "20GB"');
    const executionClass = optionalValue(record, "EXECUTION_CLASS")?.toUpperCase();
    if (executionClass !== undefined && executionClass !== "FLEX" && executionClass !== "STANDARD") {
      throw fieldError(file, record.fields["EXECUTION_CLASS"]!, "EXECUTION_CLASS", "FLEX or STANDARD");
    }
    const glueVersion = optionalValue(record, "GLUE_VERSION");
    if (glueVersion !== undefined && !(GLUE_VERSIONS as readonly string[]).includes(glueVersion)) {
      throw fieldError(file, record.fields["GLUE_VERSION"]!, "GLUE_VERSION", GLUE_VERSIONS.join(" or "));
    }
    const retries = optionalInteger(file, record, "RETRIES", 0);
    const enabledText = optionalValue(record, "ENABLED")?.toUpperCase();
    if (enabledText !== undefined && !TRUE.has(enabledText) && !FALSE.has(enabledText)) throw fieldError(file, record.fields["ENABLED"]!, "ENABLED", "Y or N");
    const dependsOn = (optionalValue(record, "DEPENDS_ON") ?? "").split(/[;\s]+/).filter((t) => t !== "");
    for (const upstream of dependsOn) {
      if (!TABLE.test(upstream)) throw fieldError(file, record.fields["DEPENDS_ON"]!, "DEPENDS_ON", '";"-separated table names like sales.customers');
    }
    const specPath = optionalValue(record, "SPEC_PATH");
    const key = `${dbName}.${tableName}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new CsvError(`gen: ${file}:${record.line}:1: expected one row per DB_NAME.TABLE_NAME, got ${key} again (first on line ${previous})`, {
        context: { file, line: record.line, column: 1 },
      });
    }
    seen.set(key, record.line);
    return {
      system,
      dbName,
      tableName,
      ...(specPath === undefined ? {} : { specPath }),
      ...(engine === undefined ? {} : { engine: engine as IngestionRow["engine"] & string }),
      ...(workerType === undefined ? {} : { workerType: workerType as SparkWorkerType }),
      ...(workers === undefined ? {} : { workers }),
      ...(sizeHint === undefined ? {} : { sizeHint }),
      ...(executionClass === undefined ? {} : { executionClass: executionClass as "FLEX" | "STANDARD" }),
      ...(glueVersion === undefined ? {} : { glueVersion: glueVersion as GlueVersion }),
      ...(retries === undefined ? {} : { retries }),
      enabled: enabledText === undefined || TRUE.has(enabledText),
      dependsOn,
      source: { file, line: record.line },
    };
  });
}

/** Reads and parses an ingestion CSV file. */
export function readIngestionCsv(path: string, options: { label?: string } = {}): IngestionRow[] {
  return parseIngestionCsv(readText(path), { file: options.label ?? path });
}
