// examples/airflow: what `engine gen airflow` and `engine gen glue` make of examples/specs with
// fixed bucket, role and warehouse values. The checked-in copy is regenerated and diffed by
// test/examples-airflow.test.ts (UPDATE_GOLDEN=1 rewrites it).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { REPO_ROOT } from "../../../../test/util/peers.js";
import { engineScripts, generateAirflow, generateGlueJobs, loadSpecsFromDir, type GeneratedFile, type GenInput } from "../../src/index.js";

/** The checked-in examples/airflow folder. */
export const EXAMPLES_AIRFLOW = join(REPO_ROOT, "examples", "airflow");

/** The fixed generator input of the examples. */
export function examplesInput(): GenInput {
  return {
    specs: loadSpecsFromDir(join(REPO_ROOT, "examples", "specs")),
    options: {
      artifactsBucket: "engine-examples-artifacts",
      iamRoleName: "EngineGlueRole",
      warehouse: "s3://engine-examples-lake/warehouse",
      region: "us-east-1",
      baseDir: join(REPO_ROOT, "examples"),
      scripts: engineScripts(),
    },
  };
}

/** Every generated file of the examples: `dags/…` (Airflow) and `glue/…` (jobs and scripts). */
export function exampleFiles(): GeneratedFile[] {
  const input = examplesInput();
  return [
    ...generateAirflow(input).files.map((f) => ({ path: `dags/${f.path}`, content: f.content })),
    ...generateGlueJobs(input).files.map((f) => ({ path: `glue/${f.path}`, content: f.content })),
  ];
}

/** Files under a folder, relative paths with forward slashes, sorted (README.md excluded). */
export function listRelative(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  let files: string[];
  try {
    files = walk(dir);
  } catch {
    return [];
  }
  return files.map((p) => relative(dir, p).split(sep).join("/")).filter((p) => p !== "README.md").sort();
}

/** Rewrites examples/airflow (keeping its README.md). */
export function writeExamples(files: readonly GeneratedFile[]): void {
  for (const rel of listRelative(EXAMPLES_AIRFLOW)) rmSync(join(EXAMPLES_AIRFLOW, rel));
  for (const f of files) {
    mkdirSync(dirname(join(EXAMPLES_AIRFLOW, f.path)), { recursive: true });
    writeFileSync(join(EXAMPLES_AIRFLOW, f.path), f.content);
  }
}

/** The checked-in content of one file. */
export function readExample(path: string): string {
  return readFileSync(join(EXAMPLES_AIRFLOW, path), "utf8");
}
