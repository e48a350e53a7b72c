// The ScriptProvider backed by engine-core's compilers: the Glue load script compiled from the
// spec's load plan (PySpark + Iceberg), the shared Python-shell validate script, and each
// validate job's checks (the spec's rules as Athena SQL) as its `--engine-checks` argument, and
// the Athena statements of athena tables (engine-core's AthenaLoadCompiler).

import { compileAthenaChecks, compileGlueScript, compileValidateScript } from "@engine/core/spark";
import { athenaLoadStatements } from "./athena-load-sql.js";
import type { ScriptProvider } from "./script-provider.js";

/** Options of `engineScripts`. */
export interface EngineScriptsOptions {
  /** Spark catalog name the load scripts default to (default "glue_catalog", as the jobs' `--conf`). */
  readonly catalogName?: string;
}

/**
 * Scripts compiled by engine-core: the Glue load script, the validate script and its checks, and
 * the Athena load statements (`sql/<ns>/<table>.<step>.sql`) of athena tables.
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
    athenaLoadSql: (spec, sqlOptions) => athenaLoadStatements(spec, sqlOptions),
  };
}
