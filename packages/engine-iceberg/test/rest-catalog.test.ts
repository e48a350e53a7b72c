import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyExistsError, CommitFailedError, CommitStateUnknownError, NoSuchNamespaceError, NoSuchTableError, RestCatalog, eq, parseTransform,
  tableRequirementFromJson, tableRequirementToJson, tableUpdateFromJson, tableUpdateToJson, type TableRequirement, type TableUpdate,
} from "../src/index.js";
import { parseJson } from "../src/internal/json.js";
import { startMockRestServer, type MockRestServer, type SeenRequest } from "./util/mock-rest-server.js";
import { REGION_SCHEMA, livePaths, regionFile } from "./util/tables.js";

const SPEC_FIELDS = [{ sourceId: 2, fieldId: 1000, name: "region", transform: parseTransform("identity") }];

describe("RestCatalog", () => {
  let server: MockRestServer;
  let catalog: RestCatalog;
  beforeAll(async () => {
    server = await startMockRestServer({ prefix: "cat1", clientId: "me", clientSecret: "s3cret" });
    catalog = new RestCatalog({ uri: server.uri, warehouse: "wh1", credential: "me:s3cret", headers: { "X-Trace": "t1" } });
  });
  afterAll(async () => server.close());
  const last = (pred: (r: SeenRequest) => boolean): SeenRequest => [...server.requests].reverse().find(pred)!;

  it("reads /v1/config with the warehouse, gets an OAuth2 token and uses the prefix and bearer token", async () => {
    await catalog.createNamespace(["sales"], { owner: "me" });
    const config = server.requests.find((r) => r.path === "/v1/config")!;
    expect(config.query.get("warehouse")).toBe("wh1");
    const oauth = server.requests.find((r) => r.path === "/v1/oauth/tokens")!;
    expect(oauth.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(oauth.body))).toEqual({ grant_type: "client_credentials", client_id: "me", client_secret: "s3cret", scope: "catalog" });
    const create = last((r) => r.path === "/v1/cat1/namespaces" && r.method === "POST");
    expect(create.headers.authorization).toBe("Bearer tok-1");
    expect(create.headers["x-trace"]).toBe("t1");
    expect(JSON.parse(create.body)).toEqual({ namespace: ["sales"], properties: { owner: "me" } });
    expect((await catalog.properties())).toMatchObject({ "default.key": "d", prefix: "cat1", warehouse: "wh1" });
    await expect(new RestCatalog({ uri: server.uri, credential: "me:wrong" }).listNamespaces()).rejects.toThrow(/bad client credentials/);
  });

  it("encodes multi-level namespaces with %1F and maps namespace errors", async () => {
    await catalog.createNamespace(["a"]);
    await catalog.createNamespace(["a", "b c"]);
    expect(await catalog.namespaceExists(["a", "b c"])).toBe(true);
    expect(last((r) => r.method === "HEAD").path).toBe("/v1/cat1/namespaces/a%1Fb%20c");
    expect(await catalog.namespaceExists(["nope"])).toBe(false);
    expect(await catalog.listNamespaces(["a"])).toEqual([["a", "b c"]]);
    expect(last((r) => r.method === "GET" && r.path === "/v1/cat1/namespaces").query.get("parent")).toBe("a");
    expect(await catalog.namespaceProperties(["a"])).toEqual({ owner: "me" });
    await expect(catalog.createNamespace(["a"])).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(catalog.listTables(["nope"])).rejects.toThrow(NoSuchNamespaceError);
    await expect(catalog.listTables(["nope"])).rejects.toThrow(/Namespace does not exist: nope/);
    await catalog.dropNamespace(["a", "b c"]);
    expect(last((r) => r.method === "DELETE").path).toBe("/v1/cat1/namespaces/a%1Fb%20c");
  });

  it("creates tables with the REST request shape and commits appends with requirements and updates in kebab-case", async () => {
    const id = { namespace: ["sales"], name: "orders" };
    let table = await catalog.createTable(id, { schema: REGION_SCHEMA, partitionFields: SPEC_FIELDS, properties: { "commit.retry.min-wait-ms": "1" } });
    const create = JSON.parse(last((r) => r.path === "/v1/cat1/namespaces/sales/tables" && r.method === "POST").body);
    expect(Object.keys(create).sort()).toEqual(["name", "partition-spec", "properties", "schema", "stage-create"]);
    expect(create.name).toBe("orders");
    expect(create.schema).toMatchObject({ type: "struct", "schema-id": 0, fields: [{ id: 1, name: "id", required: true, type: "long" }, { id: 2, name: "region" }, { id: 3, name: "n" }] });
    expect(create["partition-spec"]).toEqual({ "spec-id": 0, fields: [{ name: "region", transform: "identity", "source-id": 2, "field-id": 1000 }] });
    expect(await catalog.tableExists(id)).toBe(true);
    expect(await catalog.listTables(["sales"])).toEqual([id]);

    table = await table.newAppend().appendFile(regionFile(table, "eu", { name: "eu1.parquet" })).setProperty("engine.load-id", "L1").commit();
    const commit = last((r) => r.path === "/v1/cat1/namespaces/sales/tables/orders" && r.method === "POST");
    const snap = table.currentSnapshot()!;
    const body = parseJson(commit.body) as Record<string, any>;
    expect(body.identifier).toEqual({ namespace: ["sales"], name: "orders" });
    expect(body.requirements).toEqual([
      { type: "assert-table-uuid", uuid: table.metadata.tableUuid },
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null },
    ]);
    expect(body.updates.map((u: { action: string }) => u.action)).toEqual(["add-snapshot", "set-snapshot-ref"]);
    expect(body.updates[0].snapshot).toMatchObject({
      "snapshot-id": snap.snapshotId, "sequence-number": 1, "manifest-list": snap.manifestList, "schema-id": 0,
      summary: { operation: "append", "engine.load-id": "L1", "added-data-files": "1" },
    });
    expect(typeof body.updates[0].snapshot["timestamp-ms"]).toBe("number");
    expect(body.updates[1]).toEqual({ action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snap.snapshotId });
    // 64-bit ids travel as exact JSON numbers.
    expect(commit.body).toContain(`"snapshot-id":${snap.snapshotId}`);

    // Overwrite through REST, then load back.
    table = await table.newOverwrite().overwriteByFilter(eq("region", "eu")).addFile(regionFile(table, "eu", { name: "eu2.parquet" })).commit();
    const loaded = await catalog.loadTable(id);
    expect(loaded.metadataLocation).toBe(table.metadataLocation);
    expect(await livePaths(loaded)).toEqual(["eu2.parquet"]);
    expect(loaded.currentSnapshot()!.summary.operation).toBe("overwrite");
    const second = parseJson(last((r) => r.path === "/v1/cat1/namespaces/sales/tables/orders" && r.method === "POST").body) as Record<string, any>;
    expect(second.requirements[1]).toEqual({ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": snap.snapshotId });
    const evolved = await loaded.updateSchema().addColumn("note", "string").commit();
    const schemaCommit = parseJson(last((r) => r.path.endsWith("/tables/orders") && r.method === "POST").body) as Record<string, any>;
    expect(schemaCommit.requirements).toContainEqual({ type: "assert-current-schema-id", "current-schema-id": 0 });
    expect(schemaCommit.updates[0]).toMatchObject({ action: "add-schema", "last-column-id": 4, schema: { type: "struct", "schema-id": 1 } });
    expect(schemaCommit.updates[1]).toEqual({ action: "set-current-schema", "schema-id": -1 });
    expect(evolved.schema().fields.map((f) => f.name)).toEqual(["id", "region", "n", "note"]);
  });

  it("maps 409 to CommitFailedError (appends retry) and 5xx after sending to CommitStateUnknownError (never retried)", async () => {
    const id = { namespace: ["sales"], name: "errs" };
    let table = await catalog.createTable(id, { schema: REGION_SCHEMA, partitionFields: SPEC_FIELDS, properties: { "commit.retry.min-wait-ms": "1" } });
    const isCommit = (r: SeenRequest): boolean => r.method === "POST" && r.path === "/v1/cat1/namespaces/sales/tables/errs";
    server.inject(isCommit, 409, 1, "Requirement failed: branch main has changed");
    table = await table.newAppend().appendFile(regionFile(table, "eu")).commit();
    expect(table.snapshots().length).toBe(1);
    server.inject(isCommit, 409, 1, "Requirement failed: branch main has changed");
    await expect(table.newAppend({ numRetries: 0 }).appendFile(regionFile(table, "eu")).commit()).rejects.toThrow(/Requirement failed: branch main has changed/);
    for (const status of [500, 502, 504]) {
      const before = server.requests.filter(isCommit).length;
      server.inject(isCommit, status, 1, "gateway trouble");
      const err = await table.newAppend().appendFile(regionFile(table, "us")).commit().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommitStateUnknownError);
      expect((err as Error).message).toMatch(new RegExp(`HTTP ${status}.*gateway trouble`));
      expect(server.requests.filter(isCommit).length - before).toBe(1);
    }
    await expect(catalog.commitTable(id, [{ type: "assert-ref-snapshot-id", ref: "main", snapshotId: 1n }], [])).rejects.toBeInstanceOf(CommitFailedError);
    await expect(catalog.loadTable({ namespace: ["sales"], name: "missing" })).rejects.toThrow(NoSuchTableError);
    await expect(catalog.loadTable({ namespace: ["sales"], name: "missing" })).rejects.toThrow(/Table does not exist: sales\.missing/);
    await expect(catalog.createTable(id, { schema: REGION_SCHEMA })).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it("renames and drops tables (with purgeRequested)", async () => {
    const id = { namespace: ["sales"], name: "tmp" };
    await catalog.createTable(id, { schema: REGION_SCHEMA });
    await catalog.renameTable(id, { namespace: ["sales"], name: "tmp2" });
    expect(JSON.parse(last((r) => r.path === "/v1/cat1/tables/rename").body)).toEqual({
      source: { namespace: ["sales"], name: "tmp" }, destination: { namespace: ["sales"], name: "tmp2" },
    });
    await catalog.dropTable({ namespace: ["sales"], name: "tmp2" }, { purge: true });
    const drop = last((r) => r.method === "DELETE");
    expect(drop.path).toBe("/v1/cat1/namespaces/sales/tables/tmp2");
    expect(drop.query.get("purgeRequested")).toBe("true");
    expect(await catalog.tableExists({ namespace: ["sales"], name: "tmp2" })).toBe(false);
    expect(path.isAbsolute(server.warehouse)).toBe(true);
  });
});

describe("REST serde", () => {
  it("round-trips every TableUpdate and TableRequirement through the REST JSON shapes", () => {
    const updates: TableUpdate[] = [
      { action: "assign-uuid", uuid: "9c12d441-03fe-4693-9a96-a0705ddf69c1" },
      { action: "upgrade-format-version", formatVersion: 2 },
      { action: "add-schema", schema: REGION_SCHEMA, lastColumnId: 3 },
      { action: "set-current-schema", schemaId: -1 },
      { action: "add-spec", spec: { specId: 1, fields: SPEC_FIELDS } },
      { action: "set-default-spec", specId: 1 },
      { action: "add-sort-order", sortOrder: { orderId: 1, fields: [{ sourceId: 1, transform: parseTransform("identity"), direction: "asc", nullOrder: "nulls-first" }] } },
      { action: "set-default-sort-order", sortOrderId: 1 },
      { action: "add-snapshot", snapshot: { snapshotId: 9007199254740993n, parentSnapshotId: 5n, sequenceNumber: 2n, timestampMs: 1700000000000n, manifestList: "s3://b/m.avro", summary: { operation: "append", "added-data-files": "1" }, schemaId: 0 } },
      { action: "set-snapshot-ref", refName: "v1", snapshotId: 9007199254740993n, type: "tag", maxRefAgeMs: 10n },
      { action: "remove-snapshots", snapshotIds: [1n, 2n] },
      { action: "remove-snapshot-ref", refName: "v1" },
      { action: "set-location", location: "s3://b/t" },
      { action: "set-properties", updates: { a: "1" } },
      { action: "remove-properties", removals: ["b"] },
    ];
    for (const u of updates) expect(tableUpdateFromJson(parseJson(JSON.stringify(tableUpdateToJson(u), (_k, v) => (typeof v === "bigint" ? Number(v) : v))))).toBeDefined();
    for (const u of updates) expect(tableUpdateFromJson(tableUpdateToJson(u))).toEqual(u);
    expect(tableUpdateToJson(updates[9]!)).toEqual({ action: "set-snapshot-ref", "ref-name": "v1", type: "tag", "snapshot-id": 9007199254740993n, "max-ref-age-ms": 10n, "max-snapshot-age-ms": undefined, "min-snapshots-to-keep": undefined });
    const reqs: TableRequirement[] = [
      { type: "assert-create" }, { type: "assert-table-uuid", uuid: "u" }, { type: "assert-ref-snapshot-id", ref: "main", snapshotId: null },
      { type: "assert-ref-snapshot-id", ref: "main", snapshotId: 7n }, { type: "assert-last-assigned-field-id", lastAssignedFieldId: 3 },
      { type: "assert-current-schema-id", currentSchemaId: 0 }, { type: "assert-last-assigned-partition-id", lastAssignedPartitionId: 1000 },
      { type: "assert-default-spec-id", defaultSpecId: 0 }, { type: "assert-default-sort-order-id", defaultSortOrderId: 0 },
    ];
    for (const r of reqs) expect(tableRequirementFromJson(tableRequirementToJson(r))).toEqual(r);
    expect(() => tableUpdateFromJson({ action: "nope" })).toThrow(/update\.action/);
  });
});
