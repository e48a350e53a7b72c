import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../src/errors.js";
import {
  formatIcebergType,
  isTableSpec,
  loadSpec,
  parseByteSize,
  parseDuration,
  parseIcebergType,
  parsePartitionField,
  parseSpec,
  resolveSourcePath,
  specHash,
  substituteParams,
  type SpecIssue,
} from "../src/spec/index.js";

const DESIGN_SPEC = `table: sales.orders
source: { format: csv, path: data/orders/*.csv, options: { header: true } }
columns:
  - { name: order_id,    type: long, required: true }
  - { name: customer_id, type: long }
  - { name: email,       type: string, pii: { grade: 1, kind: email } }
  - { name: amount,      type: "decimal(12, 2)" }
  - { name: order_ts,    type: timestamptz }
  - { name: updated_at,  type: timestamptz }
key: [order_id]
dedupe: { keep: latest, orderBy: updated_at }
partition: ["day(order_ts)"]
write: { mode: merge }
validate:
  - { columns: exact }
  - { notNull: [order_id, order_ts] }
  - { unique: [order_id] }
  - { rowCount: { min: 1 } }
pii: { subject: customer_id, separate: true, retention: 365d }
schedule: { group: sales_daily, cron: "0 17 * * *", start: 2024-01-01 }
engine: auto
`;

/** A minimal valid spec object that tests extend. */
const base = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  table: "sales.orders",
  source: { format: "csv", path: "data/*.csv" },
  columns: [
    { name: "order_id", type: "long", required: true },
    { name: "customer_id", type: "long" },
    { name: "email", type: "string" },
    { name: "amount", type: "decimal(12,2)" },
    { name: "order_ts", type: "timestamptz" },
    { name: "order_date", type: "date" },
    { name: "price", type: "double" },
    { name: "tags", type: "list<string>" },
  ],
  ...extra,
});

function specErrorOf(run: () => unknown): SpecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error("expected a SpecError, got none");
}

const issuesOf = (error: SpecError): SpecIssue[] => error.context["errors"] as SpecIssue[];

describe("parseSpec", () => {
  it("normalizes the design document's example spec", () => {
    const spec = parseSpec(DESIGN_SPEC);
    expect(spec.table).toBe("sales.orders");
    expect(spec.namespace).toEqual(["sales"]);
    expect(spec.name).toBe("orders");
    expect(spec.source).toEqual({ format: "csv", path: "data/orders/*.csv", options: { header: true } });
    expect(spec.columns[0]).toEqual({ name: "order_id", type: "long", required: true });
    expect(spec.columns[2]).toEqual({ name: "email", type: "string", required: false, pii: { grade: 1, kind: "email" } });
    expect(spec.columns[3]!.type).toBe("decimal(12,2)");
    expect(spec.key).toEqual(["order_id"]);
    expect(spec.dedupe).toEqual({ keep: "latest", orderBy: ["updated_at"] });
    expect(spec.partition).toEqual(["day(order_ts)"]);
    expect(spec.write).toEqual({ mode: "merge", options: {} });
    expect(spec.validate).toEqual([
      { rule: "columns", args: "exact", severity: "error", path: "validate[0]" },
      { rule: "notNull", args: ["order_id", "order_ts"], severity: "error", path: "validate[1]" },
      { rule: "unique", args: [["order_id"]], severity: "error", path: "validate[2]" },
      { rule: "rowCount", args: { min: 1 }, severity: "error", path: "validate[3]" },
    ]);
    expect(spec.pii).toEqual({ subject: "customer_id", separate: true, retention: "365d" });
    expect(spec.schedule).toEqual({ group: "sales_daily", cron: "0 17 * * *", start: "2024-01-01" });
    expect(spec.engine).toBe("auto");
    expect(spec.properties).toEqual({});
    expect(spec.file).toBeUndefined();
  });

  it("fills defaults for a minimal object spec", () => {
    const spec = parseSpec({ table: "a.b.c", columns: [{ name: "id", type: "LONG" }] });
    expect(spec.namespace).toEqual(["a", "b"]);
    expect(spec.name).toBe("c");
    expect(spec.source).toEqual({ format: "memory", options: {} });
    expect(spec.columns).toEqual([{ name: "id", type: "long", required: false }]);
    expect(spec.write).toEqual({ mode: "append", options: {} });
    expect(spec.partition).toEqual([]);
    expect(spec.validate).toEqual([]);
    expect(spec.engine).toBe("auto");
  });

  it("expands shorthands and canonicalizes types, partitions, sizes and properties", () => {
    const spec = parseSpec(
      base({
        key: "order_id",
        partition: [" DAY( order_ts )", "bucket(16,customer_id)", "truncate( 4 , email)", "order_date"],
        write: { mode: "overwrite", targetFileSize: "256MB", compression: "zstd", sortBy: "order_ts", options: { x: 1 } },
        validate: [
          { unique: ["order_id", ["customer_id", "order_ts"]] },
          { sql: "select * from {table} where amount < 0" },
          { referential: { column: "customer_id", table: "sales.customers" }, severity: "warn", phase: "post" },
        ],
        properties: { "commit.retry.num-retries": 4, "write.wap.enabled": true },
      }),
    );
    expect(spec.key).toEqual(["order_id"]);
    expect(spec.partition).toEqual(["day(order_ts)", "bucket(16, customer_id)", "truncate(4, email)", "order_date"]);
    expect(spec.write).toEqual({ mode: "overwrite", targetFileSizeBytes: 256 * 1024 * 1024, options: { x: 1, compression: "zstd", sortBy: ["order_ts"] } });
    expect(spec.validate[0]!.args).toEqual([["order_id"], ["customer_id", "order_ts"]]);
    expect(spec.validate[1]!.args).toEqual({ sql: "select * from {table} where amount < 0", expect: "empty" });
    expect(spec.validate[2]).toEqual({
      rule: "referential",
      args: { column: "customer_id", table: "sales.customers", refColumn: "customer_id" },
      phase: "post",
      severity: "warn",
      path: "validate[2]",
    });
    expect(spec.properties).toEqual({ "commit.retry.num-retries": "4", "write.wap.enabled": "true" });
  });

  it("substitutes {param} placeholders in source.path, with {{ }} as literal braces", () => {
    const spec = parseSpec(base({ source: { format: "csv", path: "data/{region}/{date}/{{x}}.csv" } }), { params: { date: "2024-01-02", region: "kr" } });
    expect(spec.source.path).toBe("data/kr/2024-01-02/{x}.csv");
  });

  it("reports an unknown placeholder by name", () => {
    const error = specErrorOf(() => parseSpec(base({ source: { format: "csv", path: "data/{date}/*.csv" } }), { params: { day: "1" } }));
    expect(error.message).toBe('spec: source.path: expected a value for the placeholder {date} (pass params: { date: "…" } or --param date=…), got none');
  });

  it("reads a transform file relative to the spec's folder, and keeps inline SQL", () => {
    const dir = mkdtempSync(join(tmpdir(), "engine-spec-"));
    mkdirSync(join(dir, "sales"));
    writeFileSync(join(dir, "sales", "orders.sql"), "select * from source where amount > 0\n");
    const yaml = `table: sales.orders\ncolumns: [{ name: id, type: long }]\ntransform: orders.sql\n`;
    writeFileSync(join(dir, "sales", "orders.yaml"), yaml);
    writeFileSync(join(dir, "sales", "orders2.yaml"), yaml.replace("transform: orders.sql", "transform: { file: ./orders.sql }"));
    for (const name of ["orders.yaml", "orders2.yaml"]) {
      const spec = loadSpec(join(dir, "sales", name));
      expect(spec.transform).toEqual({ sql: "select * from source where amount > 0\n", file: join(dir, "sales", "orders.sql") });
      expect(spec.file).toBe(resolve(dir, "sales", name));
    }
    expect(parseSpec({ table: "a.b", columns: [{ name: "id", type: "long" }], transform: { sql: "select 1 id" } }).transform).toEqual({ sql: "select 1 id" });
  });

  it("reports a missing transform file with the path it tried", () => {
    const dir = mkdtempSync(join(tmpdir(), "engine-spec-"));
    writeFileSync(join(dir, "t.yaml"), "table: a.b\ncolumns: [{ name: id, type: long }]\ntransform: { file: nope.sql }\n");
    const error = specErrorOf(() => loadSpec(join(dir, "t.yaml")));
    expect(error.message).toBe(`${join(dir, "t.yaml")}:3:20: spec: transform.file: expected a readable .sql file next to the spec, got "nope.sql" (ENOENT: ${join(dir, "nope.sql")})`);
  });

  it("returns a parsed spec unchanged, frozen, and recognizable by isTableSpec", () => {
    const spec = parseSpec(base());
    expect(isTableSpec(spec)).toBe(true);
    expect(isTableSpec(base())).toBe(false);
    expect(parseSpec(spec)).toBe(spec);
    expect(Object.isFrozen(spec.columns[0])).toBe(true);
  });

  it("does not freeze or change the object it was given", () => {
    const input = base({ source: { format: "csv", path: "x.csv", options: { nested: { a: 1 } } } });
    parseSpec(input);
    expect(Object.isFrozen((input["source"] as { options: object }).options)).toBe(false);
  });
});

describe("parseSpec errors", () => {
  // [what, spec, the one message expected: spec path, expected and actual]
  const cases: [string, Record<string, unknown>, string][] = [
    ["path traversal in the table name", { table: "../etc/passwd" }, 'spec: table: expected a table name "namespace.table" whose parts match /^[A-Za-z_][A-Za-z0-9_]*$/, got "../etc/passwd"'],
    ["SQL injection in the table name", { table: 'sales."orders"; drop table x' }, 'spec: table: expected a table name "namespace.table" whose parts match /^[A-Za-z_][A-Za-z0-9_]*$/, got "sales.\\"orders\\"; drop table x"'],
    ["an empty namespace level", { table: "sales..orders" }, 'spec: table: expected a table name "namespace.table" whose parts match /^[A-Za-z_][A-Za-z0-9_]*$/, got "sales..orders"'],
    ["a table without namespace", { table: "orders" }, 'spec: table: expected a table name "namespace.table" whose parts match /^[A-Za-z_][A-Za-z0-9_]*$/, got "orders"'],
    ["an unknown top-level key", { tabel: "x" }, 'spec: tabel: expected one of the keys table, description, source, columns, key, dedupe, partition, write, validate, transform, pii, schedule, engine, glue, alerts, schemaEvolution, properties, got unknown key "tabel"'],
    ["an unknown source format", { source: { format: "xlsx", path: "a.xlsx" } }, 'spec: source.format: expected one of "csv", "json", "parquet", "postgres", "memory", got "xlsx"'],
    ["a non-Iceberg type", { columns: [{ name: "id", type: "long" }, { name: "a", type: "long" }, { name: "price", type: "money" }] }, 'spec: columns[2].type: expected an Iceberg type such as "decimal(10,2)", got "money"'],
    ["a decimal precision over 38", { columns: [{ name: "amount", type: "decimal(40,2)" }] }, 'spec: columns[0].type: expected an Iceberg type such as "decimal(10,2)", got "decimal(40,2)" (decimal precision must be 1 to 38, got 40)'],
    ["a decimal scale over the precision", { columns: [{ name: "amount", type: "decimal(4,5)" }] }, 'spec: columns[0].type: expected an Iceberg type such as "decimal(10,2)", got "decimal(4,5)" (decimal scale must be 0 to the precision 4, got 5)'],
    ["a bad nested type", { columns: [{ name: "m", type: "map<string, lst<int>>" }] }, 'spec: columns[0].type: expected an Iceberg type such as "decimal(10,2)", got "map<string, lst<int>>" (unknown type "lst" at position 12)'],
    ["a column name used twice", { columns: [{ name: "id", type: "long" }, { name: "ID", type: "string" }] }, 'spec: columns[1].name: expected a column name not used before (names are case-insensitive; columns[0] is "id"), got "ID"'],
    ["a column name with a quote", { columns: [{ name: 'a"b', type: "long" }] }, 'spec: columns[0].name: expected a column name matching /^[A-Za-z_][A-Za-z0-9_]*$/, got "a\\"b"'],
    ["a missing column type", { columns: [{ name: "id" }] }, 'spec: columns[0].type: expected an Iceberg type such as "decimal(10,2)", got nothing'],
    ["a key that is not a column", { key: ["order_id", "orderid"] }, 'spec: key[1]: expected a column of the table (order_id, customer_id, email, amount, order_ts, order_date, price, tags), got "orderid"'],
    ["a key on a double column", { key: "price" }, 'spec: key: expected a key column of a primitive, non-floating type, got "price" of type double'],
    ["dedupe latest without key", { dedupe: { keep: "latest", orderBy: "order_ts" } }, 'spec: dedupe.keep: expected a "key" to dedupe by for keep: latest, got a spec without key'],
    ["dedupe first without orderBy", { key: "order_id", dedupe: { keep: "first" } }, "spec: dedupe.orderBy: expected an ordering column for keep: first, got nothing"],
    ["dedupe orderBy on a missing column", { key: "order_id", dedupe: { keep: "latest", orderBy: ["updated"] } }, 'spec: dedupe.orderBy[0]: expected a column of the table (order_id, customer_id, email, amount, order_ts, order_date, price, tags), got "updated"'],
    ["an unknown dedupe mode", { dedupe: { keep: "last" } }, 'spec: dedupe.keep: expected one of "latest", "first", "exact", got "last"'],
    ["merge without key", { write: { mode: "merge" } }, 'spec: write.mode: expected a "key" to match rows on for mode: merge, got a spec without key'],
    ["an unknown write mode", { write: { mode: "upsert" } }, 'spec: write.mode: expected one of "append", "overwrite", "replace-partitions", "merge", got "upsert"'],
    ["a bad target file size", { write: { targetFileSize: "12XB" } }, 'spec: write.targetFileSize: expected a size such as "256MB", "512KiB" or "1GB", got "12XB"'],
    ["hour on a date column", { partition: ["hour(order_date)"] }, 'spec: partition[0]: expected hour on a column of type timestamp or timestamptz, got "hour(order_date)" on order_date of type date'],
    ["day on a string column", { partition: ["day(email)"] }, 'spec: partition[0]: expected day on a column of type date, timestamp or timestamptz, got "day(email)" on email of type string'],
    ["bucket on a double column", { partition: ["bucket(8, price)"] }, 'spec: partition[0]: expected bucket on a column of type int, long, decimal, date, time, timestamp, timestamptz, string, uuid, binary or fixed, got "bucket(8, price)" on price of type double'],
    ["truncate on a timestamp column", { partition: ["truncate(4, order_ts)"] }, 'spec: partition[0]: expected truncate on a column of type int, long, decimal, string or binary, got "truncate(4, order_ts)" on order_ts of type timestamptz'],
    ["identity on a list column", { partition: ["tags"] }, 'spec: partition[0]: expected identity on a column of type a primitive type, got "tags" on tags of type list'],
    ["an unknown transform", { partition: ["week(order_ts)"] }, 'spec: partition[0]: expected a partition expression such as "day(order_ts)", "bucket(16, id)" or a column name, got "week(order_ts)" (not a partition expression)'],
    ["bucket of zero", { partition: ["bucket(0, order_id)"] }, 'spec: partition[0]: expected a partition expression such as "day(order_ts)", "bucket(16, id)" or a column name, got "bucket(0, order_id)" (bucket needs a bucket count of at least 1)'],
    ["two time transforms on one column", { partition: ["day(order_ts)", "month(order_ts)"] }, "spec: partition[1]: expected at most one of year/month/day/hour per column (partition[0] already uses order_ts), got \"month(order_ts)\""],
    ["an unknown rule", { validate: [{ notNul: ["order_id"] }] }, 'spec: validate[0].notNul: expected one of the keys columns, notNull, unique, rowCount, range, allowed, pattern, length, freshness, referential, sql, expect, severity, phase, got unknown key "notNul"'],
    ["two rules in one item", { validate: [{ notNull: ["order_id"], unique: ["order_id"] }] }, "spec: validate[0]: expected exactly one rule per list item, got 2 rules (notNull, unique)"],
    ["a rule without rule name", { validate: [{ severity: "warn" }] }, 'spec: validate[0]: expected a rule object with exactly one of columns, notNull, unique, rowCount, range, allowed, pattern, length, freshness, referential, sql, got {"severity":"warn"}'],
    ["a notNull column that does not exist", { validate: [{ notNull: ["order_id", "nope"] }] }, 'spec: validate[0].notNull[1]: expected a column of the table (order_id, customer_id, email, amount, order_ts, order_date, price, tags), got "nope"'],
    ["a unique item that is not a column", { validate: [{ unique: [3] }] }, "spec: validate[0].unique[0]: expected a column name, or a list of columns unique together, got 3"],
    ["a composite unique with a missing column", { validate: [{ unique: [["order_id", "zz"]] }] }, 'spec: validate[0].unique[0][1]: expected a column of the table (order_id, customer_id, email, amount, order_ts, order_date, price, tags), got "zz"'],
    ["a bad severity", { validate: [{ notNull: ["order_id"], severity: "fatal" }] }, 'spec: validate[0].severity: expected one of "error", "warn", got "fatal"'],
    ["a range with min above max", { validate: [{ range: { column: "amount", min: 10, max: 1 } }] }, "spec: validate[0].range.max: expected a max not below min (10), got 1"],
    ["an invalid regex", { validate: [{ pattern: { column: "email", regex: "([a-z" } }] }, 'spec: validate[0].pattern.regex: expected a valid regular expression, got "([a-z" (Invalid regular expression: /([a-z/: Unterminated character class)'],
    ["freshness on a string column", { validate: [{ freshness: { column: "email", within: "2d" } }] }, 'spec: validate[0].freshness.column: expected a column of type date or timestamp or timestamptz for freshness, got "email" of type string'],
    ["a bad freshness duration", { validate: [{ freshness: { column: "order_ts", within: "2 days" } }] }, 'spec: validate[0].freshness.within: expected a duration such as "36h" or "2d", got "2 days"'],
    ["expect without sql", { validate: [{ rowCount: { min: 1 }, expect: 0 }] }, 'spec: validate[0].expect: expected "expect" only together with "sql", got "expect" without "sql"'],
    ["a referential rule to a path", { validate: [{ referential: { column: "customer_id", table: "../customers" } }] }, 'spec: validate[0].referential.table: expected a table name "namespace.table" whose parts match /^[A-Za-z_][A-Za-z0-9_]*$/, got "../customers"'],
    ["a pii subject that is not a column", { pii: { subject: "user_id" } }, 'spec: pii.subject: expected a column of the table (order_id, customer_id, email, amount, order_ts, order_date, price, tags), got "user_id"'],
    ["pii separation without tagged columns", { pii: { separate: true } }, 'spec: pii.separate: expected at least one column with a pii tag to separate, got no pii-tagged column'],
    ["a bad pii grade", { columns: [{ name: "email", type: "string", pii: { grade: 5, kind: "email" } }] }, "spec: columns[0].pii.grade: expected one of 1, 2, 3, got 5"],
    ["a bad cron", { schedule: { group: "g", cron: "daily at 5", start: "2024-01-01" } }, 'spec: schedule.cron: expected a cron expression of 5 fields such as "0 17 * * *", or @hourly, @daily, @weekly, @monthly, @yearly, got "daily at 5"'],
    ["a schedule without start", { schedule: { group: "g", cron: "@daily" } }, 'spec: schedule.start: expected a start date such as "2024-01-01", got nothing'],
    ["an impossible start date", { schedule: { group: "g", cron: "@daily", start: "2024-02-31" } }, 'spec: schedule.start: expected a valid date such as "2024-01-01", got "2024-02-31"'],
    ["a transform that is not a .sql file", { transform: "select 1" }, 'spec: transform: expected a .sql file path, relative to the spec, such as "orders.sql", got "select 1"'],
    ["an unknown engine", { engine: "spark" }, 'spec: engine: expected one of "auto", "local", "athena", "glue", got "spark"'],
    ["a nested property value", { properties: { a: { b: 1 } } }, 'spec: properties.a: expected a string, number or boolean, got {"b":1}'],
  ];

  it.each(cases)("rejects %s", (_what, patch, message) => {
    const error = specErrorOf(() => parseSpec(base(patch)));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe(message);
    expect(issuesOf(error)).toHaveLength(1);
  });

  it("rejects a spec that is not an object, and one without columns", () => {
    expect(specErrorOf(() => parseSpec("- a\n- b\n")).message).toBe('<input>:1:1: spec: expected a table spec object, got ["a","b"]');
    expect(specErrorOf(() => parseSpec({ table: "a.b" })).message).toBe("spec: columns: expected a non-empty list of columns, got nothing");
  });

  it("reports every problem, not only the first", () => {
    const error = specErrorOf(() =>
      parseSpec(base({ table: "x", key: "nope", write: { mode: "merge", bogus: 1 }, partition: ["hour(order_date)"] })),
    );
    const paths = issuesOf(error).map((issue) => issue.path);
    expect(paths).toEqual(["table", "write.bogus", "key", "partition[0]"]);
    expect(error.message.split("; ")).toHaveLength(4);
    expect(error.message).not.toContain("\n");
  });

  it("prefixes file:line:col of the offending node for YAML", () => {
    const yaml = [
      "table: sales.orders", //                                  1
      "source:", //                                              2
      "  format: csv", //                                        3
      "  path: data/*.csv", //                                   4
      "columns:", //                                             5
      "  - { name: order_id, type: long }", //                   6
      "  - { name: email,    type: string }", //                 7
      "  - { name: amount,   type: money }", //                  8
      "key: [order_id]", //                                      9
      "write:", //                                               10
      "  mode: merge", //                                        11
      "  targetFileSze: 1GB", //                                 12
    ].join("\n");
    const error = specErrorOf(() => parseSpec(yaml, { file: "specs/orders.yaml" }));
    expect(issuesOf(error).map((issue) => issue.message)).toEqual([
      'specs/orders.yaml:8:29: spec: columns[2].type: expected an Iceberg type such as "decimal(10,2)", got "money"',
      'specs/orders.yaml:12:3: spec: write.targetFileSze: expected one of the keys mode, targetFileSize, compression, rowGroupSize, sortBy, filter, deleteMarker, options, got unknown key "targetFileSze"',
    ]);
    expect(issuesOf(error)[0]).toMatchObject({ path: "columns[2].type", file: "specs/orders.yaml", line: 8, column: 29, expected: 'an Iceberg type such as "decimal(10,2)"', actual: '"money"' });
  });

  it("points a missing key at its parent and a bad list item at the item", () => {
    const yaml = "table: sales.orders\ncolumns:\n  - name: id\n    type: long\n  - name: other\nkey:\n  - id\n  - 42\n";
    const error = specErrorOf(() => parseSpec(yaml, { file: "s.yaml" }));
    expect(issuesOf(error).map((issue) => issue.message)).toEqual([
      's.yaml:5:5: spec: columns[1].type: expected an Iceberg type such as "decimal(10,2)", got nothing',
      "s.yaml:8:5: spec: key[1]: expected a column name matching /^[A-Za-z_][A-Za-z0-9_]*$/, got 42",
    ]);
  });

  it("reports YAML syntax errors with their line and column", () => {
    const error = specErrorOf(() => parseSpec("table: a.b\ncolumns: [\n  { name: id, type: long }\n", { file: "broken.yaml" }));
    expect(error.message).toMatch(/^broken\.yaml:\d+:\d+: spec: expected valid YAML or JSON, got "/);
  });

  it("reports duplicate YAML keys", () => {
    const error = specErrorOf(() => parseSpec("table: a.b\ntable: a.c\ncolumns: [{ name: id, type: long }]\n", { file: "dup.yaml" }));
    expect(error.message).toMatch(/^dup\.yaml:2:1: spec: expected valid YAML or JSON, got "Map keys must be unique/);
  });

  it("reports an alias with no anchor before it (`*s`, found by a long fuzz run) as a YAML error at the alias", () => {
    expect(specErrorOf(() => parseSpec("*s")).message).toBe('<input>:1:1: spec: expected valid YAML or JSON, got "Unresolved alias (the anchor must be set before the alias): s"');
    expect(specErrorOf(() => parseSpec("table: a.b\ncolumns: *cols\n", { file: "a.yaml" })).message).toMatch(/^a\.yaml:2:10: spec: expected valid YAML or JSON, got "Unresolved alias/);
  });

  it("reports a value that neither JSON nor String can render (a bigint beside a `toString` key that is not a function, found by a long fuzz run)", () => {
    const error = specErrorOf(() => parseSpec({ toString: "x", n: 1n }));
    expect(error.message).toMatch(/unknown key "n"/);
    expect(error.message).toMatch(/unknown key "toString"/);
  });

  it("locates errors in JSON spec text too", () => {
    const json = '{\n  "table": "a.b",\n  "columns": [\n    { "name": "id", "type": "int64" }\n  ]\n}\n';
    expect(specErrorOf(() => parseSpec(json, { file: "t.json" })).message).toBe(
      't.json:4:29: spec: columns[0].type: expected an Iceberg type such as "decimal(10,2)", got "int64"',
    );
  });
});

describe("loadSpec", () => {
  it("reads a YAML spec file and records it", () => {
    const spec = loadSpec("examples/specs/sales/orders.yaml");
    expect(spec.table).toBe("sales.orders");
    expect(spec.file).toBe(resolve("examples/specs/sales/orders.yaml"));
    expect(resolveSourcePath(spec)).toBe(resolve("examples/data/orders/*.csv"));
    expect(resolveSourcePath(spec, "other/*.csv")).toBe(resolve("other/*.csv"));
  });

  it("fails with a SpecError naming a missing file", () => {
    expect(specErrorOf(() => loadSpec("nope/missing.yaml")).message).toBe('spec: expected a readable spec file, got "nope/missing.yaml" (ENOENT)');
  });
});

describe("specHash", () => {
  it("is stable across key order, formatting and file location, and changes with content", () => {
    const a = parseSpec("table: a.b\ncolumns: [{ name: id, type: long }]\nwrite: { mode: append }\n", { file: "x/a.yaml" });
    const b = parseSpec({ write: { mode: "append" }, columns: [{ type: "LONG", name: "id" }], table: "a.b" });
    const c = parseSpec({ table: "a.b", columns: [{ name: "id", type: "int" }] });
    expect(specHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(specHash(a)).toBe(specHash(b));
    expect(specHash(a)).not.toBe(specHash(c));
  });
});

describe("parseIcebergType", () => {
  it.each([
    ["boolean", "boolean"],
    ["Decimal( 10 , 2 )", "decimal(10,2)"],
    ["fixed[16]", "fixed[16]"],
    ["list<struct<a: int, b: list<string>>>", "list<struct<a:int,b:list<string>>>"],
    ["map<string, map<long, timestamptz>>", "map<string,map<long,timestamptz>>"],
    ["uuid", "uuid"],
  ])("parses %s", (text, canonical) => {
    const result = parseIcebergType(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(formatIcebergType(result.type)).toBe(canonical);
  });

  it.each(["money", "decimal(0,0)", "decimal(10)", "fixed[0]", "list<>", "map<list<int>, int>", "struct<a:int,a:long>", "list<int", "int extra", ""])(
    "rejects %j",
    (text) => expect(parseIcebergType(text).ok).toBe(false),
  );
});

describe("parsePartitionField", () => {
  it("parses identity, time, bucket and truncate transforms", () => {
    expect(parsePartitionField("region")).toEqual({ ok: true, field: { transform: "identity", column: "region" } });
    expect(parsePartitionField("Month(ts)")).toEqual({ ok: true, field: { transform: "month", column: "ts" } });
    expect(parsePartitionField("bucket(16, id)")).toEqual({ ok: true, field: { transform: "bucket", column: "id", param: 16 } });
    expect(parsePartitionField("truncate(4,name)")).toEqual({ ok: true, field: { transform: "truncate", column: "name", param: 4 } });
    expect(parsePartitionField("day(a, b)").ok).toBe(false);
  });
});

describe("units and params", () => {
  it("parses durations and byte sizes", () => {
    expect(parseDuration("2d")).toBe(2 * 86_400_000);
    expect(parseDuration("2 days")).toBeUndefined();
    expect(parseByteSize("256MB")).toBe(268_435_456);
    expect(parseByteSize("1.5 GiB")).toBe(1_610_612_736);
    expect(parseByteSize(1000)).toBe(1000);
    expect(parseByteSize("0B")).toBeUndefined();
  });

  it("substitutes params and lists the missing ones once", () => {
    expect(substituteParams("{a}/{b}/{a}", { a: "x" })).toEqual({ text: "x/{b}/x", missing: ["b"] });
  });
});
