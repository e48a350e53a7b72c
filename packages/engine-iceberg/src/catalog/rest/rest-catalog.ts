import {
  AlreadyExistsError, CommitFailedError, CommitStateUnknownError, IcebergError, InvalidMetadataError, NoSuchNamespaceError, NoSuchTableError,
} from "../../errors.js";
import { parseJson, stringifyJson } from "../../internal/json.js";
import type { FileIO } from "../../io/file-io.js";
import { fileIOFor } from "../../io/registry.js";
import { partitionSpecToJson, sortOrderToJson } from "../../spec/partition-spec.js";
import { schemaToJson } from "../../spec/schema.js";
import type { TableMetadata } from "../../spec/table-metadata.js";
import { tableMetadataFromJson } from "../../spec/table-metadata-json.js";
import { Table } from "../../table/table.js";
import type { TableRequirement, TableUpdate } from "../../transaction/updates.js";
import type { Catalog, CommitResult, CreateTableOptions, TableIdentifier } from "../catalog.js";
import { tableRequirementToJson, tableUpdateToJson } from "./rest-serde.js";

/** Options of RestCatalog. */
export interface RestCatalogOptions {
  /** Base URI of the service, e.g. `http://localhost:8181` (the `/v1/...` paths go below it). */
  readonly uri: string;
  /** Sent to `/v1/config` as `warehouse`. */
  readonly warehouse?: string;
  /** A bearer token. */
  readonly token?: string;
  /** `client_id:client_secret` for the OAuth2 client-credentials flow at `/v1/oauth/tokens`. */
  readonly credential?: string;
  /** OAuth2 scope (default `catalog`, as PyIceberg and Java send). */
  readonly scope?: string;
  /** Token endpoint (default `<uri>/v1/oauth/tokens`). */
  readonly oauth2ServerUri?: string;
  /** Extra HTTP headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Client properties; the server's config defaults go under them and its overrides over them. */
  readonly properties?: Readonly<Record<string, string>>;
  /** FileIO for table files (default: from the registry by the table location's scheme). */
  readonly io?: FileIO;
  /** Defaults to "rest". */
  readonly name?: string;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

type Obj = Record<string, unknown>;
type Kind = "config" | "namespace" | "table" | "commit" | "create-table" | "create-namespace" | "oauth";

const showId = (id: TableIdentifier): string => [...id.namespace, id.name].join(".");
// Spec (REST): multi-level namespaces are joined by the unit separator 0x1F, URL-encoded as %1F.
const encodeNamespace = (ns: readonly string[]): string => ns.map(encodeURIComponent).join("%1F");
const COMMIT_UNKNOWN = new Set([500, 502, 503, 504]);

/**
 * A client of the Iceberg REST catalog protocol (open-api/rest-catalog-open-api.yaml) over the
 * global fetch: config, namespaces, tables and commits with the protocol's requirements.
 *
 * ```ts
 * const catalog = new RestCatalog({ uri: "http://localhost:8181", credential: "id:secret" });
 * const table = await catalog.loadTable({ namespace: ["sales"], name: "orders" });
 * ```
 */
export class RestCatalog implements Catalog {
  readonly name: string;
  private readonly options: RestCatalogOptions;
  private readonly fetcher: typeof fetch;
  private config: Promise<Readonly<Record<string, string>>> | undefined;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(options: RestCatalogOptions) {
    this.options = { ...options, uri: options.uri.replace(/\/+$/, "") };
    this.name = options.name ?? "rest";
    this.fetcher = options.fetch ?? ((...a) => fetch(...a));
    if (options.token) this.token = { value: options.token, expiresAt: Number.POSITIVE_INFINITY };
  }

  /** The catalog properties after `/v1/config`: server defaults, then client properties, then server overrides. */
  async properties(): Promise<Readonly<Record<string, string>>> {
    this.config ??= (async () => {
      const q = this.options.warehouse !== undefined ? `?warehouse=${encodeURIComponent(this.options.warehouse)}` : "";
      const body = (await this.request("GET", `${this.options.uri}/v1/config${q}`, undefined, { kind: "config", what: "config" })) as Obj;
      const strs = (o: unknown): Record<string, string> => Object.fromEntries(Object.entries((o as Obj | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
      return { ...strs(body["defaults"]), ...(this.options.properties ?? {}), ...(this.options.warehouse !== undefined ? { warehouse: this.options.warehouse } : {}), ...strs(body["overrides"]) };
    })();
    this.config.catch(() => { this.config = undefined; });
    return this.config;
  }

  private async base(): Promise<string> {
    const props = await this.properties();
    const uri = (props["uri"] ?? this.options.uri).replace(/\/+$/, "");
    const prefix = props["prefix"];
    return prefix ? `${uri}/v1/${prefix.replace(/^\/+|\/+$/g, "")}` : `${uri}/v1`;
  }

  private async tablePath(id: TableIdentifier): Promise<string> {
    return `${await this.base()}/namespaces/${encodeNamespace(id.namespace)}/tables/${encodeURIComponent(id.name)}`;
  }

  private async authHeader(): Promise<Record<string, string>> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return { Authorization: `Bearer ${this.token.value}` };
    if (!this.options.credential) return this.token ? { Authorization: `Bearer ${this.token.value}` } : {};
    const sep = this.options.credential.indexOf(":");
    const [id, secret] = sep < 0 ? [undefined, this.options.credential] : [this.options.credential.slice(0, sep), this.options.credential.slice(sep + 1)];
    const form = new URLSearchParams({ grant_type: "client_credentials", client_secret: secret, scope: this.options.scope ?? "catalog" });
    if (id !== undefined) form.set("client_id", id);
    const res = await this.send("POST", this.options.oauth2ServerUri ?? `${this.options.uri}/v1/oauth/tokens`, {
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(this.options.headers ?? {}) }, body: form.toString(),
    }, { kind: "oauth", what: "oauth token" });
    const body = (await this.readBody(res)) as Obj;
    if (!res.ok || typeof body["access_token"] !== "string") throw this.error(res.status, body, { kind: "oauth", what: "oauth token" });
    const ttl = typeof body["expires_in"] === "number" ? body["expires_in"] * 1000 : 3600_000;
    this.token = { value: body["access_token"], expiresAt: Date.now() + ttl };
    return { Authorization: `Bearer ${this.token.value}` };
  }

  private async send(method: string, url: string, init: { headers: Record<string, string>; body?: string }, ctx: { kind: Kind; what: string }): Promise<Response> {
    try {
      return await this.fetcher(url, { method, headers: init.headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    } catch (e) {
      const code = (e as { cause?: { code?: string } })?.cause?.code;
      // A commit that may have reached the server has an unknown outcome; a refused connection did not.
      if (ctx.kind === "commit" && code !== "ECONNREFUSED" && code !== "ENOTFOUND") {
        throw new CommitStateUnknownError(`rest: ${ctx.what}: outcome unknown after a network error: ${(e as Error).message}`, { cause: e });
      }
      throw new IcebergError("REST_UNREACHABLE", `rest: ${method} ${url}: expected a response, got a network error: ${(e as Error).message}`, { cause: e });
    }
  }

  private async readBody(res: Response): Promise<unknown> {
    const text = await res.text();
    if (text.trim() === "") return {};
    try { return parseJson(text); } catch { return { raw: text.slice(0, 500) }; }
  }

  private async headers(json: boolean): Promise<Record<string, string>> {
    const props = await this.properties().catch(() => ({} as Readonly<Record<string, string>>));
    const fromProps = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith("header.")).map(([k, v]) => [k.slice("header.".length), v]));
    return {
      Accept: "application/json", ...(json ? { "Content-Type": "application/json" } : {}),
      "X-Client-Version": "engine-iceberg", ...fromProps, ...(this.options.headers ?? {}), ...(await this.authHeader()),
    };
  }

  /** Sends a request and returns the parsed JSON body (or undefined for HEAD/204); maps error statuses to our errors. */
  private async request(method: string, url: string, body: unknown, ctx: { kind: Kind; what: string; namespace?: string }): Promise<unknown> {
    const headers = ctx.kind === "config"
      ? { Accept: "application/json", ...(this.options.headers ?? {}), ...(await this.authHeader()) }
      : await this.headers(body !== undefined);
    let res = await this.send(method, url, { headers, ...(body !== undefined ? { body: stringifyJson(body) } : {}) }, ctx);
    if ((res.status === 401 || res.status === 419) && this.options.credential && ctx.kind !== "commit") {
      // An expired token: fetch a new one and try once more (never for commits, which may have applied).
      this.token = undefined;
      res = await this.send(method, url, { headers: { ...headers, ...(await this.authHeader()) }, ...(body !== undefined ? { body: stringifyJson(body) } : {}) }, ctx);
    }
    const parsed = method === "HEAD" || res.status === 204 ? undefined : await this.readBody(res);
    if (!res.ok) throw this.error(res.status, parsed as Obj | undefined, ctx);
    return parsed;
  }

  private error(status: number, body: Obj | undefined, ctx: { kind: Kind; what: string; namespace?: string }): IcebergError {
    const err = (body?.["error"] as Obj | undefined) ?? {};
    const type = typeof err["type"] === "string" ? err["type"] : "";
    const message = typeof err["message"] === "string" ? err["message"] : typeof body?.["error_description"] === "string" ? String(body["error_description"]) : typeof body?.["raw"] === "string" ? String(body["raw"]) : "";
    const detail = `HTTP ${status}${type ? ` ${type}` : ""}${message ? `: ${message}` : ""}`;
    const context = { status, type, message };
    if (status === 404) {
      if (/NoSuchNamespace/i.test(type) || ctx.kind === "namespace" || ctx.kind === "create-namespace") return new NoSuchNamespaceError(ctx.namespace ?? ctx.what, { detail });
      return new NoSuchTableError(ctx.what, { detail });
    }
    if (ctx.kind === "commit") {
      if (status === 409) return new CommitFailedError(`rest: commit ${ctx.what}: expected the requirements to hold, got a conflict (${detail})`, { context });
      if (COMMIT_UNKNOWN.has(status)) return new CommitStateUnknownError(`rest: commit ${ctx.what}: outcome unknown (${detail})`, { context });
    }
    if (status === 409 && (ctx.kind === "create-table" || ctx.kind === "create-namespace")) return new AlreadyExistsError(ctx.what, { detail });
    const code = status === 400 ? "BAD_REQUEST" : status === 401 ? "NOT_AUTHORIZED" : status === 403 ? "FORBIDDEN" : status === 409 ? "CONFLICT" : status >= 500 ? "REST_SERVER_ERROR" : "REST_ERROR";
    return new IcebergError(code, `rest: ${ctx.what}: expected success, got ${detail}`, { context });
  }

  private async tableFrom(id: TableIdentifier, body: unknown): Promise<Table> {
    const o = body as Obj;
    const md = o["metadata"];
    const location = o["metadata-location"];
    if (md === null || typeof md !== "object" || typeof location !== "string") {
      throw new InvalidMetadataError(`rest: table ${showId(id)}: expected a LoadTableResult with metadata and metadata-location, got ${Object.keys(o).join(", ")}`);
    }
    const metadata: TableMetadata = tableMetadataFromJson(md as Obj);
    const config = Object.fromEntries(Object.entries((o["config"] as Obj | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
    const io = this.options.io ?? (await fileIOFor(metadata.location, { ...(await this.properties()), ...config }));
    return new Table({ identifier: { namespace: [...id.namespace], name: id.name }, metadata, metadataLocation: location, io, catalog: this });
  }

  async listNamespaces(parent: readonly string[] = []): Promise<string[][]> {
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams();
      if (parent.length > 0) q.set("parent", parent.join("\u001f"));
      if (token) q.set("pageToken", token);
      const qs = q.toString();
      const body = (await this.request("GET", `${await this.base()}/namespaces${qs ? `?${qs}` : ""}`, undefined, { kind: "namespace", what: parent.join(".") || "(root)" })) as Obj;
      for (const ns of (body["namespaces"] as unknown[] | undefined) ?? []) out.push((ns as unknown[]).map(String));
      token = typeof body["next-page-token"] === "string" && body["next-page-token"] !== "" ? body["next-page-token"] : undefined;
    } while (token);
    return out;
  }

  async createNamespace(namespace: readonly string[], properties: Readonly<Record<string, string>> = {}): Promise<void> {
    await this.request("POST", `${await this.base()}/namespaces`, { namespace: [...namespace], properties: { ...properties } }, { kind: "create-namespace", what: `namespace ${namespace.join(".")}` });
  }

  async namespaceExists(namespace: readonly string[]): Promise<boolean> {
    return this.headOk(`${await this.base()}/namespaces/${encodeNamespace(namespace)}`, namespace.join("."), "namespace");
  }

  private async headOk(url: string, what: string, kind: Kind): Promise<boolean> {
    const res = await this.send("HEAD", url, { headers: await this.headers(false) }, { kind, what });
    if (res.status === 404) return false;
    if (res.ok) return true;
    throw this.error(res.status, undefined, { kind, what });
  }

  /** Loads a namespace's properties. */
  async namespaceProperties(namespace: readonly string[]): Promise<Record<string, string>> {
    const body = (await this.request("GET", `${await this.base()}/namespaces/${encodeNamespace(namespace)}`, undefined, { kind: "namespace", what: namespace.join(".") })) as Obj;
    return Object.fromEntries(Object.entries((body["properties"] as Obj | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
  }

  /** Drops an empty namespace. */
  async dropNamespace(namespace: readonly string[]): Promise<void> {
    await this.request("DELETE", `${await this.base()}/namespaces/${encodeNamespace(namespace)}`, undefined, { kind: "namespace", what: namespace.join(".") });
  }

  async listTables(namespace: readonly string[]): Promise<TableIdentifier[]> {
    const out: TableIdentifier[] = [];
    let token: string | undefined;
    do {
      const qs = token ? `?pageToken=${encodeURIComponent(token)}` : "";
      const body = (await this.request("GET", `${await this.base()}/namespaces/${encodeNamespace(namespace)}/tables${qs}`, undefined, { kind: "namespace", what: namespace.join(".") })) as Obj;
      for (const t of (body["identifiers"] as Obj[] | undefined) ?? []) out.push({ namespace: ((t["namespace"] as unknown[]) ?? []).map(String), name: String(t["name"]) });
      token = typeof body["next-page-token"] === "string" && body["next-page-token"] !== "" ? body["next-page-token"] : undefined;
    } while (token);
    return out;
  }

  async createTable(id: TableIdentifier, options: CreateTableOptions): Promise<Table> {
    const properties: Record<string, string> = { ...(options.properties ?? {}) };
    if (options.formatVersion !== undefined) properties["format-version"] = String(options.formatVersion);
    const body: Obj = {
      name: id.name,
      schema: schemaToJson(options.schema),
      "partition-spec": partitionSpecToJson({ specId: 0, fields: options.partitionFields ?? [] }),
      ...(options.sortOrder ? { "write-order": sortOrderToJson(options.sortOrder) } : {}),
      ...(options.location ? { location: options.location } : {}),
      "stage-create": false,
      properties,
    };
    const res = await this.request("POST", `${await this.base()}/namespaces/${encodeNamespace(id.namespace)}/tables`, body, { kind: "create-table", what: `table ${showId(id)}`, namespace: id.namespace.join(".") });
    return this.tableFrom(id, res);
  }

  async loadTable(id: TableIdentifier): Promise<Table> {
    return this.tableFrom(id, await this.request("GET", await this.tablePath(id), undefined, { kind: "table", what: showId(id), namespace: id.namespace.join(".") }));
  }

  async tableExists(id: TableIdentifier): Promise<boolean> {
    return this.headOk(await this.tablePath(id), showId(id), "table");
  }

  async dropTable(id: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    await this.request("DELETE", `${await this.tablePath(id)}${options.purge ? "?purgeRequested=true" : ""}`, undefined, { kind: "table", what: showId(id) });
  }

  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    await this.request("POST", `${await this.base()}/tables/rename`, {
      source: { namespace: [...from.namespace], name: from.name }, destination: { namespace: [...to.namespace], name: to.name },
    }, { kind: "table", what: showId(from) });
  }

  async commitTable(id: TableIdentifier, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): Promise<CommitResult> {
    const body = {
      identifier: { namespace: [...id.namespace], name: id.name },
      requirements: requirements.map(tableRequirementToJson),
      updates: updates.map((u) => tableUpdateToJson(u)),
    };
    const res = (await this.request("POST", await this.tablePath(id), body, { kind: "commit", what: showId(id) })) as Obj;
    const md = res["metadata"];
    const location = res["metadata-location"];
    if (md === null || typeof md !== "object" || typeof location !== "string") {
      throw new CommitStateUnknownError(`rest: commit ${showId(id)}: expected a CommitTableResponse with metadata and metadata-location, got ${Object.keys(res ?? {}).join(", ")}`);
    }
    return { metadata: tableMetadataFromJson(md as Obj), metadataLocation: location };
  }
}
