// Opens the `Engine` facade lazily, so that the spec-only commands (validate-spec, schema) start
// without loading DuckDB.

import type { Engine, HistoryEntry } from "../engine/engine.js";
import type { LoadResult } from "../load/run-load.js";

/** What a load reports, as the CLI prints it. */
export type CliLoadResult = Pick<LoadResult, "table" | "snapshotId" | "rowsRead" | "rowsWritten" | "duplicatesDropped" | "filesWritten" | "bytesWritten" | "durationMs">
  & Partial<Pick<LoadResult, "status" | "mode" | "rowsRejected" | "rowsInserted" | "rowsUpdated" | "rowsDeleted" | "rowsStale" | "filesRemoved" | "validations" | "message" | "stages">>;

/** One snapshot of a table's history, as the CLI prints it. */
export type CliSnapshot = Pick<HistoryEntry, "snapshotId" | "timestampMs" | "operation" | "summary">;

/** Opens an engine on a warehouse (default ./warehouse), runs `work` with it and always closes it. */
export async function withEngine<T>(options: { warehouse?: string }, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { Engine } = await import("../engine/engine.js");
  const engine = await Engine.open(options.warehouse === undefined ? {} : { warehouse: options.warehouse });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
