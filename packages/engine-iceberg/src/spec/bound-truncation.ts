// Truncated column bounds. Java writes metrics with `write.metadata.metrics.default=truncate(16)`:
// a lower bound is a prefix (still ≤ every value); an upper bound is a prefix whose last
// character is incremented (still ≥ every value), or no bound when that is impossible.

/** Java's default truncation length for string and binary bounds. */
export const DEFAULT_TRUNCATE_LENGTH = 16;

/** Truncates a string lower bound to `length` code points. */
export function truncateStringLower(value: string, length = DEFAULT_TRUNCATE_LENGTH): string {
  const cps = Array.from(value);
  return cps.length <= length ? value : cps.slice(0, length).join("");
}

/** Truncates a string upper bound to `length` code points and increments the last one; `undefined` if no upper bound exists. */
export function truncateStringUpper(value: string, length = DEFAULT_TRUNCATE_LENGTH): string | undefined {
  const cps = Array.from(value);
  if (cps.length <= length) return value;
  const kept = cps.slice(0, length).map((c) => c.codePointAt(0)!);
  for (let i = kept.length - 1; i >= 0; i--) {
    let next = kept[i]! + 1;
    // Skip the surrogate range, which is not a valid code point on its own.
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) {
      return String.fromCodePoint(...kept.slice(0, i), next);
    }
  }
  return undefined;
}

/** Truncates a binary lower bound to `length` bytes. */
export function truncateBinaryLower(value: Uint8Array, length = DEFAULT_TRUNCATE_LENGTH): Uint8Array {
  return value.length <= length ? value : value.slice(0, length);
}

/** Truncates a binary upper bound to `length` bytes and increments the last byte that can be; `undefined` if none can. */
export function truncateBinaryUpper(value: Uint8Array, length = DEFAULT_TRUNCATE_LENGTH): Uint8Array | undefined {
  if (value.length <= length) return value;
  const out = value.slice(0, length);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      const r = out.slice(0, i + 1);
      r[i] = r[i]! + 1;
      return r;
    }
  }
  return undefined;
}
