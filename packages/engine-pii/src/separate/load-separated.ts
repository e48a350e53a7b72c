import type { Engine, LoadOptions, LoadResult, TableSpec } from "@engine/core";
import { parseSpec } from "@engine/core";
import type { KeyProvider } from "../tokenize/key-provider.js";
import { separationSpecs } from "./separation-specs.js";

/** What `loadSeparated` loaded. */
export interface SeparatedLoadResult {
  readonly main: LoadResult;
  readonly vault: LoadResult;
}

/**
 * Loads a spec with `pii.separate` as two loads through the public `engine.load`: the vault
 * (`<table>__pii`, merged by token) first, then the main table with the token in place of the
 * subject key and without the PII columns. Specs without `pii.separate` load as they are (`vault` undefined).
 *
 * ```ts
 * await loadSeparated(engine, "specs/crm/customers.yaml", { keyProvider: envKeyProvider() });
 * ```
 */
export async function loadSeparated(
  engine: Engine, spec: TableSpec | object, options: LoadOptions & { readonly keyProvider: KeyProvider },
): Promise<SeparatedLoadResult | { readonly main: LoadResult; readonly vault?: undefined }> {
  const { keyProvider, ...load } = options;
  const parsed = parseSpec(spec);
  if (!parsed.pii?.separate) return { main: await engine.load(parsed, load) };
  const specs = separationSpecs(parsed, await keyProvider.getKey());
  const relative = parsed.file !== undefined && load.source === undefined && parsed.source.path !== undefined;
  // Derived specs are objects: a relative source path must keep resolving against the spec's folder.
  const withSource = relative ? { ...load, source: resolveBeside(parsed.file!, parsed.source.path!) } : load;
  const vault = await engine.load(specs.vault, withSource);
  const main = await engine.load(specs.main, withSource);
  return { main, vault };
}

function resolveBeside(file: string, p: string): string {
  if (/^[a-z0-9]+:\/\//i.test(p) || p.startsWith("/")) return p;
  const dir = file.replace(/[\\/][^\\/]*$/, "");
  return `${dir}/${p}`;
}
