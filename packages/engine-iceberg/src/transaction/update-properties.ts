import type { Table } from "../table/table.js";
import { commitMetadataChange } from "./metadata-commit.js";
import type { TableUpdate } from "./updates.js";

/**
 * Sets and removes table properties (`set-properties`, `remove-properties`); retried on a lost race.
 *
 * ```ts
 * await table.updateProperties().set("commit.manifest.min-count-to-merge", "50").remove("owner").commit();
 * ```
 */
export class UpdateProperties {
  private readonly sets: Record<string, string> = {};
  private readonly removals = new Set<string>();

  constructor(private readonly table: Table) {}

  /** Sets a property. */
  set(key: string, value: string): this {
    this.sets[key] = value;
    this.removals.delete(key);
    return this;
  }

  /** Removes a property. */
  remove(key: string): this {
    this.removals.add(key);
    delete this.sets[key];
    return this;
  }

  /** Commits the change; returns the updated table. */
  async commit(): Promise<Table> {
    return commitMetadataChange(this.table, "update-properties", () => {
      const updates: TableUpdate[] = [];
      if (Object.keys(this.sets).length > 0) updates.push({ action: "set-properties", updates: { ...this.sets } });
      if (this.removals.size > 0) updates.push({ action: "remove-properties", removals: [...this.removals] });
      return { requirements: [], updates };
    }, { retry: true });
  }
}
