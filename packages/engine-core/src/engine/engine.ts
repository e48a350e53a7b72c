import { rmSync } from "node:fs";
import { totalmem } from "node:os";
import { NoSuchNamespaceError, Table, type Catalog, type PathRemapper } from "@engine/iceberg";
import { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import { quoteIdent } from "../internal/sql.js";
import { makeSpillFolder, sweepDeadSpillFolders } from "../internal/spill-folders.js";
import type { LoadResult } from "../load/run-load.js";
import type { StageEvent } from "../load/stage-batch.js";
import { dryRunLoad, type LoadPlanReport } from "../load/dry-run.js";
import { backfillValues, type BackfillOptions } from "../load/backfill.js";
import { runCheckedLoad } from "../validate/checked-load.js";
import type { LoadFailureReport } from "../validate/load-checks.js";
import { RemoteFileCache, useFileCache } from "../query/file-cache.js";
import { QueryResult } from "../query/query-result.js";
import { scanSql, type SnapshotSelector } from "../query/scan-sql.js";
import { referencedTables } from "../query/table-refs.js";
import { loadSpec, parseSpec } from "../spec/index.js";
import type { TableSpec } from "../spec/table-spec.js";
import { runAthenaRoute, type AthenaEngineOptions } from "./athena-load.js";
import { isRemoteLocation, openCatalog, registerStorage, warehouseRoot, type CatalogOptions, type S3Options } from "./backends.js";

export type { CatalogOptions, S3Options } from "./backends.js";
export type { AthenaEngineOptions } from "./athena-load.js";

/** Options of `Engine.open`. */
export interface EngineOptions {
  /** Warehouse root: a folder (default `./warehouse`) or an `s3://bucket/prefix` URL. */
  readonly warehouse?: string;
  /** The Iceberg catalog; default `{ type: "filesystem" }` (local warehouses only). */
  readonly catalog?: CatalogOptions;
  /** S3 connection settings for the S3 FileIO (endpoint, region, path style, credentials). */
  readonly s3?: S3Options;
  /** Where specs with `engine: athena` run. */
  readonly athena?: AthenaEngineOptions;
  /**
   * DuckDB limits; `tempDirectory` also holds the local copies of remote table files while the engine is open.
   *
   * - `memoryLimit` (DuckDB `memory_limit`, e.g. `"4GiB"`): default the smaller of 1 GiB and
   *   half the machine's RAM (`DEFAULT_MEMORY_LIMIT_MIB`). DuckDB's own default (80% of RAM)
   *   let a 10M-row (1.2 GB CSV) load reach 3.7 GiB peak RSS; with this default it spills
   *   instead (the dedupe window and the write's sort go to `tempDirectory`) and peaked at
   *   1.7 GiB RSS (1.25 GiB gave 2.08 GiB: RSS runs ~0.7 GiB above the limit). Raise it on a
   *   machine dedicated to loads.
   * - `tempDirectory`: where DuckDB spills. Default: a fresh folder under `os.tmpdir()` unique
   *   to this engine, removed by `close`, or by the next `open` if this process is killed (a
   *   folder given here is left in place).
   */
  readonly duckdb?: { readonly memoryLimit?: string; readonly tempDirectory?: string; readonly threads?: number };
  /** Called with the report of every failed load (validation, bad input, commit); its errors are ignored. */
  readonly onFailure?: (report: LoadFailureReport) => void | Promise<void>;
}

/** Options of `engine.load`. */
export interface LoadOptions {
  /** Replaces the spec's source path (CLI `--source`). */
  readonly source?: string;
  /** Values for `{param}` placeholders. */
  readonly params?: Readonly<Record<string, string>>;
  /** In-memory rows: an array of objects or an Arrow table. */
  readonly data?: unknown;
  /** The run time freshness rules measure against (default: now). */
  readonly now?: Date;
  /** Load even when this load (same spec, source files and params) is already in the table. */
  readonly force?: boolean;
  /** Progress: called when each stage starts and ends. */
  readonly onStage?: (event: StageEvent) => void;
}

/** Options of `engine.query`: time travel per table, e.g. `{ asOf: { "sales.orders": 123n } }`. */
export interface QueryOptions {
  readonly asOf?: Readonly<Record<string, bigint | SnapshotSelector>>;
}

/** One entry of a table's history. */
export interface HistoryEntry {
  readonly snapshotId: bigint;
  readonly parentId?: bigint;
  readonly timestampMs: bigint;
  readonly operation: string;
  readonly summary: Readonly<Record<string, string>>;
}

/** How a registered table's paths map to readable ones: prefix pairs or a function. */
export type RemapOption = PathRemapper | { readonly from: string; readonly to: string } | readonly { readonly from: string; readonly to: string }[];

/**
 * The entry point: loads specs into Iceberg tables and queries them with DuckDB.
 *
 * ```ts
 * const engine = await Engine.open();
 * await engine.load("specs/sales/orders.yaml");
 * const r = await engine.query("select count(*) n from sales.orders");
 * engine.close();
 * ```
 *
 * On AWS only `open` changes:
 *
 * ```ts
 * const engine = await Engine.open({ warehouse: "s3://lake/wh", catalog: { type: "glue" } });
 * ```
 */
export class Engine {
  private readonly registered = new Map<string, Table>();
  /** Views made by `createView` → the tables they read (through other views too). */
  private readonly views = new Map<string, readonly string[]>();
  private constructor(
    readonly warehouse: string,
    readonly catalog: Catalog,
    private readonly session: DuckDbSession,
    private readonly options: EngineOptions,
    private readonly cache: RemoteFileCache | undefined,
    /** The spill folder `open` made (removed by `close`). */
    private readonly spill?: string,
  ) {}

  /**
   * Opens a warehouse and an in-process DuckDB: a local folder with the filesystem catalog, or
   * an `s3://` warehouse with the Glue (or a REST) catalog. DuckDB writes and reads local files
   * only: loads into a remote warehouse upload what DuckDB wrote, and queries read local copies
   * of the table files (cached by path under `duckdb.tempDirectory` or a temp folder, removed
   * by `close`). AWS packages load only when a remote warehouse or the Glue catalog asks for them.
   */
  static async open(options: EngineOptions = {}): Promise<Engine> {
    const warehouse = warehouseRoot(options.warehouse);
    await registerStorage(warehouse, options.s3);
    const catalog = await openCatalog(warehouse, options.catalog, options.s3);
    const remote = isRemoteLocation(warehouse) || (options.catalog?.type ?? "filesystem") !== "filesystem";
    const cache = remote ? RemoteFileCache.create(options.duckdb?.tempDirectory) : undefined;
    // Spill folder: the caller's, else one of our own under the OS temp folder (removed by
    // close; those of killed processes are removed here).
    let spill: string | undefined;
    if (options.duckdb?.tempDirectory === undefined) {
      sweepDeadSpillFolders();
      spill = makeSpillFolder();
    }
    let session: DuckDbSession;
    try {
      session = await DuckDbSession.create({
        ...(options.duckdb ?? {}),
        memoryLimit: options.duckdb?.memoryLimit ?? defaultMemoryLimit(),
        ...(spill !== undefined ? { tempDirectory: spill } : {}),
      });
    } catch (error) {
      cache?.dispose();
      if (spill !== undefined) rmSync(spill, { recursive: true, force: true });
      throw error;
    }
    if (cache) useFileCache(session, cache);
    return new Engine(warehouse, catalog, session, options, cache, spill);
  }

  /**
   * Loads a spec (file path, object or parsed spec) into its table with the spec's write mode,
   * dedupe and validation rules. Loading the same spec, source files and params again is a
   * no-op (`status: "skipped"`) unless `force`. Specs with `engine: athena` run as Athena SQL
   * (an s3:// warehouse with the Glue catalog is required; see `EngineOptions.athena`); `auto`,
   * like `local`, runs in DuckDB here, and `glue` specs are run by their generated Glue job.
   */
  async load(spec: string | object | TableSpec, options: LoadOptions = {}): Promise<LoadResult> {
    return this.runChecked(spec, options, {});
  }

  /**
   * Stages the batch and runs the spec's validation rules (pre and post), committing nothing;
   * the result's `validations` lists every outcome, a failing `error` rule throws.
   */
  async validate(spec: string | object | TableSpec, options: Omit<LoadOptions, "force"> = {}): Promise<LoadResult> {
    return this.runChecked(spec, { ...options, force: true }, { commit: false, audit: false });
  }

  /** What a load would do (mode, partitions touched, rows to insert/update), computed in DuckDB without writing. */
  async plan(spec: string | object | TableSpec, options: Pick<LoadOptions, "source" | "params" | "data" | "onStage"> = {}): Promise<LoadPlanReport> {
    const parsed = this.parse(spec, options.params);
    return dryRunLoad(this.session, this.catalog, parsed, {
      warehouse: this.warehouse,
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.data !== undefined ? { data: options.data } : {}),
      ...(options.onStage ? { onStage: options.onStage } : {}),
    });
  }

  /**
   * Runs one idempotent load per value of a parameter, in order, and returns their results;
   * values already loaded are skipped. Stops at the first failure (the error is rethrown).
   *
   * ```ts
   * await engine.backfill("specs/web/events.yaml", { param: "date", from: "2024-01-01", to: "2024-01-07", step: "1d" });
   * ```
   */
  async backfill(spec: string | object | TableSpec, options: BackfillOptions & Pick<LoadOptions, "onStage" | "source">): Promise<LoadResult[]> {
    const results: LoadResult[] = [];
    for (const value of backfillValues(options)) {
      results.push(await this.load(spec, {
        params: { ...(options.params ?? {}), [options.param]: value },
        ...(options.force ? { force: true } : {}),
        ...(options.onStage ? { onStage: options.onStage } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
      }));
    }
    return results;
  }

  private parse(spec: string | object | TableSpec, params: Readonly<Record<string, string>> | undefined): TableSpec {
    const p = params ? { params } : {};
    return typeof spec === "string" ? loadSpec(spec, p) : parseSpec(spec, p);
  }

  private async runChecked(spec: string | object | TableSpec, options: LoadOptions, extra: { commit?: boolean; audit?: boolean }): Promise<LoadResult> {
    const parsed = this.parse(spec, options.params);
    if (parsed.engine === "athena" && extra.commit !== false) {
      const catalogOptions = this.options.catalog;
      const region = catalogOptions?.type === "glue" ? catalogOptions.region : undefined;
      return runAthenaRoute({
        session: this.session, catalog: this.catalog, catalogType: catalogOptions?.type ?? "filesystem", warehouse: this.warehouse,
        ...(region ? { region } : {}), ...(this.options.s3 ? { s3: this.options.s3 } : {}), ...(this.options.athena ? { athena: this.options.athena } : {}),
      }, parsed, {
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.params ? { params: options.params } : {}),
        ...(options.data !== undefined ? { data: options.data } : {}),
      });
    }
    return runCheckedLoad(this.session, this.catalog, parsed, {
      warehouse: this.warehouse,
      ...extra,
      ...(this.options.onFailure ? { onFailure: this.options.onFailure } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.data !== undefined ? { data: options.data } : {}),
      ...(options.force ? { force: true } : {}),
      ...(options.onStage ? { onStage: options.onStage } : {}),
    });
  }

  /** Runs SQL; `ns.table` names of catalog and registered tables read their current (or chosen) snapshot. */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const names = await this.tables();
    const viewed = referencedTables(sql, [...this.views.keys()]).flatMap((v) => this.views.get(v) ?? []);
    const used = [...new Set([...referencedTables(sql, names), ...viewed])];
    for (const name of used) {
      const table = await this.openTable(name);
      const sel = options.asOf?.[name] ?? Object.entries(options.asOf ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      const selector: SnapshotSelector = typeof sel === "bigint" ? { snapshotId: sel } : (sel ?? {});
      const body = await scanSql(this.session, table, selector);
      const [schema, tableName] = splitName(name);
      await this.session.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; CREATE OR REPLACE VIEW ${quoteIdent(schema)}.${quoteIdent(tableName)} AS ${body}`);
    }
    const rows = await this.session.query(sql);
    return new QueryResult(rows.toArrow());
  }

  /**
   * Creates (or replaces) a DuckDB view `ns.name` over the warehouse's tables for this engine's
   * queries; each `query` that reads the view reads the current snapshots of its tables.
   *
   * ```ts
   * await engine.createView("sales.orders_masked", "select order_id, '***' as email from sales.orders");
   * ```
   */
  async createView(name: string, sql: string): Promise<void> {
    if (!/^[^.\s]+\.[^.\s]+$/.test(name)) throw new EngineError("INVALID_NAME", `engine: createView: expected a name like "ns.view", got "${name}"`);
    const names = await this.tables();
    if (names.some((n) => n.toLowerCase() === name.toLowerCase())) throw new EngineError("INVALID_NAME", `engine: createView: expected a name that is not a table, got "${name}"`);
    const viewed = referencedTables(sql, [...this.views.keys()]).flatMap((v) => this.views.get(v) ?? []);
    const reads = [...new Set([...referencedTables(sql, names), ...viewed])];
    // DuckDB binds a view when it is created: the views of the tables it reads must exist first.
    await this.query(`SELECT * FROM (${sql}) AS __engine_view WHERE false`);
    const [schema, viewName] = splitName(name);
    await this.session.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; CREATE OR REPLACE VIEW ${quoteIdent(schema)}.${quoteIdent(viewName)} AS ${sql}`);
    this.views.set(name, reads);
  }

  /** Names (`ns.table`) of every catalog table and registered table. */
  async tables(): Promise<string[]> {
    const out: string[] = [];
    for (const ns of await this.catalog.listNamespaces()) {
      let ids;
      try {
        ids = await this.catalog.listTables(ns);
      } catch (error) {
        // Dropped since it was listed, or (filesystem catalog) the folder of a table another
        // process was creating: it held data files before its metadata folder appeared.
        if (error instanceof NoSuchNamespaceError) continue;
        throw error;
      }
      for (const id of ids) out.push([...id.namespace, id.name].join("."));
    }
    return [...out, ...this.registered.keys()].sort();
  }

  /** A table's snapshots, oldest first. */
  async history(name: string): Promise<HistoryEntry[]> {
    const table = await this.openTable(name);
    return table.snapshots()
      .slice()
      .sort((a, b) => (a.timestampMs < b.timestampMs ? -1 : a.timestampMs > b.timestampMs ? 1 : 0))
      .map((s) => {
        const { operation, ...summary } = s.summary;
        return { snapshotId: s.snapshotId, ...(s.parentSnapshotId !== undefined ? { parentId: s.parentSnapshotId } : {}), timestampMs: s.timestampMs, operation, summary };
      });
  }

  /** Opens a table by name: a registered table, else the catalog's (fresh metadata every time). */
  async openTable(name: string): Promise<Table> {
    const reg = this.registered.get(name) ?? [...this.registered.entries()].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (reg) return reg;
    const parts = name.split(".");
    return this.catalog.loadTable({ namespace: parts.slice(0, -1), name: parts[parts.length - 1]! });
  }

  /** Registers an external table read-only from its metadata file, queryable as `name` (`ns.table`). */
  async registerTable(name: string, metadataLocation: string, options: { remap?: RemapOption } = {}): Promise<Table> {
    if (!/^[^.\s]+\.[^.\s]+$/.test(name)) throw new EngineError("INVALID_NAME", `engine: registerTable: expected a name like "ns.table", got "${name}"`);
    const remap = toRemapper(options.remap);
    if (isRemoteLocation(metadataLocation)) await registerStorage(metadataLocation, this.options.s3);
    const parts = name.split(".");
    const table = await Table.fromMetadataFile(metadataLocation, {
      ...(remap ? { remap } : {}),
      identifier: { namespace: parts.slice(0, -1), name: parts[parts.length - 1]! },
    });
    this.registered.set(name, table);
    return table;
  }

  /** Closes DuckDB and removes the local copies of remote table files. */
  close(): void {
    this.session.close();
    this.cache?.dispose();
    if (this.spill !== undefined) rmSync(this.spill, { recursive: true, force: true });
  }
}

/** Upper bound of the default DuckDB `memory_limit` (see `EngineOptions.duckdb`), in MiB. */
export const DEFAULT_MEMORY_LIMIT_MIB = 1024;

/** The default DuckDB `memory_limit`: the smaller of 1 GiB and half the machine's RAM. */
export function defaultMemoryLimit(): string {
  return `${Math.min(DEFAULT_MEMORY_LIMIT_MIB, Math.floor(totalmem() / 2 / 1024 / 1024))}MiB`;
}

function splitName(name: string): [string, string] {
  const i = name.lastIndexOf(".");
  return [name.slice(0, i), name.slice(i + 1)];
}

function toRemapper(remap: RemapOption | undefined): PathRemapper | undefined {
  if (remap === undefined) return undefined;
  if (typeof remap === "function") return remap;
  const pairs = Array.isArray(remap) ? remap : [remap as { from: string; to: string }];
  return (p: string) => {
    for (const { from, to } of pairs) if (p.startsWith(from)) return to + p.slice(from.length);
    return p;
  };
}
