// Reading every spec under a folder.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadSpec, type TableSpec } from "@engine/core";
import { GenError } from "./errors.js";
import { compare } from "./plan/plan-schedule.js";

const SPEC_FILE = /\.(ya?ml|json)$/i;

/**
 * Loads every `.yaml`, `.yml` and `.json` spec under `dir` (recursively, skipping dot folders
 * and node_modules), in path order; a bad spec throws its `SpecError`.
 *
 * ```ts
 * const specs = loadSpecsFromDir("examples/specs");
 * ```
 */
export function loadSpecsFromDir(dir: string): TableSpec[] {
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
  } catch (error) {
    throw new GenError("GEN_INPUT_INVALID", `gen: ${dir}: expected a folder of specs, got ${(error as NodeJS.ErrnoException).code ?? "not a folder"}`, { context: { dir }, cause: error });
  }
  // Placeholders such as {date} in source paths stay: the jobs fill them at run time.
  return specFiles(dir).map((file) => loadSpec(file, { params: "defer" }));
}

function specFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...specFiles(path));
    else if (entry.isFile() && SPEC_FILE.test(entry.name)) files.push(path);
  }
  return files;
}
