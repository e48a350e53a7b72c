import { KeyMaterialError } from "../errors.js";
import { MIN_KEY_BYTES } from "../tokenize/key-provider.js";

// Only the length is ever reported, never the bytes.
export function assertKeyLength(key: Uint8Array, source: string): void {
  if (!(key instanceof Uint8Array)) {
    throw new KeyMaterialError("PII_KEY_MISSING", `pii: ${source}: expected key bytes (Uint8Array), got ${typeof key}`, {
      context: { source },
    });
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new KeyMaterialError(
      "PII_KEY_TOO_SHORT",
      `pii: ${source}: expected a key of at least ${MIN_KEY_BYTES} bytes, got ${key.length}`,
      { context: { source, bytes: key.length } },
    );
  }
}
