// The two points where validation plugs into a load. The validation engine (src/validate/) owns
// what runs there; the load owns when: `pre` sees the staged, deduped batch before anything is
// written, `post` sees the table as it will be once committed, before the commit.

import type { DataFile, Table } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { SourceRead } from "../source/read-sql.js";
import type { ValidationOutcome } from "../validate/outcome.js";
import type { LoadPlan } from "./plan.js";

/** What the pre-validation phase sees: the batch is staged, nothing is written. */
export interface PreValidationContext {
  readonly session: DuckDbSession;
  readonly spec: TableSpec;
  readonly plan: LoadPlan;
  /** The table before the load; undefined when the load creates it. */
  readonly table: Table | undefined;
  readonly loadId: string;
  /**
   * The DuckDB table holding the batch (table columns, cast to the table's types; plus
   * `__engine_delete` for merges with a delete marker). Quarantine may DELETE rows from it and
   * report how many in `rowsRejected`.
   */
  readonly inputRelation: string;
  /** Rows in `inputRelation` now. */
  readonly rows: number;
  /** The source as opened (its quarantine read lists rows the reader rejected). */
  readonly source?: SourceRead;
  /** The staged source relation before casts (what the `columns` rule checks); default `"source"`. */
  readonly sourceRelation?: string;
}

/** What the post-validation phase sees: data files are written, the commit has not happened. */
export interface PostValidationContext {
  readonly session: DuckDbSession;
  readonly spec: TableSpec;
  readonly plan: LoadPlan;
  readonly table: Table | undefined;
  readonly loadId: string;
  readonly inputRelation: string;
  readonly added: readonly DataFile[];
  readonly removed: readonly DataFile[];
  /** A DuckDB SELECT of the table's rows as they will be after the commit (live files − removed + added). */
  tableAfterSql(): Promise<string>;
}

/** What a phase reports back. Throwing (e.g. `ValidationFailedError`) fails the load; nothing is committed. */
export interface PhaseOutcome {
  readonly outcomes?: readonly ValidationOutcome[];
  /** Rows the phase removed from the batch (pre only). */
  readonly rowsRejected?: number;
}

/** Validation hooks of a load. */
export interface LoadPhases {
  /** Runs on the staged, deduped batch before any file is written. */
  pre?(ctx: PreValidationContext): Promise<PhaseOutcome | void>;
  /** Runs on the table state about to be committed (after files are written, before the commit). */
  post?(ctx: PostValidationContext): Promise<PhaseOutcome | void>;
}
