import { KeyMaterialError } from "../errors.js";
import { assertKeyLength } from "../internal/key-check.js";
import type { KeyProvider } from "./key-provider.js";

/** Options of `envKeyProvider`. */
export interface EnvKeyProviderOptions {
  /** The environment to read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

// Hex is tried first: a hex string is also valid base64, but nobody writes base64 that
// happens to use only hex digits.
function decode(text: string): { bytes: Uint8Array; encoding: "hex" | "base64" } | undefined {
  const t = text.trim();
  if (HEX.test(t)) return { bytes: Uint8Array.from(Buffer.from(t, "hex")), encoding: "hex" };
  if (BASE64.test(t)) return { bytes: Uint8Array.from(Buffer.from(t, "base64")), encoding: "base64" };
  if (BASE64URL.test(t)) return { bytes: Uint8Array.from(Buffer.from(t, "base64url")), encoding: "base64" };
  return undefined;
}

/**
 * Reads the tokenization key from an environment variable holding hex or base64 of at least
 * 32 bytes; read on each `getKey()`, failing with a message that says whether the variable is
 * unset, not decodable, or too short (and how many bytes it decoded to), never its value.
 *
 * ```ts
 * // ENGINE_PII_KEY=$(openssl rand -hex 32)
 * const key = await envKeyProvider().getKey();
 * ```
 */
export function envKeyProvider(varName = "ENGINE_PII_KEY", options: EnvKeyProviderOptions = {}): KeyProvider {
  return {
    id: `env:${varName}`,
    async getKey() {
      const env = options.env ?? process.env;
      const text = env[varName];
      if (text === undefined || text.trim() === "") {
        throw new KeyMaterialError(
          "PII_KEY_MISSING",
          `pii: ${varName} is not set: expected a key of at least 32 bytes, hex or base64 (e.g. \`openssl rand -hex 32\`)`,
          { context: { varName } },
        );
      }
      const decoded = decode(text);
      if (decoded === undefined) {
        throw new KeyMaterialError(
          "PII_KEY_UNDECODABLE",
          `pii: ${varName}: expected hex or base64, got ${text.trim().length} characters that are neither`,
          { context: { varName } },
        );
      }
      assertKeyLength(decoded.bytes, `${varName} (decoded as ${decoded.encoding})`);
      return decoded.bytes;
    },
  };
}
