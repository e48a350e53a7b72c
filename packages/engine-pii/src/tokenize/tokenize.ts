import { createHmac } from "node:crypto";
import { PiiArgumentError } from "../errors.js";
import { assertKeyLength } from "../internal/key-check.js";
import type { KeyMaterial } from "./key-provider.js";

/**
 * The text a subject key is tokenized as: strings as they are, integers (number or bigint) in
 * decimal — which is what `CAST(x AS VARCHAR)` gives for integer columns in DuckDB, so that
 * `hmacSqlExpression` computes the same token.
 */
export function subjectKeyText(subjectKey: string | bigint | number): string {
  if (typeof subjectKey === "string") return subjectKey;
  if (typeof subjectKey === "bigint") return subjectKey.toString(10);
  if (typeof subjectKey === "number" && Number.isSafeInteger(subjectKey)) return String(subjectKey);
  throw new PiiArgumentError(
    `pii: tokenize: subject key: expected a string, a bigint or a safe integer, got ${typeof subjectKey === "number" ? String(subjectKey) : typeof subjectKey}`,
  );
}

/**
 * The token of a data subject: HMAC-SHA256 of its key's UTF-8 text under the secret key, as 64
 * lowercase hex characters; the same subject and key give the same token on every load.
 *
 * ```ts
 * const key = await envKeyProvider().getKey();
 * tokenize(1234n, key); // "5f2c…" (64 hex chars)
 * ```
 */
export function tokenize(subjectKey: string | bigint | number, key: KeyMaterial): string {
  assertKeyLength(key, "tokenize");
  return createHmac("sha256", key).update(subjectKeyText(subjectKey), "utf8").digest("hex");
}
