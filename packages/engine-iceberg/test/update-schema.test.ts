import { describe, expect, it } from "vitest";
import {
  CommitFailedError, DEFAULT_NAME_MAPPING, InvalidChangeError, eq, findFieldByName, nameMappingFor, nameMappingFromSchema, nameMappingToJson,
  parseNameMapping, typeToString, type Schema,
} from "../src/index.js";
import { ID, livePaths, regionFile, regionTable } from "./util/tables.js";

const names = (s: Schema): string[] => s.fields.map((f) => f.name);

describe("UpdateSchema", () => {
  it("adds (nested), renames, promotes, reorders and deletes columns with fresh ids, and commits a new current schema", async () => {
    const { catalog, table: t0 } = await regionTable();
    let table = await t0.updateSchema()
      .addColumn("loc", { kind: "struct", fields: [
        { id: 0, name: "lat", required: false, type: { kind: "primitive", name: "double" } },
        { id: 0, name: "lon", required: false, type: { kind: "primitive", name: "double" } },
      ] })
      .addColumn("tags", { kind: "list", elementId: 0, elementRequired: false, element: { kind: "primitive", name: "string" } }, { doc: "free tags" })
      .commit();
    expect(table.metadata.currentSchemaId).toBe(1);
    expect(table.metadata.lastColumnId).toBe(3 + 1 + 2 + 2);
    expect(findFieldByName(table.schema(), "loc.lat")!.id).toBe(5);
    expect(findFieldByName(table.schema(), "tags")!.doc).toBe("free tags");
    table = await table.updateSchema()
      .addColumn("alt", "float", { parent: "loc" })
      .renameColumn("n", "count")
      .updateColumn("count", "long")
      .updateColumn("loc.alt", "double")
      .moveFirst("region")
      .moveAfter("tags", "region")
      .moveBefore("loc.alt", "loc.lat")
      .deleteColumn("loc.lon")
      .setIdentifierFields("id")
      .commit();
    const s = table.schema();
    expect(s.schemaId).toBe(2);
    expect(names(s)).toEqual(["region", "tags", "id", "count", "loc"]);
    expect(findFieldByName(s, "count")!.id).toBe(3);
    expect(typeToString(findFieldByName(s, "count")!.type)).toBe("long");
    const loc = findFieldByName(s, "loc")!.type;
    expect(loc.kind === "struct" && loc.fields.map((f) => `${f.name}:${f.id}:${typeToString(f.type)}`)).toEqual(["alt:9:double", "lat:5:double"]);
    expect(s.identifierFieldIds).toEqual([1]);
    // Reload from the catalog: the same schemas, the old ones kept.
    const reloaded = await catalog.loadTable(ID);
    expect(reloaded.metadata.schemas.map((x) => x.schemaId)).toEqual([0, 1, 2]);
    expect(reloaded.schema()).toEqual(s);
  });

  it("rejects unsupported changes with clear messages", async () => {
    const { table } = await regionTable();
    expect(() => table.updateSchema().updateColumn("region", "int")).toThrow(/cannot change type string to int; allowed promotions are int→long/);
    expect(() => table.updateSchema().updateColumn("id", "int")).toThrow(InvalidChangeError);
    expect(() => table.updateSchema().updateColumn("n", "decimal(9,2)")).toThrow(/cannot change type int to decimal\(9, ?2\)/);
    expect(() => table.updateSchema().addColumn("id", "string")).toThrow(/expected a new column name/);
    expect(() => table.updateSchema().deleteColumn("region")).toThrow(/partition spec/);
    expect(() => table.updateSchema().deleteColumn("nope")).toThrow(/expected an existing column/);
    expect(() => table.updateSchema().setIdentifierFields("region")).toThrow(/required/);
    expect(() => table.updateSchema().moveBefore("id", "id")).toThrow(/another column/);
    const t2 = await table.updateSchema().addColumn("d", "decimal(9,2)").commit();
    const t3 = await t2.updateSchema().updateColumn("d", "decimal(18,2)").commit();
    expect(typeToString(findFieldByName(t3.schema(), "d")!.type)).toMatch(/decimal\(18, ?2\)/);
  });

  it("fails with CommitFailedError when the schema changed concurrently", async () => {
    const { table } = await regionTable();
    const a = table.updateSchema().addColumn("a", "int");
    await table.updateSchema().addColumn("b", "int").commit();
    await expect(a.commit()).rejects.toBeInstanceOf(CommitFailedError);
  });

  it("keeps the name mapping in step: renamed columns keep their old names, added ones are mapped", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.updateProperties().set(DEFAULT_NAME_MAPPING, nameMappingToJson(nameMappingFromSchema(t0.schema()))).commit();
    table = await table.updateSchema().renameColumn("n", "count").addColumn("extra", "string").commit();
    const m = nameMappingFor(table)!;
    expect(m.find("n")).toBe(3);
    expect(m.find("count")).toBe(3);
    expect(m.find("extra")).toBe(4);
    expect(m.find("nope")).toBeUndefined();
    const nested = parseNameMapping('[{"field-id":1,"names":["id","record_id"]},{"names":["unmapped"]},{"field-id":2,"names":["loc"],"fields":[{"field-id":3,"names":["lat"]}]}]');
    expect(nested.find("record_id")).toBe(1);
    expect(nested.find("loc", "lat")).toBe(3);
    expect(nested.find("unmapped")).toBeUndefined();
    expect(() => parseNameMapping('[{"field-id":"x","names":[]}]')).toThrow(/field-id/);
  });
});

describe("UpdateSpec", () => {
  it("adds a new default spec; old files keep theirs, new writes use the new one, scans prune across both", async () => {
    const { table: t0 } = await regionTable();
    let table = await t0.newAppend().appendFile(regionFile(t0, "eu", { name: "old-eu.parquet" })).commit();
    table = await table.updateSpec().addField("id", "bucket[4]").commit();
    expect(table.spec()).toEqual({ specId: 1, fields: [
      { sourceId: 2, fieldId: 1000, name: "region", transform: { kind: "identity" } },
      { sourceId: 1, fieldId: 1001, name: "id_bucket_4", transform: { kind: "bucket", n: 4 } },
    ] });
    expect(table.metadata.lastPartitionId).toBe(1001);
    const f = { ...regionFile(table, "us", { name: "new-us.parquet" }), partition: ["us", 2] };
    table = await table.newAppend().appendFile(f).commit();
    const tasks = await table.newScan().planFiles();
    expect(tasks.map((t) => [t.file.filePath.split("/").pop(), t.spec.specId]).sort()).toEqual([["new-us.parquet", 1], ["old-eu.parquet", 0]]);
    expect(await livePaths(await table.refresh())).toEqual(["new-us.parquet", "old-eu.parquet"]);
    expect((await table.newScan({ filter: eq("region", "eu") }).planFiles()).length).toBe(1);
    // Remove (v2: dropped) and rename; re-adding a removed field reuses its id.
    table = await table.updateSpec().removeField("id_bucket_4").renameField("region", "reg").commit();
    expect(table.spec().fields.map((x) => x.name)).toEqual(["reg"]);
    table = await table.updateSpec().addField("id", "bucket[4]").commit();
    expect(table.spec().fields.map((x) => x.fieldId)).toEqual([1000, 1001]);
    expect(() => table.updateSpec().addField("id", "bucket[4]")).toThrow(/duplicate/);
    expect(() => table.updateSpec().addField("id", "day")).toThrow(/transform accepts/);
    expect(() => table.updateSpec().addField("n", "identity", "region")).toThrow(/not a column/);
  });

  it("voids removed fields in v1 tables", async () => {
    const { table } = await regionTable({ formatVersion: 1 });
    const t2 = await table.updateSpec().removeField("region").commit();
    expect(t2.spec().fields).toEqual([{ sourceId: 2, fieldId: 1000, name: "region", transform: { kind: "void" } }]);
  });
});

describe("UpdateProperties and ManageSnapshots", () => {
  it("sets and removes properties, creates and removes tags and branches", async () => {
    const { table: t0 } = await regionTable({ properties: { a: "1", b: "2" } });
    let table = await t0.updateProperties().set("c", "3").remove("a").commit();
    expect(table.properties()).toEqual({ b: "2", c: "3" });
    table = await table.newAppend().appendFile(regionFile(table, "eu")).commit();
    const first = table.currentSnapshot()!.snapshotId;
    table = await table.newAppend().appendFile(regionFile(table, "us")).commit();
    table = await table.manageSnapshots().createTag("v1", first).createBranch("dev").commit();
    expect(table.metadata.refs["v1"]).toEqual({ snapshotId: first, type: "tag" });
    expect(table.metadata.refs["dev"]).toEqual({ snapshotId: table.currentSnapshot()!.snapshotId, type: "branch" });
    expect((await table.newScan({ ref: "v1" }).planFiles()).length).toBe(1);
    await expect(table.manageSnapshots().createTag("v1", first).commit()).rejects.toThrow(/existing tag/);
    // A commit to a branch leaves main alone.
    table = await table.newAppend().appendFile(regionFile(table, "ap")).toBranch("dev").commit();
    expect((await table.newScan({ ref: "dev" }).planFiles()).length).toBe(3);
    expect((await table.newScan().planFiles()).length).toBe(2);
    table = await table.manageSnapshots().removeTag("v1").removeBranch("dev").commit();
    expect(Object.keys(table.metadata.refs)).toEqual(["main"]);
    table = await table.manageSnapshots().setBranchSnapshot(first).commit();
    expect(table.currentSnapshot()!.snapshotId).toBe(first);
  });
});
