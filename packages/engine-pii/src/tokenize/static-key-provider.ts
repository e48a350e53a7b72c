import { assertKeyLength } from "../internal/key-check.js";
import type { KeyProvider } from "./key-provider.js";

/** A provider over fixed key bytes (a copy is kept), for tests and for callers that manage keys themselves. */
export function staticKeyProvider(bytes: Uint8Array, id = "static"): KeyProvider {
  assertKeyLength(bytes, `staticKeyProvider(${id})`);
  const key = Uint8Array.from(bytes);
  return { id, getKey: async () => Uint8Array.from(key) };
}
