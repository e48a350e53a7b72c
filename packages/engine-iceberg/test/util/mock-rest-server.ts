import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AlreadyExistsError, CommitFailedError, FileSystemCatalog, NoSuchNamespaceError, NoSuchTableError, partitionSpecFromJson, schemaFromJson,
  tableMetadataToJson, tableRequirementFromJson, tableUpdateFromJson, type Table, type TableIdentifier,
} from "../../src/index.js";
import { parseJson, stringifyJson } from "../../src/internal/json.js";

/** One request as the mock server saw it. */
export interface SeenRequest { method: string; path: string; query: URLSearchParams; headers: IncomingMessage["headers"]; body: string }

/** A minimal Iceberg REST catalog over a FileSystemCatalog, recording every request; responses can be injected. */
export interface MockRestServer {
  uri: string;
  warehouse: string;
  requests: SeenRequest[];
  /** Responds to the next matching requests with this status and error body instead of handling them. */
  inject(match: (r: SeenRequest) => boolean, status: number, times?: number, message?: string): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = { 400: "BadRequestException", 404: "NoSuchTableException", 409: "CommitFailedException", 500: "ServerError", 502: "BadGateway", 504: "GatewayTimeout" };

export async function startMockRestServer(options: { prefix?: string; clientId?: string; clientSecret?: string } = {}): Promise<MockRestServer> {
  const warehouse = mkdtempSync(path.join(tmpdir(), "iceberg-rest-"));
  const fs = new FileSystemCatalog({ warehouse });
  const requests: SeenRequest[] = [];
  const injections: { match: (r: SeenRequest) => boolean; status: number; times: number; message: string }[] = [];
  const prefix = options.prefix ?? "";
  const base = prefix ? `/v1/${prefix}` : "/v1";
  const token = "tok-1";
  const nsOf = (seg: string): string[] => seg.split("%1F").map(decodeURIComponent);
  const loadResult = (t: Table) => ({ "metadata-location": t.metadataLocation, metadata: tableMetadataToJson(t.metadata), config: { "test.config": "1" } });

  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const rawPath = (req.url ?? "/").split("?")[0]!;
      const seen: SeenRequest = { method: req.method ?? "GET", path: rawPath, query: url.searchParams, headers: req.headers, body };
      requests.push(seen);
      const send = (status: number, json?: unknown): void => {
        res.writeHead(status, json === undefined ? {} : { "Content-Type": "application/json" });
        res.end(json === undefined ? undefined : stringifyJson(json));
      };
      const fail = (status: number, message: string, type = ERROR_TYPES[status] ?? "RESTException"): void => send(status, { error: { message, type, code: status } });
      const inj = injections.find((i) => i.times > 0 && i.match(seen));
      if (inj) { inj.times--; fail(inj.status, inj.message); return; }
      void (async () => {
        if (rawPath === "/v1/config") return send(200, { defaults: { "default.key": "d", "clients": "4" }, overrides: prefix ? { prefix } : {} });
        if (rawPath === "/v1/oauth/tokens") {
          const form = new URLSearchParams(body);
          if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== options.clientId || form.get("client_secret") !== options.clientSecret) {
            return send(401, { error: "invalid_client", error_description: "bad client credentials" });
          }
          return send(200, { access_token: token, token_type: "bearer", expires_in: 3600, issued_token_type: "urn:ietf:params:oauth:token-type:access_token" });
        }
        if (options.clientId && req.headers.authorization !== `Bearer ${token}`) return fail(401, "missing or bad bearer token", "NotAuthorizedException");
        if (!rawPath.startsWith(base + "/")) return fail(404, `no route ${rawPath}`, "NoSuchRoute");
        const parts = rawPath.slice(base.length + 1).split("/");
        const json = body ? (parseJson(body) as Record<string, any>) : {};
        if (parts[0] === "namespaces" && parts.length === 1) {
          if (req.method === "GET") {
            const parent = url.searchParams.get("parent")?.split("\u001f") ?? [];
            const all = await fs.listNamespaces();
            return send(200, { namespaces: all.filter((n) => n.length === parent.length + 1 && parent.every((p, i) => n[i] === p)) });
          }
          if (await fs.namespaceExists(json.namespace)) return fail(409, `Namespace already exists: ${json.namespace.join(".")}`, "AlreadyExistsException");
          await fs.createNamespace(json.namespace);
          return send(200, { namespace: json.namespace, properties: json.properties ?? {} });
        }
        if (parts[0] === "namespaces" && parts.length === 2) {
          const ns = nsOf(parts[1]!);
          const exists = await fs.namespaceExists(ns);
          if (!exists) return fail(404, `Namespace does not exist: ${ns.join(".")}`, "NoSuchNamespaceException");
          if (req.method === "HEAD") return send(204);
          if (req.method === "DELETE") return send(204);
          return send(200, { namespace: ns, properties: { owner: "me" } });
        }
        if (parts[0] === "namespaces" && parts[2] === "tables") {
          const ns = nsOf(parts[1]!);
          if (!(await fs.namespaceExists(ns))) return fail(404, `Namespace does not exist: ${ns.join(".")}`, "NoSuchNamespaceException");
          if (parts.length === 3) {
            if (req.method === "GET") return send(200, { identifiers: (await fs.listTables(ns)).map((t) => ({ namespace: t.namespace, name: t.name })) });
            const id: TableIdentifier = { namespace: ns, name: json.name };
            try {
              const t = await fs.createTable(id, {
                schema: schemaFromJson(json.schema), partitionFields: partitionSpecFromJson(json["partition-spec"]).fields, properties: json.properties ?? {},
                ...(json.properties?.["format-version"] ? { formatVersion: Number(json.properties["format-version"]) as 1 | 2 } : {}),
              });
              return send(200, loadResult(t));
            } catch (e) {
              if (e instanceof AlreadyExistsError) return fail(409, `Table already exists: ${ns.join(".")}.${json.name}`, "AlreadyExistsException");
              throw e;
            }
          }
          const id: TableIdentifier = { namespace: ns, name: decodeURIComponent(parts[3]!) };
          try {
            if (req.method === "HEAD") return send((await fs.tableExists(id)) ? 204 : 404);
            if (req.method === "GET") return send(200, loadResult(await fs.loadTable(id)));
            if (req.method === "DELETE") { await fs.dropTable(id, { purge: url.searchParams.get("purgeRequested") === "true" }); return send(204); }
            const result = await fs.commitTable(id, (json.requirements as unknown[]).map(tableRequirementFromJson), (json.updates as unknown[]).map(tableUpdateFromJson));
            return send(200, { "metadata-location": result.metadataLocation, metadata: tableMetadataToJson(result.metadata) });
          } catch (e) {
            if (e instanceof NoSuchTableError) return fail(404, `Table does not exist: ${id.namespace.join(".")}.${id.name}`, "NoSuchTableException");
            if (e instanceof CommitFailedError) return fail(409, (e as Error).message, "CommitFailedException");
            throw e;
          }
        }
        if (parts[0] === "tables" && parts[1] === "rename") {
          await fs.renameTable(json.source, json.destination);
          return send(204);
        }
        return fail(404, `no route ${rawPath}`, "NoSuchRoute");
      })().catch((e: unknown) => {
        if (e instanceof NoSuchNamespaceError) fail(404, (e as Error).message, "NoSuchNamespaceException");
        else fail(500, (e as Error).message);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    uri: `http://127.0.0.1:${port}`, warehouse, requests,
    inject(match, status, times = 1, message = `injected ${status}`) { injections.push({ match, status, times, message }); },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
