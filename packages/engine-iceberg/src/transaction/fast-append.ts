import { CommitFailedError, IcebergError } from "../errors.js";
import { newSnapshotId, newUuid, sleep } from "../internal/ids.js";
import { EntryStatus, type DataFile, type ManifestEntry } from "../manifest/data-file.js";
import type { ManifestFile } from "../manifest/manifest-file.js";
import { writeManifestList } from "../manifest/manifest-list.js";
import { writeManifest } from "../manifest/manifest-writer.js";
import { snapshotManifests } from "../scan/snapshot-manifests.js";
import type { Snapshot } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { appendSummary } from "./snapshot-summary.js";

/** Retry settings of a commit; defaults come from table properties `commit.retry.*` (Java's names). */
export interface RetryOptions {
  /** Retries after the first attempt; default `commit.retry.num-retries` or 10. */
  readonly numRetries?: number;
  /** First backoff in ms; default `commit.retry.min-wait-ms` or 100. */
  readonly minWaitMs?: number;
  /** Backoff cap in ms; default `commit.retry.max-wait-ms` or 60000. */
  readonly maxWaitMs?: number;
}

const metadataDir = (table: Table): string => `${table.metadata.location.replace(/\/+$/, "")}/metadata`;

/**
 * Appends data files in a new snapshot without rewriting existing manifests (Java's FastAppend).
 *
 * ```ts
 * const next = await table.newAppend().appendFile(file).setProperty("engine.load-id", id).commit();
 * ```
 */
export class FastAppend {
  private readonly files: DataFile[] = [];
  private readonly extra: Record<string, string> = {};
  private readonly commitUuid = newUuid();
  private snapshotId = newSnapshotId();
  // Manifests of the added files are written once and reused on every retry (keyed by spec id).
  private written: ManifestFile[] | undefined;

  constructor(private readonly table: Table, private readonly retry: RetryOptions = {}) {}

  /** Adds a data (or delete) file; its `specId` chooses the manifest it goes into. */
  appendFile(file: DataFile): this {
    this.files.push(file);
    return this;
  }

  /** Sets a custom snapshot summary property (e.g. an engine's load id). */
  setProperty(key: string, value: string): this {
    this.extra[key] = value;
    return this;
  }

  private async writeManifests(base: Table): Promise<ManifestFile[]> {
    if (this.written) return this.written;
    const bySpec = new Map<number, DataFile[]>();
    for (const f of this.files) {
      const l = bySpec.get(f.specId);
      if (l) l.push(f); else bySpec.set(f.specId, [f]);
    }
    const out: ManifestFile[] = [];
    let i = 0;
    for (const [specId, files] of bySpec) {
      const spec = base.specById(specId);
      const path = `${metadataDir(base)}/${this.commitUuid}-m${i++}.avro`;
      // Spec: ADDED entries leave sequence numbers null so they inherit the manifest list's value.
      const entries: ManifestEntry[] = files.map((dataFile) => ({ status: EntryStatus.Added, snapshotId: this.snapshotId, dataFile }));
      const { data, manifestFile } = writeManifest({
        formatVersion: base.metadata.formatVersion, path, spec, schema: base.schema(), snapshotId: this.snapshotId, entries,
        content: files.every((f) => f.content === 0) ? 0 : 1,
      });
      await base.io.newOutputFile(path).write(data);
      out.push(manifestFile);
    }
    this.written = out;
    return out;
  }

  /** Commits the snapshot, refreshing and retrying with exponential backoff and jitter on conflicts; returns the refreshed table. */
  async commit(): Promise<Table> {
    const catalog = this.table.catalog;
    if (!catalog) throw new IcebergError("READ_ONLY_TABLE", "append: expected a table loaded from a catalog, got a read-only table");
    const prop = (k: string, d: number): number => {
      const v = Number(this.table.metadata.properties[k]);
      return Number.isFinite(v) && this.table.metadata.properties[k] !== undefined ? v : d;
    };
    const numRetries = this.retry.numRetries ?? prop("commit.retry.num-retries", 10);
    const minWait = this.retry.minWaitMs ?? prop("commit.retry.min-wait-ms", 100);
    const maxWait = this.retry.maxWaitMs ?? prop("commit.retry.max-wait-ms", 60_000);
    let base = this.table;
    for (let attempt = 0; ; attempt++) {
      let listPath: string | undefined;
      try {
        while (base.snapshot(this.snapshotId)) this.snapshotId = newSnapshotId();
        const newManifests = await this.writeManifests(base);
        const md = base.metadata;
        const v1 = md.formatVersion === 1;
        const parent = base.currentSnapshot();
        const seq = v1 ? 0n : md.lastSequenceNumber + 1n;
        const parentManifests = parent ? await snapshotManifests(parent, base.io, base.remap) : [];
        const manifests = [
          ...newManifests.map((m) => ({ ...m, sequenceNumber: seq, minSequenceNumber: seq, addedSnapshotId: this.snapshotId })),
          ...parentManifests,
        ];
        listPath = `${metadataDir(base)}/snap-${this.snapshotId}-${attempt + 1}-${this.commitUuid}.avro`;
        await base.io.newOutputFile(listPath).write(writeManifestList({
          formatVersion: md.formatVersion, snapshotId: this.snapshotId, sequenceNumber: seq, manifests,
          ...(parent ? { parentSnapshotId: parent.snapshotId } : {}),
        }));
        const snapshot: Snapshot = {
          snapshotId: this.snapshotId,
          ...(parent ? { parentSnapshotId: parent.snapshotId } : {}),
          sequenceNumber: seq,
          timestampMs: BigInt(Math.max(Date.now(), Number(md.lastUpdatedMs))),
          manifestList: listPath,
          summary: appendSummary({ added: this.files, parent: parent?.summary, extra: this.extra }),
          schemaId: md.currentSchemaId,
        };
        await catalog.commitTable(base.identifier,
          [{ type: "assert-ref-snapshot-id", ref: "main", snapshotId: parent?.snapshotId ?? null }],
          [{ action: "add-snapshot", snapshot }, { action: "set-snapshot-ref", refName: "main", snapshotId: this.snapshotId, type: "branch" }]);
        return await catalog.loadTable(base.identifier);
      } catch (e) {
        if (!(e instanceof CommitFailedError) || attempt >= numRetries) throw e;
        if (listPath) await base.io.delete([listPath]).catch(() => undefined);
        const backoff = Math.min(maxWait, minWait * 2 ** attempt);
        await sleep(backoff * (0.5 + Math.random()));
        base = await base.refresh();
      }
    }
  }
}
