// Key-derived bytes must never reach logs, errors, run reports or the audit table. @engine/pii's
// tokenizing transform embeds the HMAC pads of its key as `from_hex('<128 hex digits>')` (DuckDB
// has no HMAC), and DuckDB quotes the failing query back in its messages (`LINE 1: ...5c5c') ||`),
// cut at arbitrary places. So every SQL text and DuckDB message core keeps goes through here.

const REDACTED = "<redacted>";

/**
 * Replaces hex literals that may hold key material: the argument of `from_hex(…)` / `unhex(…)`
 * (whole or cut off), a hex run that starts or ends at a `...` cut of a quoted query, and any
 * other run of 32 or more hex digits.
 *
 * ```ts
 * redactSql("select from_hex('5c5c…') || x"); // "select from_hex('<redacted>') || x"
 * ```
 */
export function redactSql(text: string): string {
  return text
    .replace(/\b(from_hex|unhex)(\s*\(\s*')[0-9a-fA-F]*/gi, `$1$2${REDACTED}`)
    .replace(/\.\.\.[0-9a-fA-F]+(?![0-9A-Za-z_])/g, `...${REDACTED}`)
    .replace(/(?<![0-9A-Za-z_])[0-9a-fA-F]+(?=\.\.\.)/g, REDACTED)
    .replace(/(?<![0-9A-Za-z_])[0-9a-fA-F]{32,}(?![0-9A-Za-z_])/g, REDACTED);
}

/** Redacts an error's message and stack in place (for errors kept as a `cause`); returns it. */
export function redactError<T>(error: T): T {
  if (error instanceof Error) {
    const message = redactSql(error.message);
    if (message !== error.message) {
      error.message = message;
      if (error.stack !== undefined) error.stack = redactSql(error.stack);
    }
  }
  return error;
}
