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
  readonly glue: GlueSettings;
  /** The spec file and CSV rows this table came from, e.g. "specs/sales/orders.yaml", "meta/ingestion.csv:3". */
  readonly sources: readonly string[];
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
