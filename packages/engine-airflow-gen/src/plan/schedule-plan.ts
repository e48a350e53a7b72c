// The resolved schedule: which tables run in which DAG, on which engine, after which tables.

import type { TableSpec } from "@engine/core";
import type { GlueSettings } from "../glue/glue-settings.js";

/** One table as it will run: spec, DAG, engine, retries, upstream tables and Glue capacity. */
export interface PlannedTable {
  readonly spec: TableSpec;
  /** "namespace.table". */
  readonly table: string;
  /** Identifier-safe table key, "sales__orders". */
  readonly key: string;
  /** The source system: a TaskGroup of its DAG. */
  readonly system: string;
  readonly group: string;
  /** `auto` runs on glue in a schedule. */
  readonly engine: "athena" | "glue";
  readonly retries: number;
  /** Upstream tables in the same DAG, sorted. */
  readonly dependsOn: readonly string[];
  /** Upstream tables in other DAGs (waited for with an ExternalTaskSensor), sorted by table. */
  readonly external: readonly ExternalDependency[];
  readonly glue: GlueSettings;
  /** The spec file and CSV rows this table came from, e.g. "specs/sales/orders.yaml", "meta/ingestion.csv:3". */
  readonly sources: readonly string[];
}

/** An upstream table scheduled in another DAG. */
export interface ExternalDependency {
  readonly table: string;
  /** Its DAG id. */
  readonly group: string;
  /** Its DAG's cron (the sensor's logical date is aligned to it when it differs from ours). */
  readonly cron: string;
  /** The task the sensor waits for: the upstream table's `post_validate`, with its TaskGroup prefix. */
  readonly taskId: string;
}

/** One schedule group: one DAG. */
export interface PlannedGroup {
  /** The DAG id. */
  readonly group: string;
  readonly cron: string;
  /** UTC start, "YYYY-MM-DDTHH:MM". */
  readonly start: string;
  /** Tables sorted by name. */
  readonly tables: readonly PlannedTable[];
  /** Input files this DAG was generated from, sorted. */
  readonly sources: readonly string[];
}

/** Every DAG, sorted by group name. */
export interface SchedulePlan {
  readonly groups: readonly PlannedGroup[];
}
