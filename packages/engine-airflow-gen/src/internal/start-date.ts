// DAG start dates: specs write "2024-01-01" or "2024-01-01T06:30"; schedule CSVs write
// yyyymmddHHMM ("202401010630"). Both become one UTC wall-clock moment.

/** A UTC start moment, minute precision. */
export interface StartDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::00(?:\.0+)?)?(?:Z|\+00:?00)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** Parses "2024-01-01", "2024-01-01T06:30" (UTC) or "202401010630"; undefined when not a real date. */
export function parseStartDate(text: string): StartDate | undefined {
  const m = ISO.exec(text.trim()) ?? COMPACT.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0"].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60;
  return real ? { year, month, day, hour, minute } : undefined;
}

/** The ISO form "YYYY-MM-DDTHH:MM" used in plans and messages. */
export function formatStartDate(start: StartDate): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(start.year, 4)}-${p(start.month)}-${p(start.day)}T${p(start.hour)}:${p(start.minute)}`;
}
