import type { DataFile } from "../manifest/data-file.js";
import type { SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { SnapshotProducer, type RetryOptions } from "./snapshot-producer.js";

export type { RetryOptions } from "./snapshot-producer.js";

/**
 * Appends files in a new snapshot (`operation=append`). Existing manifests are reused; small
 * manifests are merged per `commit.manifest-merge.enabled`, `commit.manifest.min-count-to-merge`
 * and `commit.manifest.target-size-bytes`, so the manifest count stays bounded. Appends never
 * conflict: a lost race is retried on the refreshed table.
 *
 * ```ts
 * const next = await table.newAppend().appendFile(file).setProperty("engine.load-id", id).commit();
 * ```
 */
export class FastAppend extends SnapshotProducer {
  constructor(table: Table, retry: RetryOptions = {}) {
    super(table, retry);
  }

  protected get actionName(): string { return "append"; }
  protected operation(): SnapshotOperation { return "append"; }

  /** Adds a data (or delete) file; its `specId` chooses the manifest it goes into. */
  appendFile(file: DataFile): this {
    this.added.push(file);
    return this;
  }
}
