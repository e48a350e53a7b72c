// Reading a spec file from disk.

import { readFileSync } from "node:fs";
import { SpecError } from "../errors.js";
import { parseSpec } from "./parse-spec.js";
import type { TableSpec } from "./table-spec.js";

/** Options of `loadSpec`. */
export interface LoadSpecOptions {
  /** Values for `{param}` placeholders in `source.path`; "defer" leaves them in place (code generation). */
  readonly params?: Readonly<Record<string, string>> | "defer";
}

/**
 * Reads a YAML or JSON spec file and parses it; a relative `transform` file resolves against the
 * spec's folder. Synchronous, since specs are small; errors are `SpecError`s naming file:line:col.
 *
 * ```ts
 * const spec = loadSpec("examples/specs/sales/orders.yaml");
 * ```
 */
export function loadSpec(path: string, options: LoadSpecOptions = {}): TableSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SpecError(`spec: expected a readable spec file, got ${JSON.stringify(path)} (${code})`, { context: { file: path }, cause: error });
  }
  return parseSpec(text, { file: path, ...(options.params === undefined ? {} : { params: options.params }) });
}
