import path from "node:path";
import { FileSystemCatalog, Table, type Catalog, type PathRemapper } from "@engine/iceberg";
import { DuckDbSession } from "../duckdb/session.js";
import { EngineError } from "../errors.js";
import { quoteIdent } from "../internal/sql.js";
import { runLoad, type LoadResult } from "../load/run-load.js";
import { QueryResult } from "../query/query-result.js";
import { scanSql, type SnapshotSelector } from "../query/scan-sql.js";
import { referencedTables } from "../query/table-refs.js";
import { loadSpec, parseSpec } from "../spec/index.js";
import type { TableSpec } from "../spec/table-spec.js";

/** Options of `Engine.open`. */
export interface EngineOptions {
  /** Warehouse root; defaults to `./warehouse`. */
  readonly warehouse?: string;
  readonly catalog?: { readonly type: "filesystem" };
  readonly duckdb?: { readonly memoryLimit?: string; readonly tempDirectory?: string; readonly threads?: number };
}

/** Options of `engine.load`. */
export interface LoadOptions {
  /** Replaces the spec's source path (CLI `--source`). */
  readonly source?: string;
  /** Values for `{param}` placeholders. */
  readonly params?: Readonly<Record<string, string>>;
  /** In-memory rows: an array of objects or an Arrow table. */
  readonly data?: unknown;
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
 */
export class Engine {
  private readonly registered = new Map<string, Table>();
  private constructor(
    readonly warehouse: string,
    readonly catalog: Catalog,
    private readonly session: DuckDbSession,
  ) {}

  /** Opens a local warehouse (filesystem catalog) and an in-process DuckDB. */
  static async open(options: EngineOptions = {}): Promise<Engine> {
    const warehouse = path.resolve(options.warehouse ?? "warehouse");
    if (options.catalog && options.catalog.type !== "filesystem") {
      throw new EngineError("NOT_SUPPORTED", `engine: catalog type ${(options.catalog as { type: string }).type} is not supported yet (expected filesystem)`);
    }
    const catalog = new FileSystemCatalog({ warehouse });
    const session = await DuckDbSession.create(options.duckdb ?? {});
    return new Engine(warehouse, catalog, session);
  }

  /** Loads a spec (file path, YAML text is not accepted here, object or parsed spec) into its table. */
  async load(spec: string | object | TableSpec, options: LoadOptions = {}): Promise<LoadResult> {
    const params = options.params ? { params: options.params } : {};
    const parsed = typeof spec === "string" ? loadSpec(spec, params) : parseSpec(spec, params);
    return runLoad(this.session, this.catalog, parsed, {
      warehouse: this.warehouse,
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.data !== undefined ? { data: options.data } : {}),
    });
  }

  /** Runs SQL; `ns.table` names of catalog and registered tables read their current (or chosen) snapshot. */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const names = await this.tables();
    const used = referencedTables(sql, names);
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

  /** Names (`ns.table`) of every catalog table and registered table. */
  async tables(): Promise<string[]> {
    const out: string[] = [];
    for (const ns of await this.catalog.listNamespaces()) {
      for (const id of await this.catalog.listTables(ns)) out.push([...id.namespace, id.name].join("."));
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
    const parts = name.split(".");
    const table = await Table.fromMetadataFile(metadataLocation, {
      ...(remap ? { remap } : {}),
      identifier: { namespace: parts.slice(0, -1), name: parts[parts.length - 1]! },
    });
    this.registered.set(name, table);
    return table;
  }

  /** Closes DuckDB. */
  close(): void {
    this.session.close();
  }
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
