/**
 * How a masked view shows a value:
 * - `hash`: SHA-256 of the UTF-8 value, 64 lowercase hex (unkeyed: joinable, but guessable for
 *   small value spaces like phone numbers — use `tokenize` for pseudonyms);
 * - `mask`: every letter and digit replaced by `*`, punctuation kept (`***-****-****`);
 * - `redact`: the constant `REDACTED`;
 * - `partial`: a kind-specific part kept — e-mail `j***@example.com`, phone/card/bank account
 *   `*******5678` (digits only, last 4 kept, when there are at least 8 digits), resident
 *   registration number `900101-1******`, IPv4 `192.168.*.*`; anything else (or a value not in
 *   the kind's shape) keeps its first character: `J*******`.
 *
 * NULL stays NULL in every mode; results are text.
 */
export type MaskMode = "hash" | "mask" | "redact" | "partial";

/** What `redact` shows instead of a value. */
export const REDACTED = "[REDACTED]";

/** Every mask mode. */
export const MASK_MODES: readonly MaskMode[] = Object.freeze(["hash", "mask", "redact", "partial"]);
