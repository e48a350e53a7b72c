// The table spec in its checked, normalized form. `parseSpec` (spec/parse.ts) produces it from
// YAML or a plain object; everything downstream (load planner, PII, Airflow/Glue codegen) reads
// only this shape.

/** PII tag on a column: grade 1 is the most sensitive. */
export interface ColumnPii {
  readonly grade: 1 | 2 | 3;
  readonly kind: string;
  /** Masking applied in masked views for lower grades. */
  readonly mask?: "hash" | "mask" | "redact" | "partial";
}

/** One column of the target table. */
export interface ColumnSpec {
  readonly name: string;
  /** An Iceberg type string: "long", "decimal(12,2)", "timestamptz", "list<string>", … */
  readonly type: string;
  readonly required: boolean;
  readonly doc?: string;
  readonly pii?: ColumnPii;
  /** Source column (or SQL expression) to read this column from; defaults to the same name. */
  readonly from?: string;
}

/**
 * What a load does with malformed input rows (wrong field count, broken quoting, invalid UTF-8,
 * malformed JSON, values that do not cast): `fail` (the default) stops the load naming file and
 * line; `quarantine` writes them to `<warehouse>/_engine/rejects/<table>/<load-id>.ndjson` and
 * loads the rest, unless more than `maxRows` rows or `maxPercent` % of the rows were rejected.
 */
export type BadInputPolicy =
  | { readonly action: "fail" }
  | { readonly action: "quarantine"; readonly maxRows?: number; readonly maxPercent?: number };

/** Where the rows come from. */
export interface SourceSpec {
  readonly format: "csv" | "json" | "parquet" | "postgres" | "memory";
  /** A path or glob, local or s3://; may contain `{param}` placeholders. */
  readonly path?: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The bad-input policy; absent means `fail`. */
  readonly onError?: BadInputPolicy;
}

/** Where failure reports of a table's loads are sent. */
export interface AlertsSpec {
  /** An http(s) URL that receives the failure report as a JSON POST. */
  readonly webhook?: string;
  /** How long to wait for the webhook (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** How duplicates are removed before writing. */
export interface DedupeSpec {
  /** `exact` drops identical rows; `latest`/`first` keep one row per key by `orderBy`. */
  readonly keep: "exact" | "latest" | "first";
  readonly orderBy?: readonly string[];
  /** `table`: insert only rows whose key is not yet in the table (anti-join with its live keys). */
  readonly against?: "table";
}

/** The write mode of a load. */
export type WriteMode = "append" | "overwrite" | "replace-partitions" | "merge";

/** One comparison of a write filter: a value (equality) or operators; strings may hold `{param}`s. */
export type WriteFilterValue =
  | string | number | boolean
  | { readonly eq?: string | number | boolean; readonly gt?: string | number; readonly gte?: string | number; readonly lt?: string | number; readonly lte?: string | number; readonly in?: readonly (string | number | boolean)[] };

/** The rows a load replaces (overwrite, replace-partitions): column → condition, all conditions must hold. */
export type WriteFilter = Readonly<Record<string, WriteFilterValue>>;

/** Rows of a merge whose `column` (source or table column, compared as text) equals `value` delete the matched row. */
export interface DeleteMarkerSpec {
  readonly column: string;
  readonly value: string | number | boolean;
}

/** How the load writes into the table. */
export interface WriteSpec {
  readonly mode: WriteMode;
  /** overwrite / replace-partitions: replace only the rows matching this filter (params substituted). */
  readonly filter?: WriteFilter;
  /** merge: rows marked this way delete the matched row instead of updating it. */
  readonly deleteMarker?: DeleteMarkerSpec;
  /** Target data file size in bytes (default 256 MiB). */
  readonly targetFileSizeBytes?: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** One validation rule as written in the spec (rule name → arguments), plus phase and severity. */
export interface ValidationRuleSpec {
  readonly rule: string;
  readonly args: unknown;
  readonly phase?: "pre" | "post";
  readonly severity: "error" | "warn";
  /** Where in the spec this rule was written, e.g. `validate[2]`. */
  readonly path: string;
}

/** Table-level PII handling. */
export interface PiiSpec {
  readonly subject?: string;
  readonly separate: boolean;
  /** How long rows are kept, e.g. "365d" (spec: `retention: 365d` or `retention: { after: 365d, column: order_ts }`). */
  readonly retention?: string;
  /** The date/timestamp column retention counts from: rows whose value is older than now − retention are deleted. */
  readonly retentionColumn?: string;
}

/** Schedule metadata for generated DAGs. */
export interface ScheduleSpec {
  readonly group: string;
  readonly cron: string;
  readonly start: string;
  readonly system?: string;
  readonly dependsOn?: readonly string[];
  readonly retries?: number;
}

/**
 * Glue job settings of the table's load (engine glue). Precedence when jobs are generated: an
 * ingestion CSV row > this section > defaults (the older `engine.glue.*` table properties are
 * still read when the section leaves a setting out).
 */
export interface GlueJobSpec {
  readonly workerType?: "G.1X" | "G.2X" | "G.4X" | "G.8X" | "G.12X" | "G.16X" | "R.1X" | "R.2X" | "R.4X" | "R.8X";
  /** Number of workers (>= 2); wins over `sizeHint`. */
  readonly workers?: number;
  /** Expected input size of one load ("20GB"): picks the capacity when `workers` is absent. */
  readonly sizeHint?: string;
  readonly executionClass?: "FLEX" | "STANDARD";
  readonly glueVersion?: "4.0" | "5.0";
}

/** A SQL transform over the staged source (`source` is the staged relation's name). */
export interface TransformSpec {
  readonly sql: string;
  /** The `.sql` file it came from, when it was given as a file. */
  readonly file?: string;
}

/** A checked table spec. */
export interface TableSpec {
  /** `namespace.table` (one or more namespace levels). */
  readonly table: string;
  readonly namespace: readonly string[];
  readonly name: string;
  readonly description?: string;
  readonly source: SourceSpec;
  readonly columns: readonly ColumnSpec[];
  readonly key?: readonly string[];
  readonly dedupe?: DedupeSpec;
  /** Partition expressions: "order_ts", "day(order_ts)", "bucket(16, id)", "truncate(4, name)". */
  readonly partition: readonly string[];
  readonly write: WriteSpec;
  readonly validate: readonly ValidationRuleSpec[];
  readonly transform?: TransformSpec;
  readonly pii?: PiiSpec;
  readonly schedule?: ScheduleSpec;
  readonly engine: "auto" | "local" | "athena" | "glue";
  /** Glue job settings (used by generated Glue jobs). */
  readonly glue?: GlueJobSpec;
  /** Failure alerts of this table's loads. */
  readonly alerts?: AlertsSpec;
  /**
   * What happens when the spec has a column the existing table lacks: `evolve` adds it as an
   * optional column (schema update before the load), `fail` (default) stops the load naming it.
   */
  readonly schemaEvolution: "evolve" | "fail";
  /** Table properties written into Iceberg metadata. */
  readonly properties: Readonly<Record<string, string>>;
  /** The spec file it was read from, when it came from a file (relative paths resolve against its folder). */
  readonly file?: string;
}
