// Golden files: generated output is diffed against checked-in files under test/golden/<name>/.
// UPDATE_GOLDEN=1 rewrites them (review the diff before committing).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { GeneratedFile } from "../../src/index.js";

/** The package's test folder. */
export const TEST_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The fixture folder. */
export const FIXTURES = join(TEST_DIR, "fixtures");

/** Options every test generator call shares; file labels are relative to the test folder. */
export const OPTIONS = {
  artifactsBucket: "lake-artifacts",
  iamRoleName: "EngineGlueRole",
  warehouse: "s3://lake/warehouse",
  region: "us-east-1",
  baseDir: TEST_DIR,
} as const;

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Asserts that `files` equal test/golden/<name>/ exactly (same paths, same bytes). */
export function expectGolden(name: string, files: readonly GeneratedFile[]): void {
  const dir = join(TEST_DIR, "golden", name);
  if (process.env["UPDATE_GOLDEN"] === "1") {
    rmSync(dir, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
  }
  const golden = listFiles(dir).map((p) => relative(dir, p).split(sep).join("/")).sort();
  expect(files.map((f) => f.path)).toEqual(golden);
  for (const file of files) expect(file.content, `golden ${name}/${file.path}`).toBe(readFileSync(join(dir, file.path), "utf8"));
}
