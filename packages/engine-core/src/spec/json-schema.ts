// The JSON Schema of a table spec as users write it (YAML or JSON). It is checked with Ajv in
// `parseSpec` and written to `schema/table-spec.schema.json` for editors. Descriptions double as
// the "expected …" phrase of error messages, so they are written as noun phrases. Sub-schemas
// are inlined rather than `$ref`-ed so that every Ajv error's schema path names its alternative.
// Checks that JSON Schema cannot express (column references, type strings, partition transforms)
// live in semantic-check.ts.

import { BYTE_SIZE_PATTERN } from "./byte-size.js";
import { DURATION_PATTERN } from "./duration.js";

/** An identifier as specs use it for column and namespace names. */
export const IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";
/** A table name: two or more identifiers joined by dots. */
export const TABLE_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$";

/** The validation rule names a spec may use, in the order they are documented. */
export const VALIDATION_RULE_NAMES = [
  "columns",
  "notNull",
  "unique",
  "rowCount",
  "range",
  "allowed",
  "pattern",
  "length",
  "freshness",
  "referential",
  "sql",
] as const;

type Schema = Record<string, unknown>;

const TABLE_NAME_DESCRIPTION = `a table name "namespace.table" whose parts match /${IDENTIFIER_PATTERN}/`;

const columnName = (description = "a column name matching /" + IDENTIFIER_PATTERN + "/"): Schema => ({
  type: "string",
  pattern: IDENTIFIER_PATTERN,
  description,
});

const columnList = (description: string): Schema => ({
  type: "array",
  items: columnName(),
  minItems: 1,
  uniqueItems: true,
  description,
});

const columnOrList = (description: string): Schema => ({
  description,
  anyOf: [columnName(), columnList(description)],
});

const object = (properties: Record<string, Schema>, required: string[], description: string, extra: Schema = {}): Schema => ({
  type: "object",
  description,
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
  ...extra,
});

const bound = { type: ["number", "string"], description: "a number, or a date/time string" };

const ruleSchemas: Record<(typeof VALIDATION_RULE_NAMES)[number], Schema> = {
  columns: { enum: ["exact", "subset"], description: 'the column check: "exact" (no extra or missing source columns) or "subset"' },
  notNull: columnList("a list of columns that must not be null"),
  unique: {
    type: "array",
    minItems: 1,
    description: "a list whose items are columns unique on their own or lists of columns unique together",
    items: {
      description: "a column name, or a list of columns unique together",
      anyOf: [columnName(), columnList("a list of columns unique together")],
    },
  },
  rowCount: object(
    {
      min: { type: "integer", minimum: 0, description: "a minimum row count (an integer >= 0)" },
      max: { type: "integer", minimum: 0, description: "a maximum row count (an integer >= 0)" },
    },
    [],
    "row count bounds { min, max }",
    { minProperties: 1 },
  ),
  range: object({ column: columnName(), min: bound, max: bound }, ["column"], "a range check { column, min, max }", { minProperties: 2 }),
  allowed: object(
    {
      column: columnName(),
      values: {
        type: "array",
        items: { type: ["string", "number", "boolean"] },
        minItems: 1,
        description: "a non-empty list of allowed values",
      },
    },
    ["column", "values"],
    "an allowed-values check { column, values }",
  ),
  pattern: object(
    { column: columnName(), regex: { type: "string", minLength: 1, description: "a regular expression" } },
    ["column", "regex"],
    "a pattern check { column, regex }",
  ),
  length: object(
    {
      column: columnName(),
      min: { type: "integer", minimum: 0, description: "a minimum length (an integer >= 0)" },
      max: { type: "integer", minimum: 0, description: "a maximum length (an integer >= 0)" },
    },
    ["column"],
    "a length check { column, min, max }",
    { minProperties: 2 },
  ),
  freshness: object(
    {
      column: columnName(),
      within: { type: "string", pattern: DURATION_PATTERN, description: 'a duration such as "36h" or "2d"' },
    },
    ["column", "within"],
    "a freshness check { column, within }",
  ),
  referential: object(
    {
      column: columnName(),
      table: { type: "string", pattern: TABLE_NAME_PATTERN, description: TABLE_NAME_DESCRIPTION },
      refColumn: columnName("the referenced column (defaults to the same name)"),
    },
    ["column", "table"],
    "a referential check { column, table, refColumn }",
  ),
  sql: { type: "string", minLength: 1, description: "a SQL query over the table (as `{table}`)" },
};

const RULE_DESCRIPTION = `a rule object with exactly one of ${VALIDATION_RULE_NAMES.join(", ")}`;

const validationRule: Schema = {
  type: "object",
  description: RULE_DESCRIPTION,
  properties: {
    ...ruleSchemas,
    expect: {
      description: 'what a sql rule expects: "empty" (no rows, the default), "nonEmpty", a value, or { min, max }',
      anyOf: [
        { enum: ["empty", "nonEmpty"] },
        { type: ["number", "string", "boolean"] },
        object({ min: { type: "number" }, max: { type: "number" } }, [], "bounds { min, max }", { minProperties: 1 }),
      ],
    },
    severity: { enum: ["error", "warn"], description: "a severity: error or warn" },
    phase: { enum: ["pre", "post"], description: "a phase: pre (before writing) or post (before commit)" },
  },
  additionalProperties: false,
  dependentRequired: { expect: ["sql"] },
  oneOf: VALIDATION_RULE_NAMES.map((name) => ({ required: [name] })),
};

/** The JSON Schema (draft 2020-12) of a table spec as written in YAML or JSON. */
export const tableSpecJsonSchema: Readonly<Record<string, unknown>> = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://engine.dev/schema/table-spec.schema.json",
  title: "Engine table spec",
  description: "a table spec object",
  type: "object",
  properties: {
    $schema: { type: "string", description: "the JSON Schema this file follows" },
    table: { type: "string", pattern: TABLE_NAME_PATTERN, description: TABLE_NAME_DESCRIPTION },
    description: { type: "string", description: "a description of the table" },
    source: object(
      {
        format: {
          enum: ["csv", "json", "parquet", "postgres", "memory"],
          description: "a source format: csv, json, parquet, postgres or memory",
        },
        path: { type: "string", minLength: 1, description: "a path or glob, local or s3://, with optional {param} placeholders" },
        options: { type: "object", description: "reader options passed to the source (e.g. header, delim)" },
        onError: {
          description: 'a bad-input policy: "fail", "quarantine" or { quarantine: { maxRows, maxPercent } }',
          anyOf: [
            { enum: ["fail", "quarantine"], description: "fail or quarantine" },
            object(
              {
                quarantine: object(
                  {
                    maxRows: { type: "integer", minimum: 0, description: "a maximum number of rejected rows (an integer >= 0)" },
                    maxPercent: { type: "number", minimum: 0, maximum: 100, description: "a maximum percentage of rejected rows (0 to 100)" },
                  },
                  [],
                  "quarantine limits { maxRows, maxPercent }",
                ),
              },
              ["quarantine"],
              "a quarantine policy { quarantine: { maxRows, maxPercent } }",
            ),
          ],
        },
      },
      ["format"],
      "a source { format, path, options, onError }",
    ),
    columns: {
      type: "array",
      minItems: 1,
      description: "a non-empty list of columns",
      items: object(
        {
          name: columnName(),
          type: { type: "string", description: 'an Iceberg type such as "decimal(10,2)"' },
          required: { type: "boolean", description: "true or false" },
          doc: { type: "string", description: "a column description" },
          pii: object(
            {
              grade: { enum: [1, 2, 3], description: "a PII grade: 1 (most sensitive), 2 or 3" },
              kind: { type: "string", minLength: 1, description: "a PII kind such as email, phone or name" },
              mask: { enum: ["hash", "mask", "redact", "partial"], description: "a mask: hash, mask, redact or partial" },
            },
            ["grade", "kind"],
            "a PII tag { grade, kind, mask }",
          ),
          from: { type: "string", minLength: 1, description: "a source column or SQL expression" },
        },
        ["name", "type"],
        "a column { name, type, required, doc, pii, from }",
      ),
    },
    key: columnOrList("a key column or a list of key columns"),
    dedupe: object(
      {
        keep: { enum: ["latest", "first", "exact"], description: "a dedupe mode: latest, first or exact" },
        orderBy: columnOrList("an ordering column or a list of them"),
        against: { enum: ["table"], description: "table (insert only keys the table does not have yet)" },
      },
      ["keep"],
      "a dedupe { keep, orderBy, against }",
    ),
    partition: {
      type: "array",
      description: "a list of partition expressions",
      items: {
        type: "string",
        description: "a partition expression: col, year(col), month(col), day(col), hour(col), bucket(N, col) or truncate(W, col)",
      },
    },
    write: object(
      {
        mode: { enum: ["append", "overwrite", "replace-partitions", "merge"], description: "a write mode: append, overwrite, replace-partitions or merge" },
        targetFileSize: {
          description: 'a target file size: bytes, or a size such as "256MB"',
          anyOf: [
            { type: "integer", minimum: 1, description: "a size in bytes (an integer >= 1)" },
            { type: "string", pattern: BYTE_SIZE_PATTERN, description: 'a size such as "256MB", "512KiB" or "1GB"' },
          ],
        },
        compression: { enum: ["zstd", "snappy", "gzip", "lz4", "uncompressed"], description: "a Parquet compression: zstd, snappy, gzip, lz4 or uncompressed" },
        rowGroupSize: { type: "integer", minimum: 1, description: "a Parquet row group size in rows" },
        sortBy: columnOrList("a sort column or a list of them"),
        filter: {
          type: "object",
          description: 'a filter of the rows to replace: { column: value } or { column: { gte: "{from}", lt: "{to}" } }',
          propertyNames: { pattern: "^([A-Za-z_][A-Za-z0-9_]*|(year|month|day)\\([A-Za-z_][A-Za-z0-9_]*\\))$" },
          minProperties: 1,
          additionalProperties: {
            description: "a value (string, number or boolean) or { eq, gt, gte, lt, lte, in }",
            anyOf: [
              { type: ["string", "number", "boolean"], description: "a string, number or boolean" },
              object(
                {
                  eq: { type: ["string", "number", "boolean"], description: "a string, number or boolean" },
                  gt: { type: ["string", "number"], description: "a string or number" },
                  gte: { type: ["string", "number"], description: "a string or number" },
                  lt: { type: ["string", "number"], description: "a string or number" },
                  lte: { type: ["string", "number"], description: "a string or number" },
                  in: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"], description: "a string, number or boolean" }, description: "a list of values" },
                },
                [],
                "a comparison { eq, gt, gte, lt, lte, in }",
                { minProperties: 1 },
              ),
            ],
          },
        },
        deleteMarker: object(
          {
            column: columnName("the source or table column that marks deleted rows"),
            value: { type: ["string", "number", "boolean"], description: "the value that marks a deleted row" },
          },
          ["column", "value"],
          "a delete marker { column, value }",
        ),
        options: { type: "object", description: "engine-specific write options" },
      },
      [],
      "a write { mode, filter, deleteMarker, targetFileSize, compression, rowGroupSize, sortBy, options }",
    ),
    validate: { type: "array", description: "a list of validation rules", items: validationRule },
    transform: {
      description: 'a transform: a .sql file path, { file: "x.sql" } or { sql: "select … from source" }',
      anyOf: [
        { type: "string", pattern: "\\.sql$", description: 'a .sql file path, relative to the spec, such as "orders.sql"' },
        object(
          {
            file: { type: "string", pattern: "\\.sql$", description: "a .sql file path, relative to the spec" },
            sql: { type: "string", minLength: 1, description: "a SQL query over the staged relation `source`" },
          },
          [],
          "a transform { file } or { sql }",
          { minProperties: 1, maxProperties: 1 },
        ),
      ],
    },
    pii: object(
      {
        subject: columnName("the column that identifies the data subject"),
        separate: { type: "boolean", description: "true or false" },
        retention: {
          description: 'a retention duration such as "365d", or { after: "365d", column: "order_ts" }',
          anyOf: [
            { type: "string", pattern: DURATION_PATTERN, description: 'a retention duration such as "365d"' },
            object(
              {
                after: { type: "string", pattern: DURATION_PATTERN, description: 'a retention duration such as "365d"' },
                column: columnName("the date or timestamp column retention counts from"),
              },
              ["after", "column"],
              'a retention { after: "365d", column: "order_ts" }',
            ),
          ],
        },
        retentionColumn: columnName("the date or timestamp column retention counts from"),
      },
      [],
      "a table PII policy { subject, separate, retention, retentionColumn }",
    ),
    schedule: object(
      {
        group: { type: "string", pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]*$", description: "a schedule group name (letters, digits, _ . -)" },
        cron: { type: "string", minLength: 1, description: 'a cron expression such as "0 17 * * *" or a preset such as "@daily"' },
        start: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}([T ].+)?$", description: 'a start date such as "2024-01-01"' },
        system: { type: "string", minLength: 1, description: "the source system name" },
        dependsOn: {
          type: "array",
          items: { type: "string", pattern: TABLE_NAME_PATTERN, description: TABLE_NAME_DESCRIPTION },
          uniqueItems: true,
          description: "a list of upstream table names",
        },
        retries: { type: "integer", minimum: 0, description: "a retry count (an integer >= 0)" },
      },
      ["group", "cron", "start"],
      "a schedule { group, cron, start, system, dependsOn, retries }",
    ),
    engine: { enum: ["auto", "local", "athena", "glue"], description: "an engine: auto, local, athena or glue" },
    glue: object(
      {
        workerType: { enum: ["G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"], description: "a Glue Spark worker type (G.1X … G.16X, R.1X … R.8X)" },
        workers: { type: "integer", minimum: 2, maximum: 1000, description: "a Glue worker count (an integer >= 2)" },
        sizeHint: { type: "string", pattern: BYTE_SIZE_PATTERN, description: 'the expected input size of one load, such as "20GB"' },
        executionClass: { enum: ["FLEX", "STANDARD"], description: "a Glue execution class: FLEX or STANDARD" },
        glueVersion: { enum: ["4.0", "5.0"], description: "a Glue version: 4.0 or 5.0" },
      },
      [],
      "Glue job settings { workerType, workers, sizeHint, executionClass, glueVersion }",
    ),
    alerts: object(
      {
        webhook: { type: "string", pattern: "^https?://", description: "an http(s) URL that receives failure reports as JSON" },
        timeoutMs: { type: "integer", minimum: 1, description: "a webhook timeout in milliseconds" },
      },
      [],
      "alerts { webhook, timeoutMs }",
    ),
    schemaEvolution: { enum: ["evolve", "fail"], description: "a schema evolution policy: evolve (add new spec columns to the table) or fail" },
    properties: {
      type: "object",
      description: "table properties (string, number or boolean values)",
      additionalProperties: { type: ["string", "number", "boolean"], description: "a string, number or boolean" },
    },
  },
  required: ["table", "columns"],
  additionalProperties: false,
};
