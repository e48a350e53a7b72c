// The seam to the script compilers. engine-core's load planner compiles a spec to a PySpark
// script (glue) or Athena SQL (athena); the validator is a small Python shell script. Until a
// provider is given, the generators emit job definitions and DAGs that point at where the
// scripts go, and emit no script files: nothing here fakes a script.

import type { TableSpec } from "@engine/core";
import type { AthenaLoadSqlOptions, AthenaLoadStatements } from "./athena-load-sql.js";

/** Supplies the scripts the generated jobs run; every member is optional. */
export interface ScriptProvider {
  /** The PySpark script that loads `spec` on Glue (glueetl, Iceberg through `glue_catalog`). */
  loadScript?(spec: TableSpec): string;
  /** The Python shell script shared by every validate job; reads `--engine-table` and `--engine-phase`. */
  validateScript?(): string;
  /**
   * The Athena statements that load `spec` on the athena engine, one per AthenaOperator task
   * (Athena runs one statement per query): stage, [delete,] load, drop. `delete` must be present
   * exactly for the overwrite and replace-partitions modes.
   */
  athenaLoadSql?(spec: TableSpec, options: AthenaLoadSqlOptions): AthenaLoadStatements;
  /** Extra default arguments of the table's validate job (e.g. `--engine-checks`: its rules as Athena SQL). */
  validateArgs?(spec: TableSpec): Readonly<Record<string, string>>;
}
