import { CommitAbortedError, CommitConflictError, CommitFailedError, CommitStateUnknownError, IcebergError } from "../errors.js";
import type { Table } from "../table/table.js";
import { backoff, retrySettings, type RetryOptions } from "./snapshot-producer.js";
import type { TableRequirement, TableUpdate } from "./updates.js";

/** The requirements and updates of one metadata change, built against a base. */
export interface MetadataChange {
  readonly requirements: readonly TableRequirement[];
  readonly updates: readonly TableUpdate[];
}

/**
 * Commits a metadata-only change through the table's catalog. With `retry`, a lost race rebuilds
 * the change on the refreshed table (the builder re-validates); without, it fails with
 * CommitFailedError. Unclassified catalog failures become CommitStateUnknownError.
 */
export async function commitMetadataChange(
  table: Table, what: string, build: (base: Table) => MetadataChange, options: { retry?: boolean } & RetryOptions = {},
): Promise<Table> {
  const catalog = table.catalog;
  if (!catalog) throw new IcebergError("READ_ONLY_TABLE", `${what}: expected a table loaded from a catalog, got a read-only table`);
  const settings = retrySettings(table, options);
  let base = table;
  for (let attempt = 0; ; attempt++) {
    const change = build(base);
    if (change.updates.length === 0) return base;
    try {
      const requirements = base.metadata.tableUuid === ""
        ? change.requirements
        : [{ type: "assert-table-uuid", uuid: base.metadata.tableUuid } as const, ...change.requirements];
      const result = await catalog.commitTable(base.identifier, requirements, change.updates).catch((e: unknown) => {
        if (e instanceof IcebergError) throw e;
        throw new CommitStateUnknownError(`${what}: outcome unknown: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      });
      return base.withMetadata(result.metadata, result.metadataLocation);
    } catch (e) {
      if (!options.retry || !(e instanceof CommitFailedError) || e instanceof CommitConflictError || e instanceof CommitAbortedError || attempt >= settings.numRetries) throw e;
      await backoff(settings, attempt);
      base = await base.refresh();
    }
  }
}
