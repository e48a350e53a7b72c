/**
 * Raw secret key bytes for HMAC tokens. Never log it, put it in an error, or serialize it;
 * providers below return it, `tokenize` and `hmacSqlExpression` consume it.
 */
export type KeyMaterial = Uint8Array;

/** Shortest key accepted anywhere in this package: 32 bytes (256 bits), the HMAC-SHA256 output size. */
export const MIN_KEY_BYTES = 32;

/**
 * Supplies the tokenization key. Implementations: `envKeyProvider`, `staticKeyProvider`,
 * `kmsKeyProvider`; `id` names the key (never its bytes) for run reports and audit rows.
 */
export interface KeyProvider {
  /** A stable, non-secret name of the key, such as `env:ENGINE_PII_KEY` or `kms:alias/pii`. */
  readonly id: string;
  /** Resolves the key bytes; rejects with `KeyMaterialError` when it cannot. */
  getKey(): Promise<KeyMaterial>;
}
