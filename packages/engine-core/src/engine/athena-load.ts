// `engine: athena` in a spec: the load runs as Athena SQL against the engine's Glue catalog
// (see src/aws/athena/run-athena-load.ts) instead of in DuckDB. `engine: auto` stays local: one
// machine handles what a notebook or a scheduled batch usually loads, and Athena costs per query
// and needs an s3:// warehouse with the Glue catalog; choose athena explicitly in the spec.

import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import type { LoadResult } from "../load/load-result.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { ValidationOutcome } from "../validate/outcome.js";
import type { S3Options } from "./backends.js";

/** Where Athena runs and writes its results. */
export interface AthenaEngineOptions {
  readonly workgroup?: string;
  /** `s3://…` folder for query results, unless the workgroup sets one (default `<warehouse>/_engine/athena-results/`). */
  readonly outputLocation?: string;
  /** `s3://…` folder where source files are staged (default `<warehouse>/_engine/staging`). */
  readonly stagingLocation?: string;
  /** Default: the Glue catalog's region, then S3's. */
  readonly region?: string;
  /** Custom Athena endpoint (moto). */
  readonly endpoint?: string;
  /** Per query, in ms. */
  readonly timeoutMs?: number;
}

/** What an Athena load needs from the engine. */
export interface AthenaRoute {
  readonly session: DuckDbSession;
  readonly catalog: Catalog;
  /** The `catalog.type` the engine was opened with. */
  readonly catalogType: string;
  readonly warehouse: string;
  readonly region?: string;
  readonly s3?: S3Options;
  readonly athena?: AthenaEngineOptions;
}

/** Runs a spec with `engine: athena` through `runAthenaLoad` and reports it as a LoadResult (snapshot from the catalog afterwards). */
export async function runAthenaRoute(route: AthenaRoute, spec: TableSpec, options: { source?: string; params?: Readonly<Record<string, string>>; data?: unknown }): Promise<LoadResult> {
  if (!/^s3[an]?:\/\//i.test(route.warehouse) || route.catalogType !== "glue") {
    throw new EngineError("NOT_SUPPORTED", `engine: ${spec.table}: engine athena expected an s3:// warehouse with catalog { type: "glue" }, got ${route.warehouse} with catalog ${route.catalogType}`);
  }
  const { runAthenaLoad } = await import("../aws/index.js");
  const a = route.athena ?? {};
  const s3 = route.s3 ?? {};
  const region = a.region ?? route.region ?? s3.region;
  const endpoint = a.endpoint ?? s3.endpoint;
  const aws = {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(s3.accessKeyId && s3.secretAccessKey ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}) } } : {}),
    ...(s3.pathStyle !== undefined ? { forcePathStyle: s3.pathStyle } : {}),
  };
  const started = performance.now();
  const r = await runAthenaLoad(spec, {
    aws,
    catalog: route.catalog,
    session: route.session,
    warehouse: route.warehouse,
    stagingLocation: a.stagingLocation ?? `${route.warehouse}/_engine/staging`,
    outputLocation: a.outputLocation ?? `${route.warehouse}/_engine/athena-results/`,
    ...(a.workgroup ? { workgroup: a.workgroup } : {}),
    ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.params ? { params: options.params } : {}),
    ...(options.data !== undefined ? { data: options.data } : {}),
  });
  const table = await route.catalog.loadTable({ namespace: spec.namespace, name: spec.name });
  const snapshot = table.currentSnapshot();
  const validations: ValidationOutcome[] = r.checks.map((c) => ({
    rule: c.label.replace(/\(.*$/, ""), path: c.path, phase: "pre", severity: c.severity === "warn" ? "warn" : "error", passed: c.passed, observed: null, failingExamples: [],
    message: `${c.path} ${c.label}: ${c.detail}`,
  }));
  return {
    table: spec.table, status: "committed", mode: spec.write.mode, ...(snapshot ? { snapshotId: snapshot.snapshotId } : {}), loadId: r.loadId,
    rowsRead: 0, duplicatesDropped: 0, rowsRejected: 0, rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0, rowsStale: 0,
    rowsWritten: r.rowsWritten ?? 0, filesWritten: 0, bytesWritten: 0, filesRemoved: 0, validations,
    durationMs: Math.round(performance.now() - started), stages: [{ name: "athena", ms: r.durationMs }], dataFiles: [],
    message: `athena: ${r.queries.length} queries (staging table ${r.stagingTable}, ${r.stagedFiles} staged file${r.stagedFiles === 1 ? "" : "s"}); row counts other than rowsWritten are not reported by Athena`,
  };
}
