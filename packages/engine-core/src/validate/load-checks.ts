// The checks of one load, plugged into the load's two phases: quarantine accounting and `pre`
// rules on the staged batch, `post` rules on the table about to be committed; then, whatever
// happened, the audit rows and (on failure) the `onFailure` callback and the webhook.

import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { EngineError, SourceError } from "../errors.js";
import { quoteString } from "../internal/sql.js";
import type { LoadPhases, PhaseOutcome, PostValidationContext, PreValidationContext } from "../load/phases.js";
import { PROVENANCE_COLUMN } from "../source/read-sql.js";
import { displayPath } from "../source/paths.js";
import { LINE_COLUMN } from "../source/quarantine-json.js";
import type { QuarantineRead } from "../source/quarantine.js";
import type { TableSpec } from "../spec/table-spec.js";
import { AUDIT_TABLE, appendValidationResults } from "../audit/validation-results.js";
import { sendWebhook } from "../audit/alerts.js";
import type { ValidationOutcome } from "./outcome.js";
import { phaseOf, runValidations, throwIfFailed } from "./run-validations.js";
import { tableRelationResolver } from "./table-views.js";

/** The report handed to `onFailure` and POSTed to `alerts.webhook` when a load fails. */
export interface LoadFailureReport {
  readonly table: string;
  /** Absent when the load failed before its id was known (the source could not be read). */
  readonly loadId?: string;
  readonly error: { readonly name: string; readonly code: string; readonly message: string };
  /** Every validation outcome of the load, passed and failed. */
  readonly outcomes: readonly ValidationOutcome[];
  readonly rowsRejected: number;
  /** The rejects file, when rows were quarantined. */
  readonly rejectsFile?: string;
  /** When the load ran (ISO 8601). */
  readonly runTs: string;
}

/** Options of the checks of one load. */
export interface LoadChecksOptions {
  /** The warehouse root: rejects go to `<warehouse>/_engine/rejects/…`. */
  readonly warehouse: string;
  /** The run time: freshness is measured against it and audit rows carry it (default: now). */
  readonly now?: Date;
  /** Called with the report when the load fails; its own errors are ignored. */
  readonly onFailure?: (report: LoadFailureReport) => void | Promise<void>;
  /** Append outcomes to `_engine.validation_results` (default true). */
  readonly audit?: boolean;
}

/**
 * The validation side of one load: pass `phases` to `runLoad`, then call `finish` with the
 * result or the error, which writes the audit rows and sends failure alerts.
 *
 * ```ts
 * const checks = new LoadChecks(db, catalog, spec, { warehouse });
 * try { const r = await runLoad(db, catalog, spec, { warehouse, phases: checks.phases }); await checks.finish({ snapshotId: r.snapshotId }); }
 * catch (e) { await checks.finish({ error: e }); throw e; }
 * ```
 */
export class LoadChecks {
  /** Every outcome so far, in the order the rules ran. */
  readonly outcomes: ValidationOutcome[] = [];
  rowsRejected = 0;
  rejectsFile: string | undefined;
  loadId: string | undefined;
  private quarantine: QuarantineRead | undefined;
  private disposeSource: (() => Promise<void>) | undefined;
  private readonly now: Date;

  constructor(
    private readonly session: DuckDbSession,
    private readonly catalog: Catalog,
    private readonly spec: TableSpec,
    private readonly options: LoadChecksOptions,
  ) {
    this.now = options.now ?? new Date();
  }

  /** The hooks `runLoad` calls. */
  get phases(): LoadPhases {
    return { pre: (ctx) => this.pre(ctx), post: (ctx) => this.post(ctx) };
  }

  /** Quarantine accounting, then the `pre` rules over the staged batch. */
  async pre(ctx: PreValidationContext): Promise<PhaseOutcome> {
    this.loadId = ctx.loadId;
    this.quarantine = ctx.source?.quarantine;
    this.disposeSource = ctx.source?.dispose;
    if (this.quarantine) await this.collectRejects(this.quarantine, ctx.rows);
    const outcomes = await runValidations(this.session, this.spec.validate, "pre", ctx.inputRelation, {
      now: this.now,
      columnsRelation: ctx.sourceRelation ?? '"source"',
      expectedColumns: this.spec.columns.map((c) => c.from ?? c.name).filter((c) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(c)),
      hiddenColumns: [PROVENANCE_COLUMN, LINE_COLUMN],
      resolveTable: tableRelationResolver(this.session, this.catalog),
      // The staged batch keeps one row per key: `unique` over the key holds without a query.
      ...(ctx.plan?.dedupe && ctx.plan.dedupe.keep !== "exact" ? { uniqueKey: ctx.plan.dedupe.key } : {}),
    });
    this.outcomes.push(...outcomes);
    throwIfFailed(outcomes, this.outcomes);
    return { outcomes, rowsRejected: this.rowsRejected };
  }

  /** The `post` rules over the table as it will be after the commit. */
  async post(ctx: PostValidationContext): Promise<PhaseOutcome> {
    this.loadId = ctx.loadId;
    if (!this.spec.validate.some((r) => phaseOf(r) === "post")) return { outcomes: [] };
    const relation = `(${await ctx.tableAfterSql()})`;
    const outcomes = await runValidations(this.session, this.spec.validate, "post", relation, {
      now: this.now,
      expectedColumns: this.spec.columns.map((c) => c.name),
      resolveTable: tableRelationResolver(this.session, this.catalog),
    });
    this.outcomes.push(...outcomes);
    throwIfFailed(outcomes, this.outcomes);
    return { outcomes };
  }

  /**
   * Ends the load's checks: appends every outcome to `_engine.validation_results` (with the
   * snapshot id when committed) and, when the load failed, calls `onFailure` and POSTs the
   * webhook. Never throws: the load's own result or error is what the caller reports.
   */
  async finish(end: { snapshotId?: bigint; loadId?: string; error?: unknown }): Promise<void> {
    await this.quarantine?.dispose(this.session);
    await this.disposeSource?.().catch(() => undefined);
    const loadId = end.loadId ?? this.loadId;
    if (this.options.audit !== false && this.outcomes.length > 0 && this.spec.table !== AUDIT_TABLE) {
      try {
        await appendValidationResults(this.session, this.catalog, this.options.warehouse, this.outcomes.map((o) => ({
          load_id: loadId ?? "",
          table_name: this.spec.table,
          snapshot_id: end.error === undefined && end.snapshotId !== undefined ? end.snapshotId : null,
          phase: o.phase,
          rule: o.rule,
          path: o.path,
          severity: o.severity,
          passed: o.passed,
          observed: o.observed === null ? null : String(o.observed),
          message: o.message,
          run_ts: this.now.toISOString(),
        })));
      } catch (error) {
        process.emitWarning(`validate: could not append to ${AUDIT_TABLE}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (end.error === undefined) return;
    const e = end.error;
    const report: LoadFailureReport = {
      table: this.spec.table,
      ...(loadId !== undefined ? { loadId } : {}),
      error: {
        name: e instanceof Error ? e.name : "Error",
        code: e instanceof EngineError ? e.code : "LOAD_FAILED",
        message: e instanceof Error ? e.message : String(e),
      },
      outcomes: [...this.outcomes],
      rowsRejected: this.rowsRejected,
      ...(this.rejectsFile !== undefined ? { rejectsFile: this.rejectsFile } : {}),
      runTs: this.now.toISOString(),
    };
    if (this.options.onFailure) {
      try { await this.options.onFailure(report); } catch { /* a failing callback must not hide the load's error */ }
    }
    if (this.spec.alerts?.webhook) await sendWebhook(this.spec.alerts.webhook, report, { timeoutMs: this.spec.alerts.timeoutMs ?? 5000 });
  }

  /** Counts the rejected rows, writes them to the rejects file, and fails past the policy's limits. */
  private async collectRejects(q: QuarantineRead, rowsKept: number): Promise<void> {
    const summary = (await this.session.query(
      `SELECT count(*) AS n, arg_min(file || ':' || line || ': ' || reason, (file, line)) AS first FROM (${q.rejectsSql})`,
    )).rowObjectsJson()[0] ?? {};
    const n = Number(summary["n"] ?? 0);
    this.rowsRejected = n;
    if (n === 0) return;
    const file = path.join(this.options.warehouse, "_engine", "rejects", this.spec.table, `${this.loadId ?? "unknown"}.ndjson`);
    await mkdir(path.dirname(file), { recursive: true });
    await this.session.run(`COPY (SELECT file, line, raw, reason FROM (${q.rejectsSql}) ORDER BY file, line) TO ${quoteString(file)} (FORMAT json)`);
    this.rejectsFile = file;
    const total = n + rowsKept;
    const percent = (n * 100) / total;
    const { maxRows, maxPercent } = q.policy;
    const first = String(summary["first"] ?? "");
    const firstShown = first.startsWith("/") ? displayPath(first.slice(0, first.indexOf(":"))) + first.slice(first.indexOf(":")) : first;
    const over = maxRows !== undefined && n > maxRows ? `more than maxRows ${maxRows}`
      : maxPercent !== undefined && percent > maxPercent ? `more than maxPercent ${maxPercent}%`
      : undefined;
    if (over) {
      throw new SourceError(
        `source: ${n} of ${total} rows rejected (${percent.toFixed(1)}%), ${over} allowed by onError.quarantine (first: ${firstShown}); rejects in ${displayPath(file)}`,
        { context: { rowsRejected: n, rows: total, rejectsFile: file, maxRows, maxPercent } },
      );
    }
  }
}
