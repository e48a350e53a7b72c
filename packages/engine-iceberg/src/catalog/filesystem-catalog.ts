import { promises as fs } from "node:fs";
import * as path from "node:path";
import {
  AlreadyExistsError, CommitAbortedError, CommitFailedError, CommitStateUnknownError, FileNotCreatedError, IcebergError, NoSuchNamespaceError, NoSuchTableError,
} from "../errors.js";
import { newUuid } from "../internal/ids.js";
import type { FileIO } from "../io/file-io.js";
import { LocalFileIO } from "../io/local-file-io.js";
import type { PartitionSpec } from "../spec/partition-spec.js";
import { highestFieldId } from "../spec/schema.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import { parseTableMetadata, serializeTableMetadata } from "../spec/table-metadata-json.js";
import { Table } from "../table/table.js";
import { applyUpdates } from "../transaction/apply-update.js";
import { checkRequirements } from "../transaction/requirements.js";
import type { TableRequirement, TableUpdate } from "../transaction/updates.js";
import type { Catalog, CommitResult, CreateTableOptions, TableIdentifier } from "./catalog.js";
import { MetadataCache } from "./metadata-cache.js";

/** Options of FileSystemCatalog. */
export interface FileSystemCatalogOptions {
  /** Root folder (or file: URL) holding `<namespace…>/<table>/metadata/vN.metadata.json`. */
  readonly warehouse: string;
  /** Defaults to LocalFileIO. */
  readonly io?: FileIO;
  /** Defaults to "filesystem". */
  readonly name?: string;
}

const VERSION_RE = /^v(\d+)(\.gz)?\.metadata\.json$/;
const showId = (id: TableIdentifier): string => [...id.namespace, id.name].join(".");

/**
 * A Hadoop-catalog compatible catalog on a filesystem: `metadata/vN.metadata.json` plus an
 * advisory `version-hint.text`; a commit creates v(N+1) exclusively, so one writer wins each version.
 *
 * ```ts
 * const catalog = new FileSystemCatalog({ warehouse: "./warehouse" });
 * const table = await catalog.createTable({ namespace: ["sales"], name: "orders" }, { schema });
 * ```
 */
export class FileSystemCatalog implements Catalog {
  readonly name: string;
  readonly warehouse: string;
  readonly io: FileIO;
  private readonly cache = new MetadataCache();

  constructor(options: FileSystemCatalogOptions) {
    this.warehouse = options.warehouse.replace(/\/+$/, "");
    this.io = options.io ?? new LocalFileIO();
    this.name = options.name ?? "filesystem";
  }

  private local(location: string): string {
    const p = this.io.localPath(location);
    if (p === undefined) throw new IcebergError("UNSUPPORTED", `catalog: ${location}: expected a local filesystem location, got one the FileIO cannot list`);
    return p;
  }

  private nsDir(ns: readonly string[]): string { return [this.warehouse, ...ns].join("/"); }
  /** The folder of a table. */
  tableLocation(id: TableIdentifier): string { return [this.warehouse, ...id.namespace, id.name].join("/"); }
  private metadataDir(id: TableIdentifier): string { return `${this.tableLocation(id)}/metadata`; }

  async listNamespaces(): Promise<string[][]> {
    const out: string[][] = [];
    const walk = async (ns: string[]): Promise<void> => {
      let entries;
      try { entries = await fs.readdir(this.local(this.nsDir(ns)), { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        if (!e.isDirectory() || e.name.startsWith(".")) continue;
        const child = [...ns, e.name];
        if (await this.isTableDir(child)) continue;
        out.push(child);
        await walk(child);
      }
    };
    await walk([]);
    return out;
  }

  private async isTableDir(parts: readonly string[]): Promise<boolean> {
    try { return (await fs.stat(this.local(`${this.nsDir(parts)}/metadata`))).isDirectory(); } catch { return false; }
  }

  async createNamespace(namespace: readonly string[]): Promise<void> {
    if (await this.namespaceExists(namespace)) throw new AlreadyExistsError(`namespace ${namespace.join(".")}`);
    await fs.mkdir(this.local(this.nsDir(namespace)), { recursive: true });
  }

  async namespaceExists(namespace: readonly string[]): Promise<boolean> {
    try { return (await fs.stat(this.local(this.nsDir(namespace)))).isDirectory() && !(await this.isTableDir(namespace)); } catch { return false; }
  }

  async listTables(namespace: readonly string[]): Promise<TableIdentifier[]> {
    if (!(await this.namespaceExists(namespace))) throw new NoSuchNamespaceError(namespace.join("."));
    const entries = await fs.readdir(this.local(this.nsDir(namespace)), { withFileTypes: true });
    const out: TableIdentifier[] = [];
    for (const e of entries) if (e.isDirectory() && (await this.isTableDir([...namespace, e.name]))) out.push({ namespace: [...namespace], name: e.name });
    return out;
  }

  /** The latest committed version number: the hint, then probing upward (the hint may be stale); falls back to listing. */
  private async currentVersion(id: TableIdentifier): Promise<{ version: number; location: string } | undefined> {
    const dir = this.metadataDir(id);
    let version = 0;
    try {
      const hint = new TextDecoder().decode(await this.io.newInputFile(`${dir}/version-hint.text`).read()).trim();
      if (/^\d+$/.test(hint)) version = Number(hint);
    } catch { /* no hint: list below */ }
    if (version === 0) {
      try {
        for (const name of await fs.readdir(this.local(dir))) {
          const m = VERSION_RE.exec(name);
          if (m) version = Math.max(version, Number(m[1]));
        }
      } catch { return undefined; }
      if (version === 0) return undefined;
    }
    const locate = async (v: number): Promise<string | undefined> => {
      for (const name of [`v${v}.metadata.json`, `v${v}.gz.metadata.json`]) {
        if (await this.io.newInputFile(`${dir}/${name}`).exists()) return `${dir}/${name}`;
      }
      return undefined;
    };
    let location = await locate(version);
    if (!location) return undefined;
    for (;;) {
      const next = await locate(version + 1);
      if (!next) break;
      version++;
      location = next;
    }
    return { version, location };
  }

  async loadTable(id: TableIdentifier): Promise<Table> {
    const cur = await this.currentVersion(id);
    if (!cur) throw new NoSuchTableError(showId(id));
    const metadata = await this.readMetadata(cur.location);
    return new Table({ identifier: id, metadata, metadataLocation: cur.location, io: this.io, catalog: this });
  }

  /** Reads and parses a metadata file, reusing an earlier parse (or the commit that wrote it) when the file is the same. */
  private async readMetadata(location: string): Promise<TableMetadata> {
    const identity = await this.fileIdentity(location);
    const cached = identity === undefined ? undefined : this.cache.get(location, identity);
    if (cached) return cached;
    const metadata = parseTableMetadata(await this.io.newInputFile(location).read());
    if (identity !== undefined) this.cache.put(location, identity, metadata);
    return metadata;
  }

  /** Device, inode, size and mtime of a local file: a metadata file written again under the same name gets another. */
  private async fileIdentity(location: string): Promise<string | undefined> {
    const p = this.io.localPath(location);
    if (p === undefined) return undefined;
    try {
      const st = await fs.stat(p, { bigint: true });
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      return undefined;
    }
  }

  async tableExists(id: TableIdentifier): Promise<boolean> {
    return (await this.currentVersion(id)) !== undefined;
  }

  async createTable(id: TableIdentifier, options: CreateTableOptions): Promise<Table> {
    if (await this.tableExists(id)) throw new AlreadyExistsError(`table ${showId(id)}`);
    const spec: PartitionSpec = { specId: 0, fields: options.partitionFields ?? [] };
    const now = BigInt(Date.now());
    const metadata: TableMetadata = {
      formatVersion: options.formatVersion ?? 2,
      tableUuid: newUuid(),
      location: options.location ?? this.tableLocation(id),
      lastSequenceNumber: 0n,
      lastUpdatedMs: now,
      lastColumnId: highestFieldId(options.schema),
      schemas: [options.schema],
      currentSchemaId: options.schema.schemaId,
      partitionSpecs: [spec],
      defaultSpecId: 0,
      lastPartitionId: Math.max(999, ...spec.fields.map((f) => f.fieldId)),
      properties: { ...(options.properties ?? {}) },
      snapshots: [],
      snapshotLog: [],
      metadataLog: [],
      sortOrders: options.sortOrder && options.sortOrder.orderId !== 0 ? [{ orderId: 0, fields: [] }, options.sortOrder] : [{ orderId: 0, fields: [] }],
      defaultSortOrderId: options.sortOrder?.orderId ?? 0,
      refs: {},
    };
    const location = `${this.metadataDir(id)}/v1.metadata.json`;
    try {
      await this.io.newOutputFile(location).createExclusive(new TextEncoder().encode(serializeTableMetadata(metadata)));
    } catch (e) {
      if (e instanceof AlreadyExistsError) throw new AlreadyExistsError(`table ${showId(id)}`);
      throw e;
    }
    await this.io.newOutputFile(`${this.metadataDir(id)}/version-hint.text`).write(new TextEncoder().encode("1"));
    return new Table({ identifier: id, metadata, metadataLocation: location, io: this.io, catalog: this });
  }

  async commitTable(id: TableIdentifier, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): Promise<CommitResult> {
    const cur = await this.currentVersion(id);
    if (!cur) {
      if (requirements.some((r) => r.type === "assert-create")) {
        throw new IcebergError("UNSUPPORTED", `catalog: ${showId(id)}: expected createTable for new tables, got a commit with assert-create`);
      }
      throw new NoSuchTableError(showId(id));
    }
    const base = await this.readMetadata(cur.location);
    checkRequirements(base, requirements);
    let next = applyUpdates(base, updates);
    // Spec: metadata-log lists previous metadata files; Java keeps write.metadata.previous-versions-max (100).
    const max = Number(next.properties["write.metadata.previous-versions-max"] ?? 100);
    const log = [...next.metadataLog, { metadataFile: cur.location, timestampMs: base.lastUpdatedMs }];
    next = { ...next, metadataLog: log.slice(Math.max(0, log.length - max)) };
    const version = cur.version + 1;
    const location = `${this.metadataDir(id)}/v${version}.metadata.json`;
    try {
      await this.io.newOutputFile(location).createExclusive(new TextEncoder().encode(serializeTableMetadata(next)));
    } catch (e) {
      if (e instanceof AlreadyExistsError) {
        throw new CommitFailedError(`catalog: ${showId(id)}: expected to create metadata v${version}, got one written by another committer`, { context: { version }, cause: e });
      }
      // The FileIO proves the new version never appeared (e.g. no space left for its temp file).
      if (e instanceof FileNotCreatedError) {
        throw new CommitAbortedError(`catalog: ${showId(id)}: writing metadata v${version} failed before its atomic swap, nothing was committed: ${(e.cause as Error)?.message ?? e.message}`, { context: { version, location }, cause: e });
      }
      // The swap itself failed in a way that does not say whether the file appeared.
      throw new CommitStateUnknownError(`catalog: ${showId(id)}: writing metadata v${version} failed, outcome unknown: ${(e as Error)?.message ?? String(e)}`, { context: { version, location }, cause: e });
    }
    // The hint is advisory: loaders probe past it, so a failure here does not lose the commit.
    await this.io.newOutputFile(`${this.metadataDir(id)}/version-hint.text`).write(new TextEncoder().encode(String(version))).catch(() => undefined);
    const identity = await this.fileIdentity(location);
    if (identity) this.cache.put(location, identity, next);
    return { metadata: next, metadataLocation: location };
  }

  async dropTable(id: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    if (!(await this.tableExists(id))) throw new NoSuchTableError(showId(id));
    this.cache.evictUnder(`${this.metadataDir(id)}/`);
    const dir = this.local(options.purge ? this.tableLocation(id) : this.metadataDir(id));
    await fs.rm(dir, { recursive: true, force: true });
  }

  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    if (!(await this.tableExists(from))) throw new NoSuchTableError(showId(from));
    this.cache.evictUnder(`${this.metadataDir(from)}/`);
    if (await this.tableExists(to)) throw new AlreadyExistsError(`table ${showId(to)}`);
    const target = this.local(this.tableLocation(to));
    await fs.mkdir(path.dirname(target), { recursive: true });
    // The table's `location` still names the old folder; Hadoop catalogs have the same limitation.
    await fs.rename(this.local(this.tableLocation(from)), target);
  }
}
