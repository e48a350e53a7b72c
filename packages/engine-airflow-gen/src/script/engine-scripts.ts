// The ScriptProvider backed by engine-core's compilers: the Glue load script compiled from the
// spec's load plan (PySpark + Iceberg), the shared Python-shell validate script, and each
// validate job's checks (the spec's rules as Athena SQL) as its `--engine-checks` argument.

import { compileAthenaChecks, compileGlueScript, compileValidateScript } from "@engine/core/spark";
import type { ScriptProvider } from "./script-provider.js";

/** Options of `engineScripts`. */
export interface EngineScriptsOptions {
  /** Spark catalog name the load scripts default to (default "glue_catalog", as the jobs' `--conf`). */
  readonly catalogName?: string;
}

/**
 * Scripts compiled by engine-core. The Athena load statement is not supplied yet (the Athena
 * compiler lives in engine-core's aws helper): athena tables get their DAG task, not their SQL.
 *
 * ```ts
 * generateGlueJobs({ specs, options: { ...options, scripts: engineScripts() } });
 * ```
 */
export function engineScripts(options: EngineScriptsOptions = {}): ScriptProvider {
  const catalog = options.catalogName ?? "glue_catalog";
  return {
    loadScript: (spec) => compileGlueScript(spec, { catalog }),
    validateScript: () => compileValidateScript(),
    validateArgs: (spec) => ({ "--engine-checks": JSON.stringify(compileAthenaChecks(spec)) }),
  };
}
