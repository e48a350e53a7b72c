// Checks a spec for what JSON Schema cannot say: column names are unique, every referenced column
// exists, type strings and partition transforms are valid for their columns, and options that
// depend on each other are present together. Written defensively: it runs on values that may
// also have failed the schema, and skips whatever does not have the expected shape.

import { describeValue, type RawSpecIssue, type SpecPathSegment } from "./spec-issue.js";
import { isPrimitiveType, parseIcebergType, type IcebergTypeNode } from "./iceberg-type.js";
import { PARTITION_SOURCE_TYPES, parsePartitionField, transformAcceptsType } from "./partition-field.js";
import { substituteParams } from "./source-params.js";

/** Options of the semantic check. */
export interface SemanticCheckOptions {
  /** Values for `{param}` placeholders in `source.path`; "defer" leaves them unchecked. */
  readonly params?: Readonly<Record<string, string>> | "defer";
}

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => value !== null && typeof value === "object" && !Array.isArray(value);
const isStr = (value: unknown): value is string => typeof value === "string";

/** Runs the semantic checks on a raw spec value; returns one issue per problem. */
export function checkSpecSemantics(spec: unknown, options: SemanticCheckOptions = {}): RawSpecIssue[] {
  if (!isObj(spec)) return [];
  const checker = new SemanticChecker(spec);
  checker.run(options);
  return checker.issues;
}

class SemanticChecker {
  readonly issues: RawSpecIssue[] = [];
  /** Column name → parsed type (undefined when the type string is invalid). */
  private readonly columns = new Map<string, IcebergTypeNode | undefined>();

  constructor(private readonly spec: Obj) {}

  run(options: SemanticCheckOptions): void {
    this.checkColumns();
    if (options.params !== "defer") this.checkSourcePath(options.params ?? {});
    this.checkKey();
    this.checkDedupe();
    this.checkPartition();
    this.checkWrite(options.params ?? {});
    this.checkValidate();
    this.checkPii();
    this.checkSchedule();
  }

  private issue(segments: readonly SpecPathSegment[], expected: string, actual: string): void {
    this.issues.push({ segments, expected, actual });
  }

  private checkColumns(): void {
    const columns = this.spec["columns"];
    if (!Array.isArray(columns)) return;
    const seen = new Map<string, number>();
    columns.forEach((column: unknown, index) => {
      if (!isObj(column)) return;
      const name = column["name"];
      const type = column["type"];
      let parsed: IcebergTypeNode | undefined;
      if (isStr(type)) {
        const result = parseIcebergType(type);
        if (result.ok) parsed = result.type;
        else {
          const bare = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(type) && result.reason.startsWith("unknown type");
          this.issue(["columns", index, "type"], 'an Iceberg type such as "decimal(10,2)"', bare ? describeValue(type) : `${describeValue(type)} (${result.reason})`);
        }
      }
      if (!isStr(name)) return;
      const folded = name.toLowerCase();
      const previous = seen.get(folded);
      if (previous !== undefined) {
        this.issue(["columns", index, "name"], `a column name not used before (names are case-insensitive; columns[${previous}] is "${String((columns[previous] as Obj)["name"])}")`, describeValue(name));
        return;
      }
      seen.set(folded, index);
      this.columns.set(name, parsed);
    });
  }

  private columnList(): string {
    const names = [...this.columns.keys()];
    return names.length > 8 ? `${names.slice(0, 8).join(", ")}, …` : names.join(", ");
  }

  /** Reports `value` at `segments` unless it names a column; returns the column's type when known. */
  private columnRef(segments: readonly SpecPathSegment[], value: unknown): IcebergTypeNode | undefined {
    if (!isStr(value) || this.columns.size === 0) return undefined;
    if (!this.columns.has(value)) {
      const near = [...this.columns.keys()].find((name) => name.toLowerCase() === value.toLowerCase());
      this.issue(segments, near ? `a column of the table ("${near}"; names are case-sensitive)` : `a column of the table (${this.columnList()})`, describeValue(value));
      return undefined;
    }
    return this.columns.get(value);
  }

  /** Checks a `col | [col, …]` value; returns the referenced columns with their types. */
  private columnRefs(segments: readonly SpecPathSegment[], value: unknown): { name: string; type: IcebergTypeNode | undefined; segments: SpecPathSegment[] }[] {
    if (isStr(value)) {
      const type = this.columnRef(segments, value);
      return this.columns.has(value) ? [{ name: value, type, segments: [...segments] }] : [];
    }
    if (!Array.isArray(value)) return [];
    const found: { name: string; type: IcebergTypeNode | undefined; segments: SpecPathSegment[] }[] = [];
    value.forEach((item: unknown, index) => {
      const at = [...segments, index];
      if (isStr(item) && this.columns.has(item)) found.push({ name: item, type: this.columns.get(item), segments: at });
      else this.columnRef(at, item);
    });
    return found;
  }

  private checkSourcePath(params: Readonly<Record<string, string>>): void {
    const source = this.spec["source"];
    if (!isObj(source) || !isStr(source["path"])) return;
    const { missing } = substituteParams(source["path"], params);
    for (const name of missing) {
      this.issue(["source", "path"], `a value for the placeholder {${name}} (pass params: { ${name}: "…" } or --param ${name}=…)`, "none");
    }
  }

  private checkKey(): void {
    for (const { name, type, segments } of this.columnRefs(["key"], this.spec["key"])) {
      if (type === undefined) continue;
      const kind = type.kind === "primitive" ? type.name : type.kind;
      // Spec: identifier fields "must be required primitive types … float, double … not allowed".
      if (!isPrimitiveType(type) || kind === "float" || kind === "double") {
        this.issue(segments, "a key column of a primitive, non-floating type", `"${name}" of type ${kind}`);
      }
    }
  }

  private checkDedupe(): void {
    const dedupe = this.spec["dedupe"];
    if (!isObj(dedupe)) return;
    const keep = dedupe["keep"];
    const orderBy = dedupe["orderBy"];
    this.columnRefs(["dedupe", "orderBy"], orderBy);
    if (keep === "latest" || keep === "first") {
      if (this.spec["key"] === undefined) this.issue(["dedupe", "keep"], `a "key" to dedupe by for keep: ${keep}`, "a spec without key");
      if (orderBy === undefined) this.issue(["dedupe", "orderBy"], `an ordering column for keep: ${keep}`, "nothing");
    } else if (keep === "exact" && orderBy !== undefined) {
      this.issue(["dedupe", "orderBy"], "no orderBy for keep: exact (identical rows are dropped whatever their order)", describeValue(orderBy));
    }
  }

  private checkPartition(): void {
    const partition = this.spec["partition"];
    if (!Array.isArray(partition)) return;
    const seen = new Map<string, number>();
    const timeTransformOn = new Map<string, number>();
    partition.forEach((expression: unknown, index) => {
      if (!isStr(expression)) return;
      const at: SpecPathSegment[] = ["partition", index];
      const parsed = parsePartitionField(expression);
      if (!parsed.ok) {
        this.issue(at, 'a partition expression such as "day(order_ts)", "bucket(16, id)" or a column name', `${describeValue(expression)} (${parsed.reason})`);
        return;
      }
      const { field } = parsed;
      if (!this.columns.has(field.column)) {
        this.columnRef(at, field.column);
        return;
      }
      const type = this.columns.get(field.column);
      if (type !== undefined && !transformAcceptsType(field.transform, type)) {
        const typeName = type.kind === "primitive" ? type.name : type.kind;
        this.issue(at, `${field.transform} on a column of type ${PARTITION_SOURCE_TYPES[field.transform]}`, `${describeValue(expression)} on ${field.column} of type ${typeName}`);
        return;
      }
      const id = `${field.transform}|${field.param ?? ""}|${field.column}`;
      const duplicate = seen.get(id);
      if (duplicate !== undefined) {
        this.issue(at, `a partition field not already given (partition[${duplicate}])`, describeValue(expression));
        return;
      }
      seen.set(id, index);
      if (["year", "month", "day", "hour"].includes(field.transform)) {
        const other = timeTransformOn.get(field.column);
        // Spec writers (and pyiceberg) reject redundant time partitions of one column.
        if (other !== undefined) this.issue(at, `at most one of year/month/day/hour per column (partition[${other}] already uses ${field.column})`, describeValue(expression));
        else timeTransformOn.set(field.column, index);
      }
    });
  }

  private checkWrite(params: Readonly<Record<string, string>> | "defer"): void {
    const dedupe = this.spec["dedupe"];
    if (isObj(dedupe) && dedupe["against"] !== undefined && this.spec["key"] === undefined) {
      this.issue(["dedupe", "against"], 'a "key" to look up in the table for against: table', "a spec without key");
    }
    const write = this.spec["write"];
    if (!isObj(write)) return;
    const mode = write["mode"] ?? "append";
    if (mode === "merge" && this.spec["key"] === undefined) {
      this.issue(["write", "mode"], 'a "key" to match rows on for mode: merge', "a spec without key");
    }
    this.columnRefs(["write", "sortBy"], write["sortBy"]);
    const filter = write["filter"];
    if (isObj(filter)) {
      if (mode !== "overwrite" && mode !== "replace-partitions") {
        this.issue(["write", "filter"], "a filter only with mode: overwrite or replace-partitions", `mode: ${String(mode)}`);
      }
      for (const [column, value] of Object.entries(filter)) {
        this.columnRef(["write", "filter", column], /^(?:year|month|day)\((.+)\)$/.exec(column)?.[1] ?? column);
        const texts = isObj(value) ? Object.values(value).flat() : [value];
        for (const text of texts) {
          if (!isStr(text) || params === "defer") continue;
          for (const name of substituteParams(text, params).missing) {
            this.issue(["write", "filter", column], `a value for the placeholder {${name}} (pass params: { ${name}: "…" } or --param ${name}=…)`, "none");
          }
        }
      }
    }
    if (write["deleteMarker"] !== undefined && mode !== "merge") {
      this.issue(["write", "deleteMarker"], "a delete marker only with mode: merge", `mode: ${String(mode)}`);
    }
  }

  private checkValidate(): void {
    const rules = this.spec["validate"];
    if (!Array.isArray(rules)) return;
    rules.forEach((rule: unknown, index) => {
      if (!isObj(rule)) return;
      const at: SpecPathSegment[] = ["validate", index];
      if (Array.isArray(rule["notNull"])) this.columnRefs([...at, "notNull"], rule["notNull"]);
      const unique = rule["unique"];
      if (Array.isArray(unique)) {
        unique.forEach((item: unknown, i) => (Array.isArray(item) ? this.columnRefs([...at, "unique", i], item) : this.columnRef([...at, "unique", i], item)));
      }
      this.checkBounds([...at, "rowCount"], rule["rowCount"]);
      for (const name of ["range", "allowed", "pattern", "length", "freshness", "referential"] as const) {
        const args = rule[name];
        if (!isObj(args)) continue;
        const type = this.columnRef([...at, name, "column"], args["column"]);
        const typeName = type === undefined ? undefined : type.kind === "primitive" ? type.name : type.kind;
        if (name === "range" || name === "length") this.checkBounds([...at, name], args);
        if (name === "pattern" && isStr(args["regex"])) {
          try {
            new RegExp(args["regex"]);
          } catch (error) {
            this.issue([...at, name, "regex"], "a valid regular expression", `${describeValue(args["regex"])} (${(error as Error).message})`);
          }
        }
        const accepted = RULE_COLUMN_TYPES[name];
        if (accepted && typeName !== undefined && !accepted.includes(typeName)) {
          this.issue([...at, name, "column"], `a column of type ${accepted.join(" or ")} for ${name}`, `"${String(args["column"])}" of type ${typeName}`);
        }
      }
    });
  }

  private checkBounds(segments: readonly SpecPathSegment[], value: unknown): void {
    if (!isObj(value)) return;
    const { min, max } = value;
    const comparable = (typeof min === "number" && typeof max === "number") || (isStr(min) && isStr(max));
    if (comparable && (min as number | string) > (max as number | string)) {
      this.issue([...segments, "max"], `a max not below min (${describeValue(min)})`, describeValue(max));
    }
  }

  private checkPii(): void {
    const pii = this.spec["pii"];
    if (!isObj(pii)) return;
    this.columnRef(["pii", "subject"], pii["subject"]);
    const retention = pii["retention"];
    const [at, column]: [SpecPathSegment[], unknown] = isObj(retention) ? [["pii", "retention", "column"], retention["column"]] : [["pii", "retentionColumn"], pii["retentionColumn"]];
    if (isObj(retention) && pii["retentionColumn"] !== undefined) this.issue(["pii", "retentionColumn"], "no retentionColumn beside retention { after, column }", describeValue(pii["retentionColumn"]));
    if (retention === undefined && pii["retentionColumn"] !== undefined) this.issue(["pii", "retention"], 'a retention duration such as "365d" for retentionColumn', "none");
    const type = this.columnRef(at, column);
    const typeName = type === undefined ? undefined : type.kind === "primitive" ? type.name : type.kind;
    if (typeName !== undefined && !RETENTION_COLUMN_TYPES.includes(typeName)) {
      this.issue(at, `a column of type ${RETENTION_COLUMN_TYPES.join(" or ")} for retention`, `"${String(column)}" of type ${typeName}`);
    }
    if (pii["separate"] === true && Array.isArray(this.spec["columns"])) {
      const tagged = (this.spec["columns"] as unknown[]).some((column) => isObj(column) && column["pii"] !== undefined);
      if (!tagged) this.issue(["pii", "separate"], "at least one column with a pii tag to separate", "no pii-tagged column");
    }
  }

  private checkSchedule(): void {
    const schedule = this.spec["schedule"];
    if (!isObj(schedule)) return;
    const cron = schedule["cron"];
    if (isStr(cron) && !isCron(cron)) {
      this.issue(["schedule", "cron"], 'a cron expression of 5 fields such as "0 17 * * *", or @hourly, @daily, @weekly, @monthly, @yearly', describeValue(cron));
    }
    const start = schedule["start"];
    if (isStr(start) && /^\d{4}-\d{2}-\d{2}([T ].+)?$/.test(start) && !isRealDate(start)) {
      this.issue(["schedule", "start"], 'a valid date such as "2024-01-01"', describeValue(start));
    }
  }
}

/** Column types a rule accepts, for rules that do not work on every type. */
const RULE_COLUMN_TYPES: Readonly<Record<string, readonly string[]>> = {
  pattern: ["string"],
  length: ["string", "binary", "fixed"],
  freshness: ["date", "timestamp", "timestamptz"],
};

/** Column types retention can count from. */
const RETENTION_COLUMN_TYPES: readonly string[] = ["date", "timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns"];

const CRON_PRESETS = new Set(["@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually"]);
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

function isCron(text: string): boolean {
  const trimmed = text.trim();
  if (CRON_PRESETS.has(trimmed)) return true;
  const fields = trimmed.split(/\s+/);
  return fields.length === 5 && fields.every((field) => CRON_FIELD.test(field));
}

/** True when the date part exists on the calendar (not 2024-02-31) and any time part parses. */
function isRealDate(text: string): boolean {
  const day = text.slice(0, 10);
  const parsed = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) return false;
  return text.length === 10 || !Number.isNaN(Date.parse(text.replace(" ", "T")));
}
