// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian, UTC), without Date's range limits.

/** Splits days since epoch into a civil date. Algorithm: H. Hinnant, "days_from_civil". */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: m <= 2 ? y + 1 : y, month: m, day: d };
}

/** Days since epoch of a civil date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Floor division for bigint. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Floor modulo for bigint. */
export function floorMod(a: bigint, b: bigint): bigint {
  return ((a % b) + b) % b;
}

const pad = (n: number, w = 2): string => {
  const s = String(Math.abs(n)).padStart(w, "0");
  return n < 0 ? "-" + s : s;
};

/** `yyyy-mm-dd` for days since epoch. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** `HH:MM:SS[.ffffff]` for microseconds since midnight, like Java's LocalTime.toString. */
export function formatTime(micros: bigint): string {
  const totalSec = Number(micros / 1_000_000n);
  const frac = Number(micros % 1_000_000n);
  const h = Math.floor(totalSec / 3600), m = Math.floor((totalSec % 3600) / 60), s = totalSec % 60;
  return `${pad(h)}:${pad(m)}${clock(s, frac, 6)}`;
}

// Java's LocalTime.toString omits seconds when seconds and fraction are both zero.
function clock(seconds: number, frac: number, digits: number): string {
  return seconds === 0 && frac === 0 ? "" : `:${pad(seconds)}${fraction(frac, digits)}`;
}

function fraction(value: number, digits: number): string {
  if (value === 0) return "";
  // Java prints 3, 6 or 9 digits: the shortest group that is exact.
  let s = String(value).padStart(digits, "0");
  while (s.length > 3 && s.endsWith("000")) s = s.slice(0, -3);
  return "." + s;
}

/** ISO local date-time for a timestamp in `unitsPerSecond` (1e6 for µs, 1e9 for ns), like Java's LocalDateTime.toString. */
export function formatTimestamp(value: bigint, unitsPerSecond: bigint): string {
  const perDay = 86_400n * unitsPerSecond;
  const days = Number(floorDiv(value, perDay));
  const rest = floorMod(value, perDay);
  const secs = Number(rest / unitsPerSecond);
  const frac = Number(rest % unitsPerSecond);
  const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
  return `${formatDate(days)}T${pad(h)}:${pad(m)}${clock(s, frac, unitsPerSecond === 1_000_000n ? 6 : 9)}`;
}
