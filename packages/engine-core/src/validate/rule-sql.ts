// Compiles each validation rule to ONE DuckDB query over a relation and judges its single result
// row. Only counts, aggregates and at most five example values come back to JavaScript.

import { parseDuration } from "../spec/duration.js";
import { quoteIdent, quoteString } from "../internal/sql.js";
import type { ValidationRuleSpec } from "../spec/table-spec.js";

/** How many failing values a rule reports. */
export const MAX_EXAMPLES = 5;

/** What compiling a rule needs besides the rule. */
export interface RuleSqlContext {
  /** The relation the rule checks: a quoted name or a parenthesized query. */
  readonly relation: string;
  /** The relation whose column names the `columns` rule checks (the staged source in `pre`). */
  readonly columnsRelation: string;
  /** Source column names the spec expects, in spec order (`from` or name). */
  readonly expectedColumns: readonly string[];
  /** The run time freshness is measured against. */
  readonly now: Date;
  /** Relation expressions of referenced tables, by table name (absent: the table does not exist). */
  readonly tables: ReadonlyMap<string, string | undefined>;
  /** Names hidden from the `columns` rule (provenance columns the reader adds). */
  readonly hiddenColumns: readonly string[];
  /** The relation holds one row per this key (the load deduped by it): `unique` over it or a superset of it needs no query. */
  readonly uniqueKey?: readonly string[];
}

/** The verdict on a rule's result row. */
export interface RuleVerdict {
  readonly passed: boolean;
  readonly observed: number | string | null;
  readonly failingExamples: readonly string[];
  /** The message without the `validate[i] rule(args): ` prefix. */
  readonly detail: string;
}

/** A rule compiled to one query. */
export interface CompiledRule {
  /** The path of the check, `validate[2]` or `validate[2].unique[1]`. */
  readonly path: string;
  /** `unique(order_id)`, `rowCount`, … as shown in messages. */
  readonly label: string;
  /** One statement returning exactly one row; undefined when the rule is judged without a query. */
  readonly sql?: string;
  judge(row: Readonly<Record<string, unknown>>): RuleVerdict;
}

type Obj = Readonly<Record<string, unknown>>;

/** Compiles one spec rule into its checks (one per key set for `unique`, else one). */
export function compileRule(rule: ValidationRuleSpec, ctx: RuleSqlContext): CompiledRule[] {
  const args = rule.args as Obj;
  switch (rule.rule) {
    case "columns": return [columnsRule(rule, args as unknown as string, ctx)];
    case "notNull": return [notNullRule(rule, rule.args as string[], ctx)];
    case "unique": {
      const sets = rule.args as string[][];
      return sets.map((set, i) => uniqueRule(sets.length === 1 ? rule.path : `${rule.path}.unique[${i}]`, set, ctx));
    }
    case "rowCount": return [rowCountRule(rule, args, ctx)];
    case "range": return [rangeRule(rule, args, ctx)];
    case "allowed": return [allowedRule(rule, args, ctx)];
    case "pattern": return [patternRule(rule, args, ctx)];
    case "length": return [lengthRule(rule, args, ctx)];
    case "freshness": return [freshnessRule(rule, args, ctx)];
    case "referential": return [referentialRule(rule, args, ctx)];
    case "sql": return [sqlRule(rule, args, ctx)];
    default:
      return [{ path: rule.path, label: rule.rule, judge: () => ({ passed: false, observed: null, failingExamples: [], detail: `unknown rule ${rule.rule}` }) }];
  }
}

/**
 * The shared shape of row rules: count the rows matching `bad` and list up to five distinct
 * failing values in their natural order. One statement; the CTE bounds what is kept.
 */
function rowPredicateSql(relation: string, bad: string, value: string): string {
  return `WITH bad AS (SELECT ${value} AS v FROM ${relation} WHERE ${bad}) `
    + `SELECT (SELECT count(*) FROM bad) AS failed, `
    + `(SELECT list(CAST(v AS VARCHAR) ORDER BY v) FROM (SELECT DISTINCT v FROM bad ORDER BY v NULLS FIRST LIMIT ${MAX_EXAMPLES})) AS examples`;
}

function examplesOf(row: Obj): string[] {
  const v = row["examples"];
  return Array.isArray(v) ? v.map((x) => (x === null ? "null" : String(x))).slice(0, MAX_EXAMPLES) : [];
}

function eg(examples: readonly string[]): string {
  return examples.length === 0 ? "" : ` (e.g. ${examples.join(", ")})`;
}

function countVerdict(row: Obj, expected: string, noun: string): RuleVerdict {
  const failed = Number(row["failed"] ?? 0);
  const examples = examplesOf(row);
  return { passed: failed === 0, observed: failed, failingExamples: failed === 0 ? [] : examples, detail: `expected ${expected}, found ${failed}${noun}${failed === 0 ? "" : eg(examples)}` };
}

function columnsRule(rule: ValidationRuleSpec, mode: string, ctx: RuleSqlContext): CompiledRule {
  const hidden = ctx.hiddenColumns.map(quoteString).join(", ");
  return {
    path: rule.path,
    label: `columns(${mode})`,
    sql: `SELECT list(column_name) AS names FROM (DESCRIBE SELECT * FROM ${ctx.columnsRelation})${hidden ? ` WHERE column_name NOT IN (${hidden})` : ""}`,
    judge(row) {
      const got = (Array.isArray(row["names"]) ? row["names"] : []).map(String);
      const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
      const gotSet = lower(got);
      const wantSet = lower(ctx.expectedColumns);
      const missing = ctx.expectedColumns.filter((c) => !gotSet.has(c.toLowerCase()));
      const extra = got.filter((c) => !wantSet.has(c.toLowerCase()));
      const sameOrder = got.length === ctx.expectedColumns.length && got.every((c, i) => c.toLowerCase() === ctx.expectedColumns[i]!.toLowerCase());
      const passed = mode === "exact" ? sameOrder : missing.length === 0;
      const diff = [missing.length ? `missing: ${missing.join(", ")}` : "", mode === "exact" && extra.length ? `extra: ${extra.join(", ")}` : "", mode === "exact" && !sameOrder && !missing.length && !extra.length ? "order differs" : ""].filter(Boolean);
      const expected = mode === "exact" ? `the columns ${ctx.expectedColumns.join(", ")} in this order` : `the columns ${ctx.expectedColumns.join(", ")} among the source's`;
      return {
        passed,
        observed: got.join(", "),
        failingExamples: passed ? [] : [...missing, ...(mode === "exact" ? extra : [])].slice(0, MAX_EXAMPLES),
        detail: passed ? `expected ${expected}, found them` : `expected ${expected}, got ${got.join(", ") || "no columns"} (${diff.join("; ")})`,
      };
    },
  };
}

function notNullRule(rule: ValidationRuleSpec, columns: readonly string[], ctx: RuleSqlContext): CompiledRule {
  return {
    path: rule.path,
    label: `notNull(${columns.join(", ")})`,
    sql: `SELECT ${columns.map((c, i) => `count(*) FILTER (WHERE ${quoteIdent(c)} IS NULL) AS c${i}`).join(", ")} FROM ${ctx.relation}`,
    judge(row) {
      const counts = columns.map((c, i) => [c, Number(row[`c${i}`] ?? 0)] as const);
      const failed = counts.reduce((n, [, k]) => n + k, 0);
      const bad = counts.filter(([, k]) => k > 0).map(([c, k]) => `${c}: ${k}`);
      return { passed: failed === 0, observed: failed, failingExamples: bad.slice(0, MAX_EXAMPLES), detail: `expected no nulls, found ${failed}${bad.length ? ` (${bad.join(", ")})` : ""}` };
    },
  };
}

function uniqueRule(path: string, columns: readonly string[], ctx: RuleSqlContext): CompiledRule {
  const label = `unique(${columns.join(", ")})`;
  const dedupeKey = ctx.uniqueKey;
  if (dedupeKey && dedupeKey.length > 0 && dedupeKey.every((k) => columns.some((c) => c.toLowerCase() === k.toLowerCase()))) {
    // One row per dedupe key, so per any superset of it: recorded as checked, without a query.
    return { path, label, judge: () => ({ passed: true, observed: 0, failingExamples: [], detail: `expected no duplicates, found 0 (guaranteed by dedupe on ${dedupeKey.join(", ")})` }) };
  }
  const cols = columns.map(quoteIdent);
  const key = columns.length === 1 ? `CAST(${cols[0]} AS VARCHAR)` : `'(' || concat_ws(', ', ${cols.map((c) => `CAST(${c} AS VARCHAR)`).join(", ")}) || ')'`;
  // Rows with a null in the key are not compared, as SQL's UNIQUE does.
  const sql = `WITH d AS (SELECT ${cols.join(", ")}, ${key} AS k, count(*) AS n FROM ${ctx.relation} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(" AND ")} GROUP BY ALL HAVING count(*) > 1) `
    + `SELECT (SELECT coalesce(sum(n - 1), 0) FROM d) AS failed, (SELECT list(k) FROM (SELECT k FROM d ORDER BY ${cols.join(", ")} LIMIT ${MAX_EXAMPLES})) AS examples`;
  return { path, label, sql, judge: (row) => countVerdict(row, "no duplicates", "") };
}

function rowCountRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const min = args["min"] as number | undefined;
  const max = args["max"] as number | undefined;
  const expected = min !== undefined && max !== undefined ? `between ${min} and ${max} rows` : min !== undefined ? `at least ${min} row${min === 1 ? "" : "s"}` : `at most ${max} row${max === 1 ? "" : "s"}`;
  return {
    path: rule.path,
    label: "rowCount",
    sql: `SELECT count(*) AS n FROM ${ctx.relation}`,
    judge(row) {
      const n = Number(row["n"] ?? 0);
      const passed = (min === undefined || n >= min) && (max === undefined || n <= max);
      return { passed, observed: n, failingExamples: [], detail: `expected ${expected}, found ${n}` };
    },
  };
}

function bound(v: unknown): string {
  return typeof v === "number" ? String(v) : quoteString(String(v));
}

function rangeRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const col = quoteIdent(String(args["column"]));
  const { min, max } = args;
  const bad = [min !== undefined ? `${col} < ${bound(min)}` : "", max !== undefined ? `${col} > ${bound(max)}` : ""].filter(Boolean).join(" OR ");
  const expected = min !== undefined && max !== undefined ? `values between ${String(min)} and ${String(max)}` : min !== undefined ? `values >= ${String(min)}` : `values <= ${String(max)}`;
  return {
    path: rule.path,
    label: `range(${String(args["column"])})`,
    sql: rowPredicateSql(ctx.relation, `${col} IS NOT NULL AND (${bad})`, col),
    judge: (row) => countVerdict(row, expected, " outside"),
  };
}

function allowedRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const col = quoteIdent(String(args["column"]));
  const values = (args["values"] as (string | number | boolean)[]);
  const list = values.map((v) => (typeof v === "string" ? quoteString(v) : String(v))).join(", ");
  return {
    path: rule.path,
    label: `allowed(${String(args["column"])})`,
    sql: rowPredicateSql(ctx.relation, `${col} IS NOT NULL AND ${col} NOT IN (${list})`, col),
    judge: (row) => countVerdict(row, `only ${values.map((v) => JSON.stringify(v)).join(", ")}`, " other"),
  };
}

function patternRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const col = quoteIdent(String(args["column"]));
  const regex = String(args["regex"]);
  return {
    path: rule.path,
    label: `pattern(${String(args["column"])})`,
    sql: rowPredicateSql(ctx.relation, `${col} IS NOT NULL AND NOT regexp_full_match(CAST(${col} AS VARCHAR), ${quoteString(regex)})`, col),
    judge: (row) => countVerdict(row, `values matching /${regex}/`, " not matching"),
  };
}

function lengthRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const col = quoteIdent(String(args["column"]));
  const len = `length(CAST(${col} AS VARCHAR))`;
  const min = args["min"] as number | undefined;
  const max = args["max"] as number | undefined;
  const bad = [min !== undefined ? `${len} < ${min}` : "", max !== undefined ? `${len} > ${max}` : ""].filter(Boolean).join(" OR ");
  const expected = min !== undefined && max !== undefined ? `lengths between ${min} and ${max}` : min !== undefined ? `lengths >= ${min}` : `lengths <= ${max}`;
  return {
    path: rule.path,
    label: `length(${String(args["column"])})`,
    sql: rowPredicateSql(ctx.relation, `${col} IS NOT NULL AND (${bad})`, col),
    judge: (row) => countVerdict(row, expected, " outside"),
  };
}

function freshnessRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const column = String(args["column"]);
  const within = String(args["within"]);
  const windowMs = parseDuration(within) ?? 0;
  const nowIso = ctx.now.toISOString();
  return {
    path: rule.path,
    label: `freshness(${column})`,
    // Epoch milliseconds keep dates, timestamps and timestamptz comparable in JS; the session zone is UTC.
    sql: `SELECT epoch_ms(CAST(max(${quoteIdent(column)}) AS TIMESTAMP)) AS latest FROM ${ctx.relation}`,
    judge(row) {
      const latest = row["latest"] === null || row["latest"] === undefined ? undefined : Number(row["latest"]);
      if (latest === undefined) return { passed: false, observed: null, failingExamples: [], detail: `expected a value within ${within} of ${nowIso}, found no values` };
      const latestIso = new Date(latest).toISOString();
      const age = ctx.now.getTime() - latest;
      const passed = age <= windowMs;
      return { passed, observed: latestIso, failingExamples: passed ? [] : [latestIso], detail: `expected a value within ${within} of ${nowIso}, latest is ${latestIso}${passed ? "" : ` (${formatAge(age)} old)`}` };
    },
  };
}

function formatAge(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  return h >= 48 ? `${Math.floor(h / 24)}d ${h % 24}h` : h >= 1 ? `${h}h ${Math.floor((ms % 3_600_000) / 60_000)}m` : `${Math.round(ms / 1000)}s`;
}

function referentialRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const column = String(args["column"]);
  const table = String(args["table"]);
  const refColumn = String(args["refColumn"] ?? column);
  const label = `referential(${column} -> ${table}.${refColumn})`;
  const ref = ctx.tables.get(table);
  if (ref === undefined) {
    return { path: rule.path, label, judge: () => ({ passed: false, observed: null, failingExamples: [], detail: `expected table ${table} to exist, found no such table` }) };
  }
  const col = quoteIdent(column);
  const bad = `${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref} AS __ref WHERE __ref.${quoteIdent(refColumn)} = __rows.${col})`;
  return {
    path: rule.path,
    label,
    sql: rowPredicateSql(`${ctx.relation} AS __rows`, bad, `__rows.${col}`),
    judge: (row) => countVerdict(row, `every value in ${table}.${refColumn}`, " missing"),
  };
}

function sqlRule(rule: ValidationRuleSpec, args: Obj, ctx: RuleSqlContext): CompiledRule {
  const body = String(args["sql"]).trim().replace(/;\s*$/, "").replaceAll("{table}", ctx.relation);
  const expect = args["expect"] ?? "empty";
  const label = "sql";
  if (expect === "empty" || expect === "nonEmpty") {
    return {
      path: rule.path,
      label,
      sql: `WITH q AS (${body}) SELECT (SELECT count(*) FROM q) AS n, (SELECT list(CAST(to_json(x) AS VARCHAR)) FROM (SELECT * FROM q LIMIT ${MAX_EXAMPLES}) AS x) AS examples`,
      judge(row) {
        const n = Number(row["n"] ?? 0);
        const examples = examplesOf(row);
        const passed = expect === "empty" ? n === 0 : n > 0;
        return { passed, observed: n, failingExamples: passed || expect === "nonEmpty" ? [] : examples, detail: `expected ${expect === "empty" ? "no rows" : "at least one row"}, found ${n}${!passed && expect === "empty" ? eg(examples) : ""}` };
      },
    };
  }
  return {
    path: rule.path,
    label,
    sql: `SELECT CAST(v AS VARCHAR) AS v, TRY_CAST(v AS DOUBLE) AS d FROM (SELECT * FROM (${body}) LIMIT 1) AS t(v)`,
    judge(row) {
      if (row["v"] === undefined) return { passed: false, observed: null, failingExamples: [], detail: `expected one value, found no rows` };
      const text = row["v"] === null ? null : String(row["v"]);
      const num = row["d"] === null || row["d"] === undefined ? undefined : Number(row["d"]);
      let passed: boolean;
      let expected: string;
      if (expect !== null && typeof expect === "object") {
        const { min, max } = expect as { min?: number; max?: number };
        passed = num !== undefined && (min === undefined || num >= min) && (max === undefined || num <= max);
        expected = min !== undefined && max !== undefined ? `a value between ${min} and ${max}` : min !== undefined ? `a value >= ${min}` : `a value <= ${max}`;
      } else {
        passed = typeof expect === "number" ? num === expect : typeof expect === "boolean" ? text === String(expect) : text === String(expect);
        expected = `the value ${JSON.stringify(expect)}`;
      }
      return { passed, observed: num !== undefined && String(num) === text ? num : text, failingExamples: [], detail: `expected ${expected}, found ${text === null ? "null" : text}` };
    },
  };
}
