// Backfill: one load per parameter value over a range, e.g. every day of a week.

import { SpecError } from "../errors.js";

/** A parameter range: `{ param: "date", from: "2024-01-01", to: "2024-01-07", step: "1d" }` (inclusive). */
export interface BackfillOptions {
  readonly param: string;
  readonly from: string;
  readonly to: string;
  /** `Nd` for dates (default `1d`), or an integer for integer ranges (default 1). */
  readonly step?: string | number;
  /** Other parameters, the same for every load. */
  readonly params?: Readonly<Record<string, string>>;
  /** Load again values already loaded. */
  readonly force?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The values a backfill runs over, in order: ISO dates stepping by days, or integers. */
export function backfillValues(options: Pick<BackfillOptions, "from" | "to" | "step">): string[] {
  const { from, to } = options;
  if (DATE.test(from) && DATE.test(to)) {
    const m = /^(\d+)d$/.exec(String(options.step ?? "1d"));
    if (!m || Number(m[1]) < 1) throw new SpecError(`backfill: step: expected a number of days like "1d", got ${JSON.stringify(options.step)}`);
    const step = Number(m[1]) * 86_400_000;
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (Number.isNaN(start) || Number.isNaN(end) || new Date(start).toISOString().slice(0, 10) !== from || new Date(end).toISOString().slice(0, 10) !== to) {
      throw new SpecError(`backfill: expected real dates, got from ${from} to ${to}`);
    }
    if (end < start) throw new SpecError(`backfill: expected from (${from}) on or before to (${to})`);
    const out: string[] = [];
    for (let t = start; t <= end; t += step) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  }
  if (/^-?\d+$/.test(from) && /^-?\d+$/.test(to)) {
    const step = Number(options.step ?? 1);
    if (!Number.isInteger(step) || step < 1) throw new SpecError(`backfill: step: expected a positive integer, got ${JSON.stringify(options.step)}`);
    const out: string[] = [];
    for (let v = Number(from); v <= Number(to); v += step) out.push(String(v));
    if (out.length === 0) throw new SpecError(`backfill: expected from (${from}) <= to (${to})`);
    return out;
  }
  throw new SpecError(`backfill: expected from and to as dates (YYYY-MM-DD) or integers, got ${JSON.stringify(from)} and ${JSON.stringify(to)}`);
}
