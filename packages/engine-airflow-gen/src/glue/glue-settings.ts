// Glue capacity per table. The rule (documented in the package README):
// - Spark loads always run as `glueetl` (our load is a PySpark script; a Python shell cannot run it).
// - `pythonshell` (0.0625 DPU) runs only light work: the validate job.
// - Capacity: explicit workers win; else the size hint picks it — below the threshold (10 GB by
//   default) or without a hint, G.1X × 2 (the smallest Spark job); above it, G.2X with one worker
//   per 8 GB of input plus one for the driver, capped at 100.

import type { TableSpec } from "@engine/core";
import { parseByteSize } from "@engine/core";
import { GenError } from "../errors.js";

/** Glue versions whose Spark ships an Iceberg runtime through `--datalake-formats iceberg`. */
export const GLUE_VERSIONS = ["4.0", "5.0"] as const;
/** A supported Glue version for Spark loads. */
export type GlueVersion = (typeof GLUE_VERSIONS)[number];

/** Worker types a batch Spark job accepts (G.025X is streaming-only, Z.2X is for Ray). */
export const SPARK_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X", "R.8X"] as const;
/** A Spark worker type. */
export type SparkWorkerType = (typeof SPARK_WORKER_TYPES)[number];

/** Table property naming the expected input size of one load, e.g. "20GB". */
export const SIZE_HINT_PROPERTY = "engine.size-hint";
/** Table property naming the Glue worker type. */
export const GLUE_WORKER_TYPE_PROPERTY = "engine.glue.worker-type";
/** Table property naming the Glue worker count. */
export const GLUE_WORKERS_PROPERTY = "engine.glue.workers";
/** Table property naming the Glue execution class (FLEX or STANDARD). */
export const GLUE_EXECUTION_CLASS_PROPERTY = "engine.glue.execution-class";
/** Table property naming the Glue version (4.0 or 5.0). */
export const GLUE_VERSION_PROPERTY = "engine.glue.version";

/** The spec section `glue: { workerType, workers, sizeHint, executionClass, glueVersion }` (TableSpec["glue"]). */
export interface GlueSpec {
  readonly workerType?: SparkWorkerType;
  readonly workers?: number;
  readonly sizeHint?: string;
  readonly executionClass?: "FLEX" | "STANDARD";
  readonly glueVersion?: GlueVersion;
}

/** The resolved Glue settings of one table's load job. */
export interface GlueSettings {
  readonly glueVersion: GlueVersion;
  readonly workerType: SparkWorkerType;
  readonly workers: number;
  readonly executionClass: "FLEX" | "STANDARD";
  /** Why this capacity: "workers", "size-hint" or "default". */
  readonly capacityFrom: "workers" | "size-hint" | "default";
}

/** Overrides from outside the spec (an ingestion CSV row), highest precedence. */
export type GlueOverrides = GlueSpec;

const DPU: Readonly<Record<SparkWorkerType, number>> = {
  "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, "G.12X": 12, "G.16X": 16, "R.1X": 1, "R.2X": 2, "R.4X": 4, "R.8X": 8,
};
const GIB = 1024 ** 3;
/** Input bytes one DPU of workers takes on (a G.1X has 16 GB of memory: a quarter of it for data). */
const BYTES_PER_DPU = 4 * GIB;
const MAX_WORKERS = 100;

/**
 * Resolves a table's Glue settings: overrides (CSV) > the spec's `glue` section > `engine.*`
 * table properties (a documented fallback for specs written before the section existed) > defaults.
 */
export function resolveGlueSettings(
  spec: TableSpec,
  overrides: GlueOverrides,
  defaults: { glueVersion: GlueVersion; executionClass: "FLEX" | "STANDARD"; sizeThresholdBytes: number },
): GlueSettings {
  const fromSpec = glueSection(spec);
  const fromProps = glueFromProperties(spec);
  const pick = <K extends keyof GlueSpec>(key: K): GlueSpec[K] => overrides[key] ?? fromSpec[key] ?? fromProps[key];
  const glueVersion = pick("glueVersion") ?? defaults.glueVersion;
  const executionClass = pick("executionClass") ?? defaults.executionClass;
  const workers = pick("workers");
  const workerType = pick("workerType");
  const sizeHint = pick("sizeHint");
  if (workers !== undefined) return { glueVersion, executionClass, workerType: workerType ?? "G.1X", workers, capacityFrom: "workers" };
  const bytes = sizeHint === undefined ? undefined : parseByteSize(sizeHint);
  if (bytes === undefined || (bytes < defaults.sizeThresholdBytes && workerType === undefined)) {
    return { glueVersion, executionClass, workerType: workerType ?? "G.1X", workers: 2, capacityFrom: "default" };
  }
  const type = workerType ?? "G.2X";
  const count = Math.min(MAX_WORKERS, Math.max(2, Math.ceil(bytes / (BYTES_PER_DPU * DPU[type])) + 1));
  return { glueVersion, executionClass, workerType: type, workers: count, capacityFrom: "size-hint" };
}

function glueSection(spec: TableSpec): GlueSpec {
  // The spec schema checked the section's values (worker type, workers >= 2, size, class, version).
  return spec.glue ?? {};
}

function glueFromProperties(spec: TableSpec): GlueSpec {
  const props = spec.properties;
  const where = spec.file ?? spec.table;
  const bad = (key: string, expected: string) =>
    new GenError("GEN_SPEC_INVALID", `gen: ${where}: properties["${key}"]: expected ${expected}, got ${JSON.stringify(props[key])}`, { context: { table: spec.table, property: key } });
  const out: { -readonly [K in keyof GlueSpec]: GlueSpec[K] } = {};
  const size = props[SIZE_HINT_PROPERTY];
  if (size !== undefined) {
    if (parseByteSize(size) === undefined) throw bad(SIZE_HINT_PROPERTY, 'a byte size like "20GB"');
    out.sizeHint = size;
  }
  const type = props[GLUE_WORKER_TYPE_PROPERTY];
  if (type !== undefined) {
    if (!(SPARK_WORKER_TYPES as readonly string[]).includes(type)) throw bad(GLUE_WORKER_TYPE_PROPERTY, `a Spark worker type (${SPARK_WORKER_TYPES.join(", ")})`);
    out.workerType = type as SparkWorkerType;
  }
  const workers = props[GLUE_WORKERS_PROPERTY];
  if (workers !== undefined) {
    if (!/^\d+$/.test(workers) || Number(workers) < 2) throw bad(GLUE_WORKERS_PROPERTY, "an integer >= 2");
    out.workers = Number(workers);
  }
  const executionClass = props[GLUE_EXECUTION_CLASS_PROPERTY]?.toUpperCase();
  if (executionClass !== undefined) {
    if (executionClass !== "FLEX" && executionClass !== "STANDARD") throw bad(GLUE_EXECUTION_CLASS_PROPERTY, "FLEX or STANDARD");
    out.executionClass = executionClass;
  }
  const version = props[GLUE_VERSION_PROPERTY];
  if (version !== undefined) {
    if (!(GLUE_VERSIONS as readonly string[]).includes(version)) throw bad(GLUE_VERSION_PROPERTY, GLUE_VERSIONS.join(" or "));
    out.glueVersion = version as GlueVersion;
  }
  return out;
}
