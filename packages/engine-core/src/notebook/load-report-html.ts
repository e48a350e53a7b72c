// A load's run report as a notebook shows it: status, counts, stage times and the validation
// outcomes coloured pass / warn / fail. Typed structurally so that a report read back from
// `engine load --json` (bigints as strings) renders too.

import {
  escapeHtml, formatBytes, formatCount, formatDuration, htmlTable, NULL_HTML, OUTCOME_STYLE, type HtmlCell, type Outcome,
} from "./html.js";

/** One validation outcome, as in `LoadResult.validations`. */
export interface ValidationOutcomeLike {
  readonly rule: string;
  readonly path: string;
  readonly phase?: string;
  readonly severity: "error" | "warn";
  readonly passed: boolean;
  readonly observed?: number | string | bigint | null;
  readonly failingExamples?: readonly string[];
  readonly message: string;
}

/** What the report renderer reads of a `LoadResult`; every count but the basic ones is optional. */
export interface LoadReportLike {
  readonly table: string;
  readonly loadId: string;
  readonly status?: string;
  readonly mode?: string;
  readonly snapshotId?: bigint | string;
  readonly rowsRead: number;
  readonly duplicatesDropped: number;
  readonly rowsRejected?: number;
  readonly rowsInserted?: number;
  readonly rowsUpdated?: number;
  readonly rowsDeleted?: number;
  readonly rowsStale?: number;
  readonly rowsWritten: number;
  readonly filesWritten: number;
  readonly bytesWritten: number;
  readonly filesRemoved?: number;
  readonly validations?: readonly ValidationOutcomeLike[];
  readonly durationMs: number;
  readonly stages: readonly { readonly name: string; readonly ms: number }[];
  readonly message?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Whether `value` looks like a load's run report (a `LoadResult`). */
export function isLoadReport(value: unknown): value is LoadReportLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v["table"] === "string" && typeof v["loadId"] === "string" && typeof v["rowsRead"] === "number" && Array.isArray(v["stages"]);
}

const COUNTS: readonly [keyof LoadReportLike, string][] = [
  ["rowsRead", "rows read"],
  ["duplicatesDropped", "duplicates dropped"],
  ["rowsRejected", "rejected"],
  ["rowsInserted", "inserted"],
  ["rowsUpdated", "updated"],
  ["rowsDeleted", "deleted"],
  ["rowsStale", "stale"],
  ["rowsWritten", "rows written"],
  ["filesWritten", "files written"],
  ["filesRemoved", "files removed"],
];

/** The outcome class of one validation: passed, failed as a warning, or failed. */
export function validationOutcome(v: Pick<ValidationOutcomeLike, "passed" | "severity">): Outcome {
  return v.passed ? "pass" : v.severity === "warn" ? "warn" : "fail";
}

function statusOutcome(status: string | undefined, report: LoadReportLike): Outcome {
  if (status === "failed" || report.error) return "fail";
  if (status === "skipped") return "warn";
  return "pass";
}

const badge = (text: string, outcome: Outcome): string =>
  `<span style="${OUTCOME_STYLE[outcome]};padding:1px 6px;border-radius:3px;font-weight:bold">${escapeHtml(text)}</span>`;

/**
 * Renders a load's run report as HTML.
 *
 * ```ts
 * const result = await engine.load("specs/sales/orders.yaml");
 * display(result); // or: tslab.display.html(loadReportHtml(result))
 * ```
 */
export function loadReportHtml(report: LoadReportLike): string {
  const status = report.status ?? (report.snapshotId !== undefined ? "committed" : "no change");
  const facts = [
    report.mode !== undefined ? `mode ${report.mode}` : undefined,
    report.snapshotId !== undefined ? `snapshot ${String(report.snapshotId)}` : undefined,
    `${formatDuration(report.durationMs)}`,
    `${formatBytes(report.bytesWritten)} written`,
  ].filter((x): x is string => x !== undefined);
  // Load ids are 64-hex hashes: show a prefix, keep the whole id in the tooltip.
  const loadId = report.loadId.length > 16 ? `${report.loadId.slice(0, 12)}…` : report.loadId;
  const parts = [
    `<div>`,
    `<div style="margin-bottom:6px"><strong>${escapeHtml(report.table)}</strong> ${badge(status, statusOutcome(report.status, report))} ` +
      `<span style="color:#5f6368">${[...facts.map(escapeHtml), `load id <span title="${escapeHtml(report.loadId)}">${escapeHtml(loadId)}</span>`].join(" · ")}</span></div>`,
  ];
  if (report.error) parts.push(`<div style="${OUTCOME_STYLE.fail};padding:4px 6px;margin-bottom:6px">${escapeHtml(`${report.error.code}: ${report.error.message}`)}</div>`);
  else if (report.message) parts.push(`<div style="color:#5f6368;margin-bottom:6px">${escapeHtml(report.message)}</div>`);

  const counts = COUNTS.filter(([k]) => typeof report[k] === "number");
  parts.push(htmlTable({
    header: counts.map(([, label]) => ({ html: escapeHtml(label), numeric: true })),
    rows: [counts.map(([k]) => ({ html: formatCount(report[k] as number), numeric: true }))],
  }));

  if (report.stages.length > 0) {
    const longest = Math.max(1, ...report.stages.map((s) => s.ms));
    parts.push(`<div style="margin-top:8px"><strong>Stages</strong></div>`, htmlTable({
      header: [{ html: "stage" }, { html: "time", numeric: true }, { html: "" }],
      rows: report.stages.map((s) => [
        { html: escapeHtml(s.name) },
        { html: escapeHtml(formatDuration(s.ms)), numeric: true },
        { html: `<div style="background:#8ab4f8;height:10px;width:${Math.max(1, Math.round((s.ms / longest) * 160))}px"></div>` },
      ]),
      caption: `total ${formatDuration(report.durationMs)}`,
    }));
  }

  const validations = report.validations ?? [];
  if (validations.length > 0) {
    const tally = { pass: 0, warn: 0, fail: 0 };
    for (const v of validations) tally[validationOutcome(v)]++;
    const examples = validations.some((v) => (v.failingExamples ?? []).length > 0);
    const isNumber = (x: unknown) => typeof x === "number" || typeof x === "bigint";
    parts.push(`<div style="margin-top:8px"><strong>Validations</strong></div>`, htmlTable({
      header: ["outcome", "rule", "where", "phase", "observed", "message", ...(examples ? ["examples"] : [])]
        .map((h) => ({ html: h, numeric: h === "observed" && validations.every((v) => v.observed == null || isNumber(v.observed)) })),
      rows: validations.map((v): HtmlCell[] => {
        const outcome = validationOutcome(v);
        return [
          { html: badge(outcome, outcome) },
          { html: escapeHtml(v.rule) },
          { html: escapeHtml(v.path), style: "white-space:nowrap" },
          { html: escapeHtml(v.phase ?? "") },
          { html: v.observed === null || v.observed === undefined ? NULL_HTML : escapeHtml(String(v.observed)), numeric: isNumber(v.observed) },
          { html: escapeHtml(v.message), style: outcome === "pass" ? "" : OUTCOME_STYLE[outcome] },
          ...(examples ? [{ html: escapeHtml((v.failingExamples ?? []).join(", ")) }] : []),
        ];
      }),
      caption: `${tally.pass} passed, ${tally.warn} warning${tally.warn === 1 ? "" : "s"}, ${tally.fail} failed`,
    }));
  }
  parts.push("</div>");
  return parts.join("");
}

/** The same report as plain text (the `text/plain` of its MIME bundle). */
export function loadReportText(report: LoadReportLike): string {
  const status = report.status ?? (report.snapshotId !== undefined ? "committed" : "no change");
  const lines = [
    `${report.table}: ${status}${report.mode ? ` (${report.mode})` : ""}${report.snapshotId !== undefined ? `, snapshot ${String(report.snapshotId)}` : ""}, ${formatDuration(report.durationMs)}`,
    "  " + COUNTS.filter(([k]) => typeof report[k] === "number").map(([k, label]) => `${label} ${formatCount(report[k] as number)}`).join(", "),
  ];
  if (report.error) lines.push(`  error ${report.error.code}: ${report.error.message}`);
  else if (report.message) lines.push(`  ${report.message}`);
  if (report.stages.length > 0) lines.push("  stages: " + report.stages.map((s) => `${s.name} ${formatDuration(s.ms)}`).join(", "));
  for (const v of report.validations ?? []) lines.push(`  [${validationOutcome(v)}] ${v.message}`);
  return lines.join("\n");
}
