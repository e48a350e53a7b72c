import type { DuckDbSession } from "../duckdb/session.js";
import { ValidationFailedError } from "../errors.js";
import type { ValidationRuleSpec } from "../spec/table-spec.js";
import type { ValidationOutcome, ValidationPhase } from "./outcome.js";
import { compileRule, type RuleSqlContext } from "./rule-sql.js";

/**
 * The phase a rule runs in when the spec does not say. Row rules (columns, notNull, unique,
 * range, allowed, pattern, length, referential) run `pre`, on the staged, cast and deduped
 * input, because they judge the rows this load brings and fail before anything is written.
 * `rowCount`, `freshness` and `sql` run `post`, on the table state about to be committed,
 * because they state facts about the table (how many rows it holds, how recent its data is,
 * what a query over it returns). `referential` is `pre` since the rows already in the table
 * were checked when they were loaded; write `phase: post` to re-check every live row.
 */
export function defaultPhase(rule: string): ValidationPhase {
  return rule === "rowCount" || rule === "freshness" || rule === "sql" ? "post" : "pre";
}

/** The phase a spec rule runs in. */
export function phaseOf(rule: ValidationRuleSpec): ValidationPhase {
  return rule.phase ?? defaultPhase(rule.rule);
}

/** What `runValidations` needs besides the rules and the relation. */
export interface ValidationContext {
  /** The run time freshness is measured against (default: now). */
  readonly now?: Date;
  /** The relation whose column names `columns` checks (default: the checked relation). */
  readonly columnsRelation?: string;
  /** Source column names the spec expects in order (for `columns`); default: the relation's own. */
  readonly expectedColumns?: readonly string[];
  /** Column names `columns` ignores (reader provenance columns). */
  readonly hiddenColumns?: readonly string[];
  /**
   * Makes another Engine table queryable and returns a relation expression for it, or
   * undefined when it does not exist (for `referential`). See `tableRelationResolver`.
   */
  readonly resolveTable?: (name: string) => Promise<string | undefined>;
  /**
   * The relation holds one row per this key (the load's `keep: latest|first` dedupe): a
   * `unique` rule over it (or a superset) passes without a query, its message saying so.
   */
  readonly uniqueKey?: readonly string[];
}

/**
 * Runs the rules of one phase against a relation, each rule as one DuckDB query, and returns
 * one outcome per check (passed or not). Never throws for a failing rule: see
 * `throwIfFailed`. A rule whose query cannot run (bad custom SQL) is a failed outcome.
 *
 * ```ts
 * const outcomes = await runValidations(db, spec.validate, "pre", '"__engine_rows"', { now: new Date() });
 * throwIfFailed(outcomes);
 * ```
 */
export async function runValidations(
  session: DuckDbSession,
  rules: readonly ValidationRuleSpec[],
  phase: ValidationPhase,
  relationSql: string,
  context: ValidationContext = {},
): Promise<ValidationOutcome[]> {
  const selected = rules.filter((r) => phaseOf(r) === phase);
  if (selected.length === 0) return [];
  const tables = new Map<string, string | undefined>();
  for (const r of selected) {
    if (r.rule !== "referential") continue;
    const name = String((r.args as { table: string }).table);
    if (!tables.has(name)) tables.set(name, context.resolveTable ? await context.resolveTable(name) : undefined);
  }
  const ctx: RuleSqlContext = {
    relation: relationSql,
    columnsRelation: context.columnsRelation ?? relationSql,
    expectedColumns: context.expectedColumns ?? [],
    now: context.now ?? new Date(),
    tables,
    hiddenColumns: context.hiddenColumns ?? [],
    ...(context.uniqueKey ? { uniqueKey: context.uniqueKey } : {}),
  };
  const outcomes: ValidationOutcome[] = [];
  for (const rule of selected) {
    for (const check of compileRule(rule, ctx)) {
      const base = { rule: rule.rule, path: check.path, phase, severity: rule.severity };
      let row: Record<string, unknown> = {};
      if (check.sql !== undefined) {
        try {
          row = (await session.query(check.sql)).rowObjectsJson()[0] ?? {};
        } catch (error) {
          const reason = (error instanceof Error ? error.message : String(error)).replace(/^duckdb: /, "").split("\n")[0];
          outcomes.push({ ...base, passed: false, observed: null, failingExamples: [], message: `${check.path} ${check.label}: query failed: ${reason}` });
          continue;
        }
      }
      const v = check.judge(row);
      outcomes.push({ ...base, passed: v.passed, observed: v.observed, failingExamples: v.failingExamples, message: `${check.path} ${check.label}: ${v.detail}` });
    }
  }
  return outcomes;
}

/** The outcomes that stop a load: failed with severity `error`. */
export function blockingFailures(outcomes: readonly ValidationOutcome[]): ValidationOutcome[] {
  return outcomes.filter((o) => !o.passed && o.severity === "error");
}

/**
 * Throws `ValidationFailedError` when an `error` rule failed; the message lists each failure
 * (`validate[2] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42)`), the error
 * carries `all` (default: `outcomes`) so that passed and warned rules are reported too.
 */
export function throwIfFailed(outcomes: readonly ValidationOutcome[], all: readonly ValidationOutcome[] = outcomes): void {
  const failed = blockingFailures(outcomes);
  if (failed.length === 0) return;
  throw new ValidationFailedError(`validate: ${failed.map((o) => o.message).join("; ")}`, {
    outcomes: all,
    context: { failed: failed.map((o) => o.path) },
  });
}
