import type { GlueClient, Table as GlueTable } from "@aws-sdk/client-glue";
import {
  AlreadyExistsError, CommitFailedError, CommitStateUnknownError, IcebergError, NoSuchNamespaceError, NoSuchTableError,
} from "../../errors.js";
import { newUuid } from "../../internal/ids.js";
import type { FileIO } from "../../io/file-io.js";
import { fileIOFor } from "../../io/registry.js";
import { importOptional } from "../../io/s3/optional-import.js";
import { retryConfigFrom } from "../../io/s3/s3-client.js";
import type { PartitionSpec } from "../../spec/partition-spec.js";
import { highestFieldId } from "../../spec/schema.js";
import type { TableMetadata } from "../../spec/table-metadata.js";
import { parseTableMetadata, serializeTableMetadata } from "../../spec/table-metadata-json.js";
import { Table } from "../../table/table.js";
import { applyUpdates } from "../../transaction/apply-update.js";
import { checkRequirements } from "../../transaction/requirements.js";
import type { TableRequirement, TableUpdate } from "../../transaction/updates.js";
import type { Catalog, CommitResult, CreateTableOptions, TableIdentifier } from "../catalog.js";
import {
  createDatabaseRequest, createTableRequest, deleteTableRequest, getTableRequest, getTablesRequest, glueTableInput, isIcebergGlueTable,
  METADATA_LOCATION_PARAM, renameTableInput, updateTableRequest,
} from "./glue-requests.js";
import { MetadataCache } from "../metadata-cache.js";
import { metadataFolder, nextMetadataLocation } from "./metadata-files.js";
import {
  GLUE_ACCESS_KEY_ID, GLUE_COMMIT_CLAIM, GLUE_ENDPOINT, GLUE_ID, GLUE_MAX_RETRIES, GLUE_REGION, GLUE_RETRY_MODE, GLUE_SECRET_ACCESS_KEY,
  GLUE_SESSION_TOKEN, GLUE_SKIP_ARCHIVE,
} from "./properties.js";

/** Options of GlueCatalog. */
export interface GlueCatalogOptions {
  /** Root of new tables: `<warehouse>/<database>.db/<table>` unless the database has a LocationUri. */
  readonly warehouse: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** The Glue catalog id (AWS account id); defaults to the caller's. */
  readonly catalogId?: string;
  /** Defaults to the registry's FileIO for the warehouse scheme, built from `properties`. */
  readonly io?: FileIO;
  /** Catalog properties (`glue.*`, `client.*`, `s3.*`), also handed to the FileIO. */
  readonly properties?: Readonly<Record<string, string>>;
  /** A Glue client to use instead of one built from the options. */
  readonly client?: GlueClient;
  /** Defaults to "glue". */
  readonly name?: string;
}

/** The Glue client package, loaded lazily. */
export const loadGlueSdk = (): Promise<typeof import("@aws-sdk/client-glue")> =>
  importOptional("@aws-sdk/client-glue", "catalog: glue", () => import("@aws-sdk/client-glue"));

const showId = (id: TableIdentifier): string => [...id.namespace, id.name].join(".");
const errName = (e: unknown): string | undefined => (e as { name?: string })?.name;
const CLAIM_TTL_MS = 120_000;

/**
 * An Iceberg catalog on the AWS Glue Data Catalog, compatible with Java's and PyIceberg's
 * GlueCatalog: databases are namespaces, each Iceberg table is an EXTERNAL_TABLE whose
 * `metadata_location` parameter names its current `NNNNN-<uuid>.metadata.json`, and a commit
 * writes the next metadata file, then swaps it in with UpdateTable under Glue's VersionId lock.
 *
 * ```ts
 * const catalog = new GlueCatalog({ warehouse: "s3://lake/wh", region: "eu-west-1" });
 * const table = await catalog.loadTable({ namespace: ["sales"], name: "orders" });
 * ```
 */
export class GlueCatalog implements Catalog {
  readonly name: string;
  readonly warehouse: string;
  readonly catalogId: string | undefined;
  readonly properties: Readonly<Record<string, string>>;
  private clientPromise: Promise<GlueClient> | undefined;
  private ioPromise: Promise<FileIO> | undefined;
  // Metadata files here are named `<version>-<uuid>.metadata.json`: one name, one content, ever.
  private readonly cache = new MetadataCache();

  constructor(private readonly options: GlueCatalogOptions) {
    this.name = options.name ?? "glue";
    this.warehouse = options.warehouse.replace(/\/+$/, "");
    this.properties = { ...(options.properties ?? {}) };
    this.catalogId = options.catalogId ?? this.properties[GLUE_ID];
    if (options.client) this.clientPromise = Promise.resolve(options.client);
    if (options.io) this.ioPromise = Promise.resolve(options.io);
  }

  /** The Glue client (built on first use). */
  client(): Promise<GlueClient> {
    this.clientPromise ??= (async () => {
      const sdk = await loadGlueSdk();
      const p = this.properties;
      const region = this.options.region ?? p[GLUE_REGION] ?? p["client.region"];
      const endpoint = this.options.endpoint ?? p[GLUE_ENDPOINT];
      const accessKeyId = p[GLUE_ACCESS_KEY_ID] ?? p["client.access-key-id"];
      const secretAccessKey = p[GLUE_SECRET_ACCESS_KEY] ?? p["client.secret-access-key"];
      const sessionToken = p[GLUE_SESSION_TOKEN] ?? p["client.session-token"];
      return new sdk.GlueClient({
        ...(region ? { region } : {}),
        ...(endpoint ? { endpoint } : {}),
        ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
        ...retryConfigFrom(p, GLUE_MAX_RETRIES, GLUE_RETRY_MODE, 10),
      });
    })();
    return this.clientPromise;
  }

  /** The FileIO of metadata and data files. */
  io(): Promise<FileIO> {
    this.ioPromise ??= (async () => {
      // The S3 FileIO registers itself on import; load it only when the warehouse is on S3.
      if (/^s3[an]?:/i.test(this.warehouse)) await import("../../io/s3/index.js");
      const region = this.options.region ?? this.properties[GLUE_REGION];
      return fileIOFor(this.warehouse, { ...(region ? { "client.region": region } : {}), ...this.properties });
    })();
    return this.ioPromise;
  }

  private async send<T>(build: (sdk: typeof import("@aws-sdk/client-glue")) => { input: unknown } & object): Promise<T> {
    const sdk = await loadGlueSdk();
    const client = await this.client();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await client.send(build(sdk) as any)) as T;
  }

  private database(namespace: readonly string[]): string {
    if (namespace.length !== 1 || !namespace[0]) {
      throw new IcebergError("INVALID_NAMESPACE", `catalog: glue: expected a one-level namespace (a Glue database), got "${namespace.join(".")}"`, { context: { namespace: [...namespace] } });
    }
    return namespace[0];
  }

  async listNamespaces(): Promise<string[][]> {
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const page = await this.send<{ DatabaseList?: { Name?: string }[]; NextToken?: string }>((sdk) =>
        new sdk.GetDatabasesCommand({ ...(this.catalogId ? { CatalogId: this.catalogId } : {}), ...(token ? { NextToken: token } : {}) }));
      for (const d of page.DatabaseList ?? []) if (d.Name) out.push([d.Name]);
      token = page.NextToken || undefined;
    } while (token);
    return out;
  }

  async createNamespace(namespace: readonly string[], properties: Readonly<Record<string, string>> = {}): Promise<void> {
    const name = this.database(namespace);
    try {
      await this.send((sdk) => new sdk.CreateDatabaseCommand(createDatabaseRequest({ name, catalogId: this.catalogId, properties })));
    } catch (e) {
      if (errName(e) === "AlreadyExistsException") throw new AlreadyExistsError(`namespace ${name}`, { cause: e });
      throw this.glueError("create database", name, e);
    }
  }

  async namespaceExists(namespace: readonly string[]): Promise<boolean> {
    return (await this.getDatabase(this.database(namespace))) !== undefined;
  }

  private async getDatabase(name: string): Promise<{ LocationUri?: string } | undefined> {
    try {
      const r = await this.send<{ Database?: { LocationUri?: string } }>((sdk) => new sdk.GetDatabaseCommand({ ...(this.catalogId ? { CatalogId: this.catalogId } : {}), Name: name }));
      return r.Database ?? {};
    } catch (e) {
      if (errName(e) === "EntityNotFoundException") return undefined;
      throw this.glueError("get database", name, e);
    }
  }

  /** Drops an empty database; fails when it still holds tables. */
  async dropNamespace(namespace: readonly string[]): Promise<void> {
    const name = this.database(namespace);
    const page = await this.getTablesPage(name, undefined);
    if ((page.TableList ?? []).length > 0) {
      throw new IcebergError("NAMESPACE_NOT_EMPTY", `catalog: glue: namespace ${name}: expected no tables to drop it, got ${page.TableList!.map((t) => t.Name).join(", ")}`, { context: { namespace: name } });
    }
    try {
      await this.send((sdk) => new sdk.DeleteDatabaseCommand({ ...(this.catalogId ? { CatalogId: this.catalogId } : {}), Name: name }));
    } catch (e) {
      if (errName(e) === "EntityNotFoundException") throw new NoSuchNamespaceError(name, { cause: e });
      throw this.glueError("delete database", name, e);
    }
  }

  private async getTablesPage(database: string, token: string | undefined): Promise<{ TableList?: GlueTable[]; NextToken?: string }> {
    try {
      return await this.send((sdk) => new sdk.GetTablesCommand(getTablesRequest({ database, catalogId: this.catalogId, nextToken: token })));
    } catch (e) {
      if (errName(e) === "EntityNotFoundException") throw new NoSuchNamespaceError(database, { cause: e });
      throw this.glueError("get tables of", database, e);
    }
  }

  /** The Iceberg tables of a database (GetTables, every page; other table types are skipped). */
  async listTables(namespace: readonly string[]): Promise<TableIdentifier[]> {
    const database = this.database(namespace);
    const out: TableIdentifier[] = [];
    let token: string | undefined;
    do {
      const page = await this.getTablesPage(database, token);
      for (const t of page.TableList ?? []) if (t.Name && isIcebergGlueTable(t)) out.push({ namespace: [database], name: t.Name });
      token = page.NextToken || undefined;
    } while (token);
    return out;
  }

  /** The Glue table of an identifier, or undefined when absent. */
  async getGlueTable(id: TableIdentifier): Promise<GlueTable | undefined> {
    const database = this.database(id.namespace);
    try {
      const r = await this.send<{ Table?: GlueTable }>((sdk) => new sdk.GetTableCommand(getTableRequest({ database, name: id.name, catalogId: this.catalogId })));
      return r.Table;
    } catch (e) {
      if (errName(e) === "EntityNotFoundException") return undefined;
      throw this.glueError("get table", showId(id), e);
    }
  }

  private async icebergGlueTable(id: TableIdentifier): Promise<{ glue: GlueTable; metadataLocation: string }> {
    const glue = await this.getGlueTable(id);
    if (!glue) throw new NoSuchTableError(showId(id));
    if (!isIcebergGlueTable(glue)) throw new NoSuchTableError(showId(id), { detail: `Glue table type is ${glue.Parameters?.["table_type"] ?? glue.TableType ?? "unknown"}, not ICEBERG` });
    const metadataLocation = glue.Parameters?.[METADATA_LOCATION_PARAM];
    if (!metadataLocation) throw new NoSuchTableError(showId(id), { detail: `the Glue table has no ${METADATA_LOCATION_PARAM} parameter` });
    return { glue, metadataLocation };
  }

  async loadTable(id: TableIdentifier): Promise<Table> {
    const { metadataLocation } = await this.icebergGlueTable(id);
    const io = await this.io();
    const metadata = await this.readMetadata(io, metadataLocation);
    return new Table({ identifier: { namespace: [...id.namespace], name: id.name }, metadata, metadataLocation, io, catalog: this });
  }

  async tableExists(id: TableIdentifier): Promise<boolean> {
    const t = await this.getGlueTable(id);
    return t !== undefined && isIcebergGlueTable(t);
  }

  /** Where a new table goes: the database's LocationUri, else `<warehouse>/<db>.db/<table>` (Java's default). */
  async defaultTableLocation(id: TableIdentifier): Promise<string> {
    const database = this.database(id.namespace);
    const db = await this.getDatabase(database);
    if (!db) throw new NoSuchNamespaceError(database);
    if (db.LocationUri) return `${db.LocationUri.replace(/\/+$/, "")}/${id.name}`;
    return `${this.warehouse}/${database}.db/${id.name}`;
  }

  async createTable(id: TableIdentifier, options: CreateTableOptions): Promise<Table> {
    const database = this.database(id.namespace);
    const location = (options.location ?? (await this.defaultTableLocation(id))).replace(/\/+$/, "");
    const metadata = newTableMetadata(options, location);
    const metadataLocation = nextMetadataLocation(metadata);
    const io = await this.io();
    await io.newOutputFile(metadataLocation).write(encodeMetadata(metadata));
    try {
      await this.send((sdk) => new sdk.CreateTableCommand(createTableRequest({ database, catalogId: this.catalogId, input: glueTableInput({ name: id.name, metadata, metadataLocation }) })));
    } catch (e) {
      await io.delete([metadataLocation]).catch(() => undefined);
      if (errName(e) === "AlreadyExistsException") throw new AlreadyExistsError(`table ${showId(id)}`, { cause: e });
      if (errName(e) === "EntityNotFoundException") throw new NoSuchNamespaceError(database, { cause: e });
      throw this.glueError("create table", showId(id), e);
    }
    return new Table({ identifier: { namespace: [database], name: id.name }, metadata, metadataLocation, io, catalog: this });
  }

  async commitTable(id: TableIdentifier, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): Promise<CommitResult> {
    const database = this.database(id.namespace);
    const glue = await this.getGlueTable(id);
    if (!glue || !isIcebergGlueTable(glue)) {
      if (requirements.some((r) => r.type === "assert-create")) {
        throw new IcebergError("UNSUPPORTED", `catalog: glue: ${showId(id)}: expected createTable for new tables, got a commit with assert-create`);
      }
      throw new NoSuchTableError(showId(id));
    }
    const baseLocation = glue.Parameters?.[METADATA_LOCATION_PARAM];
    if (!baseLocation) throw new NoSuchTableError(showId(id), { detail: `the Glue table has no ${METADATA_LOCATION_PARAM} parameter` });
    const io = await this.io();
    const base = await this.readMetadata(io, baseLocation);
    checkRequirements(base, requirements);
    let next = applyUpdates(base, updates);
    // Spec: metadata-log lists previous metadata files; Java keeps write.metadata.previous-versions-max (100).
    const max = Number(next.properties["write.metadata.previous-versions-max"] ?? 100);
    const log = [...next.metadataLog, { metadataFile: baseLocation, timestampMs: base.lastUpdatedMs }];
    next = { ...next, metadataLog: log.slice(Math.max(0, log.length - max)) };
    const newLocation = nextMetadataLocation(next, baseLocation);
    await io.newOutputFile(newLocation).write(encodeMetadata(next));

    let claim: string | undefined;
    let swapped = false;
    try {
      if (this.properties[GLUE_COMMIT_CLAIM] === "true") claim = await this.claimSuccessor(io, base, baseLocation, newLocation, id);
      // Spec: Java's GlueTableOperations re-reads the Glue table and checks that its metadata location
      // is still the base before UpdateTable, then relies on VersionId for the rest of the race.
      const fresh = await this.getGlueTable(id);
      const freshLocation = fresh?.Parameters?.[METADATA_LOCATION_PARAM];
      if (freshLocation !== baseLocation) {
        throw new CommitFailedError(`catalog: glue: ${showId(id)}: expected metadata location ${baseLocation}, got ${freshLocation ?? "none"} (a concurrent commit won)`, {
          context: { expected: baseLocation, actual: freshLocation ?? null },
        });
      }
      const input = glueTableInput({ name: id.name, metadata: next, metadataLocation: newLocation, previousMetadataLocation: baseLocation, current: glue });
      try {
        await this.send((sdk) => new sdk.UpdateTableCommand(updateTableRequest({
          database, catalogId: this.catalogId, input, versionId: glue.VersionId, skipArchive: this.properties[GLUE_SKIP_ARCHIVE] !== "false",
        })));
        swapped = true;
      } catch (e) {
        if (errName(e) === "ConcurrentModificationException") {
          throw new CommitFailedError(`catalog: glue: ${showId(id)}: expected Glue table version ${glue.VersionId ?? "?"}, got a concurrent update`, { cause: e, context: { versionId: glue.VersionId ?? null } });
        }
        if (errName(e) === "EntityNotFoundException") throw new NoSuchTableError(showId(id), { cause: e });
        // The request may have landed: look before deciding.
        const after = await this.getGlueTable(id).catch(() => undefined);
        const now = after?.Parameters?.[METADATA_LOCATION_PARAM];
        if (now === newLocation) {
          swapped = true;
        } else if (now === undefined) {
          throw new CommitStateUnknownError(`catalog: glue: ${showId(id)}: UpdateTable failed and the table's state cannot be read: ${(e as Error)?.message}`, { cause: e, context: { metadataLocation: newLocation } });
        } else {
          throw this.glueError("update table", showId(id), e);
        }
      }
    } finally {
      if (claim) await io.delete([claim]).catch(() => undefined);
      if (!swapped) await io.delete([newLocation]).catch(() => undefined);
    }
    this.cache.put(newLocation, "", next);
    return { metadata: next, metadataLocation: newLocation };
  }

  /** Reads and parses a metadata file, reusing an earlier parse (or the commit that wrote it). */
  private async readMetadata(io: FileIO, location: string): Promise<TableMetadata> {
    const cached = this.cache.get(location, "");
    if (cached) return cached;
    const metadata = parseTableMetadata(await io.newInputFile(location).read());
    this.cache.put(location, "", metadata);
    return metadata;
  }

  /**
   * Creates `<metadata>/_commit/<base file>.claim` exclusively, so of two committers with the same
   * base only one proceeds; a claim older than two minutes is abandoned and removed.
   */
  private async claimSuccessor(io: FileIO, base: TableMetadata, baseLocation: string, newLocation: string, id: TableIdentifier): Promise<string> {
    const claim = `${metadataFolder(base)}/_commit/${baseLocation.slice(baseLocation.lastIndexOf("/") + 1)}.claim`;
    try {
      await io.newOutputFile(claim).createExclusive(new TextEncoder().encode(JSON.stringify({ next: newLocation, atMs: Date.now(), id: newUuid() })));
      return claim;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      const held = await io.newInputFile(claim).read().then((b) => JSON.parse(new TextDecoder().decode(b)) as { atMs?: number }).catch(() => undefined);
      if (held && typeof held.atMs === "number" && Date.now() - held.atMs > CLAIM_TTL_MS) await io.delete([claim]).catch(() => undefined);
      throw new CommitFailedError(`catalog: glue: ${showId(id)}: expected to claim the successor of ${baseLocation}, got a claim by a concurrent commit`, { cause: e, context: { claim } });
    }
  }

  /** Deletes the Glue table; with `purge`, also every file under the table's location. */
  async dropTable(id: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    const database = this.database(id.namespace);
    const table = options.purge ? await this.loadTable(id) : undefined;
    try {
      await this.send((sdk) => new sdk.DeleteTableCommand(deleteTableRequest({ database, name: id.name, catalogId: this.catalogId })));
    } catch (e) {
      if (errName(e) === "EntityNotFoundException") throw new NoSuchTableError(showId(id), { cause: e });
      throw this.glueError("delete table", showId(id), e);
    }
    if (table) {
      const io = await this.io();
      const files: string[] = [];
      for await (const f of io.list(table.location())) files.push(f.location);
      const metaDir = metadataFolder(table.metadata);
      if (!metaDir.startsWith(`${table.location()}/`)) for await (const f of io.list(metaDir)) files.push(f.location);
      await io.delete(files);
    }
  }

  /** Glue has no rename: creates the new table from the old one's input, then deletes the old one (rolled back on failure), as Java does. */
  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    const { glue } = await this.icebergGlueTable(from);
    const toDb = this.database(to.namespace);
    try {
      await this.send((sdk) => new sdk.CreateTableCommand(createTableRequest({ database: toDb, catalogId: this.catalogId, input: renameTableInput(to.name, glue) })));
    } catch (e) {
      if (errName(e) === "AlreadyExistsException") throw new AlreadyExistsError(`table ${showId(to)}`, { cause: e });
      if (errName(e) === "EntityNotFoundException") throw new NoSuchNamespaceError(toDb, { cause: e });
      throw this.glueError("create table", showId(to), e);
    }
    try {
      await this.send((sdk) => new sdk.DeleteTableCommand(deleteTableRequest({ database: this.database(from.namespace), name: from.name, catalogId: this.catalogId })));
    } catch (e) {
      await this.send((sdk) => new sdk.DeleteTableCommand(deleteTableRequest({ database: toDb, name: to.name, catalogId: this.catalogId }))).catch(() => undefined);
      throw this.glueError("rename table (delete old)", showId(from), e);
    }
  }

  private glueError(op: string, what: string, e: unknown): IcebergError {
    if (e instanceof IcebergError) return e;
    return new IcebergError("GLUE_ERROR", `catalog: glue: ${op} ${what} failed: ${errName(e) ?? "Error"}: ${(e as Error)?.message ?? String(e)}`, {
      context: { operation: op, target: what }, cause: e,
    });
  }
}

function encodeMetadata(metadata: TableMetadata): Uint8Array {
  return new TextEncoder().encode(serializeTableMetadata(metadata));
}

/** The first metadata of a new table (format v2 unless asked otherwise). */
function newTableMetadata(options: CreateTableOptions, location: string): TableMetadata {
  const spec: PartitionSpec = { specId: 0, fields: options.partitionFields ?? [] };
  const now = BigInt(Date.now());
  return {
    formatVersion: options.formatVersion ?? 2,
    tableUuid: newUuid(),
    location,
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
}
