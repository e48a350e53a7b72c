// The spec's validation rules as SQL checks for engines other than DuckDB: each check is ONE
// query over a relation returning one row `(failed, observed)`; `failed > 0` fails the rule.
// The Spark dialect runs inside the Glue load script; the Athena (Trino) subclass overrides the
// dialect hooks for the Python-shell validate job. Rules these dialects cannot express yet
// (freshness, referential, columns outside Spark) compile to a check without SQL that reports
// itself as skipped.

import { parseSpecType } from "../internal/type-parse.js";
import type { TableSpec, ValidationRuleSpec } from "../spec/table-spec.js";
import { defaultPhase } from "../validate/run-validations.js";
import type { IcebergType } from "@engine/iceberg";
import { quoteSpark, sparkString, sparkType } from "./spark-compiler.js";

/** One compiled rule (or one key set of a `unique` rule). */
export interface RuleCheck {
  readonly path: string;
  readonly label: string;
  readonly severity: "error" | "warn";
  readonly phase: "pre" | "post";
  /** What passing means, for messages: `no nulls`, `between 1 and 10 rows`. */
  readonly expected: string;
  /** One row `(failed, observed)`; absent when this engine skips the rule (see `skipped`). */
  readonly sql?: string;
  /** Why the rule is not run on this engine. */
  readonly skipped?: string;
}

type Obj = Readonly<Record<string, unknown>>;

/** Compiles rules to Spark SQL checks; subclasses override the dialect hooks. */
export class SparkRuleCompiler {
  /** True when the caller checks the `columns` rule itself (the Glue script does, on the staged source). */
  constructor(readonly columnsInScript = false) {}

  /** Compiles every rule of the spec for `relation` (a quoted name or parenthesized query). */
  compileAll(spec: TableSpec, relation: string): RuleCheck[] {
    return spec.validate.flatMap((rule) => this.compile(rule, relation, spec));
  }

  /** Compiles one rule into its checks. */
  compile(rule: ValidationRuleSpec, relation: string, spec: TableSpec): RuleCheck[] {
    const base = { severity: rule.severity, phase: rule.phase ?? defaultPhase(rule.rule) };
    const args = rule.args as Obj;
    const col = (name: unknown): string => this.quote(String(name));
    const one = (label: string, expected: string, sql: string): RuleCheck[] => [{ path: rule.path, label, expected, sql, ...base }];
    switch (rule.rule) {
      case "notNull": {
        const columns = rule.args as string[];
        const failed = columns.map((c) => `count_if(${col(c)} IS NULL)`).join(" + ");
        return one(`notNull(${columns.join(", ")})`, "no nulls", `SELECT ${failed} AS failed, ${failed} AS observed FROM ${relation}`);
      }
      case "unique":
        return (rule.args as string[][]).map((set, i, sets) => {
          const cols = set.map(col);
          const dups = `SELECT count(*) AS n FROM ${relation} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(" AND ")} GROUP BY ${cols.join(", ")} HAVING count(*) > 1`;
          return {
            path: sets.length === 1 ? rule.path : `${rule.path}.unique[${i}]`, label: `unique(${set.join(", ")})`, expected: "no duplicates", ...base,
            sql: `SELECT coalesce(sum(n - 1), 0) AS failed, coalesce(sum(n - 1), 0) AS observed FROM (${dups}) AS d`,
          };
        });
      case "rowCount": {
        const { min, max } = args as { min?: number; max?: number };
        const bad = [min !== undefined ? `count(*) < ${min}` : "", max !== undefined ? `count(*) > ${max}` : ""].filter(Boolean).join(" OR ");
        const expected = min !== undefined && max !== undefined ? `between ${min} and ${max} rows` : min !== undefined ? `at least ${min} rows` : `at most ${max} rows`;
        return one("rowCount", expected, `SELECT CASE WHEN ${bad} THEN 1 ELSE 0 END AS failed, count(*) AS observed FROM ${relation}`);
      }
      case "range": {
        const c = col(args["column"]);
        const type = this.columnType(spec, String(args["column"]));
        const { min, max } = args;
        const bad = [min !== undefined ? `${c} < ${this.bound(min, type)}` : "", max !== undefined ? `${c} > ${this.bound(max, type)}` : ""].filter(Boolean).join(" OR ");
        return this.countIf(rule, base, `range(${String(args["column"])})`, `values between ${String(min ?? "-inf")} and ${String(max ?? "+inf")}`, relation, `${c} IS NOT NULL AND (${bad})`);
      }
      case "allowed": {
        const c = col(args["column"]);
        const values = (args["values"] as (string | number | boolean)[]).map((v) => (typeof v === "string" ? this.string(v) : String(v)));
        return this.countIf(rule, base, `allowed(${String(args["column"])})`, `only ${values.join(", ")}`, relation, `${c} IS NOT NULL AND ${c} NOT IN (${values.join(", ")})`);
      }
      case "pattern": {
        const c = col(args["column"]);
        const regex = String(args["regex"]);
        // Full match, as the local engine's regexp_full_match: regexp_like finds, so anchor it.
        return this.countIf(rule, base, `pattern(${String(args["column"])})`, `values matching /${regex}/`, relation, `${c} IS NOT NULL AND NOT regexp_like(CAST(${c} AS ${this.textType()}), ${this.string(`^(?:${regex})$`)})`);
      }
      case "length": {
        const c = col(args["column"]);
        const len = `length(CAST(${c} AS ${this.textType()}))`;
        const { min, max } = args as { min?: number; max?: number };
        const bad = [min !== undefined ? `${len} < ${min}` : "", max !== undefined ? `${len} > ${max}` : ""].filter(Boolean).join(" OR ");
        return this.countIf(rule, base, `length(${String(args["column"])})`, `lengths between ${String(min ?? 0)} and ${String(max ?? "any")}`, relation, `${c} IS NOT NULL AND (${bad})`);
      }
      case "sql": {
        const { sql, expect } = args as { sql: string; expect: unknown };
        if (expect !== "empty" && expect !== "nonEmpty") break;
        const body = sql.trim().replace(/;\s*$/, "").replaceAll("{table}", relation);
        const failed = expect === "empty" ? "count(*) > 0" : "count(*) = 0";
        return one("sql", expect === "empty" ? "no rows" : "at least one row", `SELECT CASE WHEN ${failed} THEN 1 ELSE 0 END AS failed, count(*) AS observed FROM (${body}) AS q`);
      }
    }
    if (rule.rule === "columns" && this.columnsInScript) return [];
    return [{ path: rule.path, label: rule.rule, expected: "", ...base, skipped: `rule ${rule.rule}${rule.rule === "sql" ? " with a value expectation" : ""} is not run by this engine yet` }];
  }

  private countIf(rule: ValidationRuleSpec, base: { severity: "error" | "warn"; phase: "pre" | "post" }, label: string, expected: string, relation: string, bad: string): RuleCheck[] {
    return [{ path: rule.path, label, expected, ...base, sql: `SELECT count_if(${bad}) AS failed, count_if(${bad}) AS observed FROM ${relation}` }];
  }

  private columnType(spec: TableSpec, name: string): IcebergType | undefined {
    const c = spec.columns.find((x) => x.name === name);
    try {
      return c ? parseSpecType(c.type) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A range bound: numbers as they are, text cast to the column's type (Trino does not compare timestamps with text). */
  bound(value: unknown, type: IcebergType | undefined): string {
    if (typeof value === "number") return String(value);
    const text = this.string(String(value));
    return type === undefined ? text : `CAST(${text} AS ${this.typeName(type)})`;
  }

  /** Hook: identifier quoting. */
  quote(name: string): string {
    return quoteSpark(name);
  }

  /** Hook: a string literal (Spark processes backslash escapes in literals). */
  string(value: string): string {
    return sparkString(value);
  }

  /** Hook: the text type for CAST. */
  textType(): string {
    return "string";
  }

  /** Hook: the engine's type name. */
  typeName(type: IcebergType): string {
    return sparkType(type);
  }
}

/** The same checks in Athena's (Trino) dialect, for the validate job. */
export class AthenaRuleCompiler extends SparkRuleCompiler {
  override quote(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  override string(value: string): string {
    return `'${value.replaceAll("'", "''")}'`;
  }

  override textType(): string {
    return "varchar";
  }

  override typeName(type: IcebergType): string {
    if (type.kind === "primitive") {
      switch (type.name) {
        case "timestamp": case "timestamp_ns": return "timestamp(6)";
        case "timestamptz": case "timestamptz_ns": return "timestamp(6) with time zone";
        case "string": case "uuid": return "varchar";
        case "binary": return "varbinary";
        case "int": return "integer";
        default: break;
      }
    }
    if (type.kind === "fixed") return "varbinary";
    return super.typeName(type);
  }
}
