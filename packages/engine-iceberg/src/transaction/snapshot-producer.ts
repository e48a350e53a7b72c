import { CommitAbortedError, CommitConflictError, CommitFailedError, CommitStateUnknownError, IcebergError } from "../errors.js";
import type { Expression } from "../expr/expression.js";
import { summaryMightMatch } from "../expr/metrics-evaluator.js";
import { newSnapshotId, newUuid, sleep } from "../internal/ids.js";
import { EntryStatus, FileContent, type DataFile, type ManifestEntry } from "../manifest/data-file.js";
import type { ManifestFile } from "../manifest/manifest-file.js";
import { writeManifestList } from "../manifest/manifest-list.js";
import { writeManifest } from "../manifest/manifest-writer.js";
import { partitionKey } from "../scan/delete-index.js";
import { rowFilterMatcher, type RowFilterMatcher } from "../scan/row-filter-match.js";
import { loadManifest, snapshotManifests } from "../scan/snapshot-manifests.js";
import type { Snapshot, SnapshotOperation } from "../spec/snapshot.js";
import type { Table } from "../table/table.js";
import { snapshotsSince } from "./conflict-validation.js";
import { carryOver, mergeSettings, planMerge } from "./manifest-merge.js";
import { snapshotSummary } from "./snapshot-summary.js";
import type { TableRequirement, TableUpdate } from "./updates.js";

/** Retry settings of a commit; defaults come from table properties `commit.retry.*` (Java's names). */
export interface RetryOptions {
  /** Retries after the first attempt; default `commit.retry.num-retries` or 10. */
  readonly numRetries?: number;
  /** First backoff in ms; default `commit.retry.min-wait-ms` or 100. */
  readonly minWaitMs?: number;
  /** Backoff cap in ms; default `commit.retry.max-wait-ms` or 60000. */
  readonly maxWaitMs?: number;
}

/** What an action's `validate` hook gets on each attempt. */
export interface ValidationContext {
  /** The freshly loaded table the attempt commits on. */
  readonly base: Table;
  /** The head of the target branch in `base` (the new snapshot's parent). */
  readonly parent: Snapshot | undefined;
  /** The snapshot the action started from (see `validateFromSnapshot`). */
  readonly startingSnapshotId: bigint | undefined;
  /** Snapshots committed on the branch since the starting snapshot, newest first (throws CommitConflictError if the history is gone). */
  since(): Snapshot[];
}

const metadataDir = (table: Table): string => `${table.metadata.location.replace(/\/+$/, "")}/metadata`;

/** Retry settings resolved from options and table properties. */
export function retrySettings(table: Table, retry: RetryOptions): Required<RetryOptions> {
  const prop = (k: string, d: number): number => {
    const raw = table.metadata.properties[k];
    const v = Number(raw);
    return raw !== undefined && Number.isFinite(v) ? v : d;
  };
  return {
    numRetries: retry.numRetries ?? prop("commit.retry.num-retries", 10),
    minWaitMs: retry.minWaitMs ?? prop("commit.retry.min-wait-ms", 100),
    maxWaitMs: retry.maxWaitMs ?? prop("commit.retry.max-wait-ms", 60_000),
  };
}

/** Sleeps for the jittered exponential backoff of an attempt. */
export async function backoff(settings: Required<RetryOptions>, attempt: number): Promise<void> {
  const ms = Math.min(settings.maxWaitMs, settings.minWaitMs * 2 ** attempt);
  await sleep(ms * (0.5 + Math.random()));
}

/**
 * The shared engine of every snapshot-producing action (Java's SnapshotProducer and
 * MergingSnapshotProducer): writes manifests for added files, rewrites parent manifests that lose
 * files (removed by path, row filter or partition), merges small manifests, writes the manifest
 * list and commits `add-snapshot` + `set-snapshot-ref` with optimistic retries. Subclasses only
 * say which files change, which operation it is, and what to validate against concurrent commits.
 */
export abstract class SnapshotProducer {
  /** Files added as ADDED entries; data and delete files go to separate manifests. */
  protected readonly added: DataFile[] = [];
  /** Explicit data sequence number of added data files (RewriteFiles); undefined inherits the snapshot's. */
  protected addedDataSequenceNumber: bigint | undefined;
  /** Paths of files to remove; each must be live in the base, or the commit fails with CommitConflictError. */
  protected readonly removedPaths = new Map<string, DataFile | undefined>();
  /** Row filter: live files whose rows all match are removed; data files that match only partly are an error unless removed by path. */
  protected rowFilter: Expression | undefined;
  /** Partition keys (`partitionKey`) whose data and delete files are all removed. */
  protected readonly droppedPartitions = new Set<string>();

  private readonly extra: Record<string, string> = {};
  private readonly commitUuid = newUuid();
  private snapshotId = newSnapshotId();
  private branch = "main";
  private explicitStart: { id: bigint | undefined } | undefined;
  private counter = 0;
  private addedManifests: ManifestFile[] | undefined;
  private readonly ownEntries = new Map<string, readonly ManifestEntry[]>();
  private readonly filtered = new Map<string, { manifest: ManifestFile; removed: DataFile[] } | null>();
  private readonly written = new Set<string>();

  protected constructor(protected readonly table: Table, protected readonly retry: RetryOptions = {}) {}

  /** The snapshot operation written to the summary. */
  protected abstract operation(): SnapshotOperation;
  /** The action's name in messages. */
  protected abstract get actionName(): string;
  /** Checks the attempt's base for conflicting concurrent changes; throws CommitConflictError. Runs on every attempt. */
  protected async validate(_ctx: ValidationContext): Promise<void> {}

  /** Sets a custom snapshot summary property (e.g. an engine's load id). */
  setProperty(key: string, value: string): this {
    this.extra[key] = value;
    return this;
  }

  /** Commits to a branch other than `main` (created when absent). */
  toBranch(name: string): this {
    this.branch = name;
    return this;
  }

  /** Sets the snapshot conflict validation starts from; defaults to the branch head when the action was created. */
  protected setStartingSnapshot(snapshotId: bigint | undefined): void {
    this.explicitStart = { id: snapshotId };
  }

  /** The snapshot conflict validation starts from. */
  protected startingSnapshotId(): bigint | undefined {
    return this.explicitStart ? this.explicitStart.id : this.table.metadata.refs[this.branch]?.snapshotId;
  }

  /** Commits the snapshot, refreshing and re-validating on conflicts; returns the table at the new metadata. */
  async commit(): Promise<Table> {
    const catalog = this.table.catalog;
    if (!catalog) throw new IcebergError("READ_ONLY_TABLE", `${this.actionName}: expected a table loaded from a catalog, got a read-only table`);
    const settings = retrySettings(this.table, this.retry);
    let base = this.table;
    for (let attempt = 0; ; attempt++) {
      let listPath: string | undefined;
      try {
        const staged = await this.stage(base, attempt);
        listPath = staged.listPath;
        const requirements: TableRequirement[] = [
          { type: "assert-table-uuid", uuid: base.metadata.tableUuid },
          { type: "assert-ref-snapshot-id", ref: this.branch, snapshotId: staged.snapshot.parentSnapshotId ?? null },
        ];
        const updates: TableUpdate[] = [
          { action: "add-snapshot", snapshot: staged.snapshot },
          { action: "set-snapshot-ref", refName: this.branch, snapshotId: staged.snapshot.snapshotId, type: "branch" },
        ];
        let result;
        try {
          result = await catalog.commitTable(base.identifier, base.metadata.tableUuid === "" ? requirements.slice(1) : requirements, updates);
        } catch (e) {
          // A failure the catalog did not classify may have happened after the swap: never clean up or retry it.
          if (e instanceof IcebergError) throw e;
          throw new CommitStateUnknownError(`${this.actionName}: commit of snapshot ${staged.snapshot.snapshotId}: outcome unknown: ${(e as Error)?.message ?? String(e)}`, { cause: e });
        }
        await this.deleteQuietly(base, [...this.written].filter((p) => !staged.used.has(p)));
        return base.withMetadata(result.metadata, result.metadataLocation);
      } catch (e) {
        if (e instanceof CommitStateUnknownError) throw e;
        const retriable = e instanceof CommitFailedError && !(e instanceof CommitConflictError) && !(e instanceof CommitAbortedError) && attempt < settings.numRetries;
        if (!retriable) {
          await this.deleteQuietly(base, [...this.written]);
          throw e;
        }
        if (listPath) { await this.deleteQuietly(base, [listPath]); this.written.delete(listPath); }
        await backoff(settings, attempt);
        base = await base.refresh();
      }
    }
  }

  private async deleteQuietly(base: Table, paths: readonly string[]): Promise<void> {
    if (paths.length > 0) await base.io.delete(paths).catch(() => undefined);
  }

  /** Validates, writes manifests and the manifest list for one attempt; returns the snapshot and the files it uses. */
  private async stage(base: Table, attempt: number): Promise<{ snapshot: Snapshot; listPath: string; used: Set<string> }> {
    while (base.snapshot(this.snapshotId)) {
      // A snapshot id clash invalidates everything that embeds the id.
      this.snapshotId = newSnapshotId();
      this.addedManifests = undefined;
      this.filtered.clear();
    }
    const md = base.metadata;
    const v1 = md.formatVersion === 1;
    const parentId = md.refs[this.branch]?.snapshotId;
    const parent = parentId === undefined ? undefined : base.snapshot(parentId);
    const startingSnapshotId = this.startingSnapshotId();
    let since: Snapshot[] | undefined;
    await this.validate({
      base, parent, startingSnapshotId,
      since: () => (since ??= snapshotsSince(base, parentId, startingSnapshotId, this.actionName)),
    });
    const seq = v1 ? 0n : md.lastSequenceNumber + 1n;
    const newManifests = await this.writeAddedManifests(base);
    const parentManifests = parent ? await snapshotManifests(parent, base.io, base.remap) : [];
    const { kept, removed } = await this.filterManifests(base, parentManifests);
    const manifests = (await this.mergeManifests(base, [...newManifests, ...kept])).map((m) => this.finalize(m, seq));

    const listPath = `${metadataDir(base)}/snap-${this.snapshotId}-${attempt + 1}-${this.commitUuid}.avro`;
    await base.io.newOutputFile(listPath).write(writeManifestList({
      formatVersion: md.formatVersion, snapshotId: this.snapshotId, sequenceNumber: seq, manifests,
      ...(parent ? { parentSnapshotId: parent.snapshotId } : {}),
    }));
    this.written.add(listPath);
    const snapshot: Snapshot = {
      snapshotId: this.snapshotId,
      ...(parent ? { parentSnapshotId: parent.snapshotId } : {}),
      sequenceNumber: seq,
      timestampMs: BigInt(Math.max(Date.now(), Number(md.lastUpdatedMs))),
      manifestList: listPath,
      summary: snapshotSummary({
        operation: this.operation(), added: this.added, removed, parent: parent?.summary, hasParent: parent !== undefined,
        extra: { ...this.summaryExtras(), ...this.extra },
      }),
      schemaId: md.currentSchemaId,
    };
    return { snapshot, listPath, used: new Set([listPath, ...manifests.map((m) => m.manifestPath)]) };
  }

  /** Extra summary properties of the action (e.g. `replace-partitions`). */
  protected summaryExtras(): Record<string, string> { return {}; }

  private async writeOwnManifest(base: Table, specId: number, content: 0 | 1, entries: readonly ManifestEntry[]): Promise<ManifestFile> {
    const path = `${metadataDir(base)}/${this.commitUuid}-m${this.counter++}.avro`;
    const { data, manifestFile } = writeManifest({
      formatVersion: base.metadata.formatVersion, path, spec: base.specById(specId), schema: base.schema(),
      snapshotId: this.snapshotId, entries, content,
    });
    await base.io.newOutputFile(path).write(data);
    this.written.add(path);
    this.ownEntries.set(path, entries);
    return manifestFile;
  }

  // Added files are written once and reused by every attempt: ADDED entries inherit the sequence number.
  private async writeAddedManifests(base: Table): Promise<ManifestFile[]> {
    if (this.addedManifests) return this.addedManifests;
    const groups = new Map<string, { specId: number; content: 0 | 1; files: DataFile[] }>();
    for (const f of this.added) {
      const content = f.content === FileContent.Data ? 0 : 1;
      const k = `${content}:${f.specId}`;
      const g = groups.get(k);
      if (g) g.files.push(f); else groups.set(k, { specId: f.specId, content, files: [f] });
    }
    const out: ManifestFile[] = [];
    for (const g of [...groups.values()].sort((a, b) => a.content - b.content)) {
      const entries: ManifestEntry[] = g.files.map((dataFile) => ({
        status: EntryStatus.Added, snapshotId: this.snapshotId, dataFile,
        // Spec: an explicit data sequence number on an ADDED entry overrides inheritance (used by rewrites).
        ...(this.addedDataSequenceNumber !== undefined && dataFile.content === FileContent.Data ? { sequenceNumber: this.addedDataSequenceNumber } : {}),
      }));
      out.push(await this.writeOwnManifest(base, g.specId, g.content, entries));
    }
    this.addedManifests = out;
    return out;
  }

  /** Rewrites parent manifests that lose files; entries that stay become EXISTING, removed ones DELETED (sequence numbers kept). */
  private async filterManifests(base: Table, manifests: readonly ManifestFile[]): Promise<{ kept: ManifestFile[]; removed: DataFile[] }> {
    // Spec: a manifest whose entries are all DELETED by earlier snapshots adds nothing to a new snapshot.
    const live = manifests.filter((m) => !(m.deletedFilesCount > 0 && m.addedFilesCount === 0 && m.existingFilesCount === 0));
    if (this.removedPaths.size === 0 && this.rowFilter === undefined && this.droppedPartitions.size === 0) return { kept: live, removed: [] };
    const matcher = this.rowFilter ? rowFilterMatcher(base, this.rowFilter) : undefined;
    const kept: ManifestFile[] = [];
    const removed: DataFile[] = [];
    for (const mf of live) {
      let r = this.filtered.get(mf.manifestPath);
      if (r === undefined) {
        r = (await this.mayTouch(base, mf, matcher)) ? await this.filterOne(base, mf, matcher) : null;
        this.filtered.set(mf.manifestPath, r);
      }
      if (r === null) { kept.push(mf); continue; }
      kept.push(r.manifest);
      removed.push(...r.removed);
    }
    const gone = new Set(removed.map((f) => f.filePath));
    const missing = [...this.removedPaths.keys()].filter((p) => !gone.has(p));
    if (missing.length > 0) {
      throw new CommitConflictError(`${this.actionName}: expected ${missing.length} file(s) to remove to be live in the current snapshot, got them missing (removed by a concurrent commit?): ${missing.slice(0, 3).join(", ")}`, {
        context: { missing: missing.slice(0, 20) },
      });
    }
    return { kept, removed };
  }

  private async mayTouch(base: Table, mf: ManifestFile, matcher: RowFilterMatcher | undefined): Promise<boolean> {
    if (this.removedPaths.size > 0) return true;
    const prefix = `${mf.partitionSpecId}:`;
    for (const k of this.droppedPartitions) if (k.startsWith(prefix)) return true;
    if (matcher) {
      const spec = base.specs().get(mf.partitionSpecId);
      if (!spec) return true;
      return summaryMightMatch(matcher.inclusive(mf.partitionSpecId), spec.fields.map((f) => f.fieldId), mf.partitions);
    }
    return false;
  }

  private async filterOne(base: Table, mf: ManifestFile, matcher: RowFilterMatcher | undefined): Promise<{ manifest: ManifestFile; removed: DataFile[] } | null> {
    const m = await loadManifest(mf, base.io, base.remap);
    const entries: ManifestEntry[] = [];
    const removed: DataFile[] = [];
    const partial: string[] = [];
    for (const e of m.entries) {
      if (e.status === EntryStatus.Deleted) continue;
      const f = e.dataFile;
      let drop = this.removedPaths.has(f.filePath) || this.droppedPartitions.has(partitionKey(f.specId, f.partition));
      if (!drop && matcher) {
        const how = matcher.match(f);
        if (how === "all") drop = true;
        else if (how === "some" && f.content === FileContent.Data) partial.push(f.filePath);
      }
      if (drop) {
        removed.push(f);
        entries.push({ ...e, status: EntryStatus.Deleted, snapshotId: this.snapshotId });
      } else {
        entries.push({ ...e, status: EntryStatus.Existing });
      }
    }
    if (partial.length > 0) {
      throw new IcebergError("DELETE_NEEDS_REWRITE", `${this.actionName}: expected every file matching the row filter to match it wholly, got ${partial.length} that match only partly (rewrite them; see planDelete): ${partial.slice(0, 3).join(", ")}`, {
        context: { files: partial.slice(0, 20) },
      });
    }
    if (removed.length === 0) return null;
    // Spec: entries carried into a rewritten manifest keep their snapshot id and sequence numbers.
    return { manifest: await this.writeOwnManifest(base, mf.partitionSpecId, mf.content, entries), removed };
  }

  private async mergeManifests(base: Table, manifests: ManifestFile[]): Promise<ManifestFile[]> {
    const out: ManifestFile[] = [];
    for (const item of planMerge(manifests, mergeSettings(base.metadata.properties))) {
      if (!Array.isArray(item)) { out.push(item); continue; }
      const entries: ManifestEntry[] = [];
      for (const m of item) {
        const own = m.addedSnapshotId === this.snapshotId ? this.ownEntries.get(m.manifestPath) : undefined;
        entries.push(...carryOver(own ?? (await loadManifest(m, base.io, base.remap)).entries, own !== undefined));
      }
      out.push(await this.writeOwnManifest(base, item[0]!.partitionSpecId, item[0]!.content, entries));
    }
    return out;
  }

  /** Sets the list entry's sequence numbers of a manifest written by this snapshot (they depend on the attempt's base). */
  private finalize(mf: ManifestFile, seq: bigint): ManifestFile {
    const own = mf.addedSnapshotId === this.snapshotId ? this.ownEntries.get(mf.manifestPath) : undefined;
    if (!own) return mf;
    let min: bigint | undefined;
    for (const e of own) {
      if (e.status === EntryStatus.Deleted) continue;
      const s = e.sequenceNumber ?? seq;
      if (min === undefined || s < min) min = s;
    }
    return { ...mf, sequenceNumber: seq, minSequenceNumber: min ?? seq };
  }
}

