import path from "node:path";
import { writeFile, mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { tempDir } from "./util/tmp.js";

describe("Engine", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => { ({ dir, cleanup } = await tempDir()); });
  afterAll(async () => { await cleanup(); });

  it("lists tables while another process creates one (its folder first looks like a namespace)", async () => {
    const warehouse = path.join(dir, "wh-race");
    const engine = await Engine.open({ warehouse });
    try {
      await engine.load({ table: "a.t", source: { format: "memory" }, columns: [{ name: "id", type: "long" }] }, { data: [{ id: 1 }] });
      // A writer of a.new has written data files but not yet its metadata folder ...
      await mkdir(path.join(warehouse, "a", "new", "data"), { recursive: true });
      const list = engine.catalog.listNamespaces.bind(engine.catalog);
      engine.catalog.listNamespaces = async () => {
        engine.catalog.listNamespaces = list;
        const namespaces = await list();
        expect(namespaces).toContainEqual(["a", "new"]);
        // ... and commits it right after the namespaces were listed.
        await mkdir(path.join(warehouse, "a", "new", "metadata"));
        return namespaces;
      };
      // No NoSuchNamespaceError for the folder that turned into a table; a.new is listed by `a` now.
      expect(await engine.tables()).toEqual(["a.new", "a.t"]);
      expect(Number((await engine.query("select count(*) as n from a.t")).rows()[0]!["n"])).toBe(1);
    } finally {
      engine.close();
    }
  });

  it("loads a spec file whose relative source path resolves against the spec's folder", async () => {
    await mkdir(path.join(dir, "specs", "data"), { recursive: true });
    await writeFile(path.join(dir, "specs", "data", "p.csv"), "id,name\n1,a\n2,b\n2,b\n");
    await writeFile(path.join(dir, "specs", "people.yaml"), [
      "table: hr.people",
      "source: { format: csv, path: data/*.csv }",
      "columns:",
      "  - { name: id, type: long, required: true }",
      "  - { name: name, type: string }",
      "key: [id]",
      "dedupe: { keep: exact }",
      "",
    ].join("\n"));
    const engine = await Engine.open({ warehouse: path.join(dir, "wh") });
    try {
      const r = await engine.load(path.join(dir, "specs", "people.yaml"));
      expect(r).toMatchObject({ table: "hr.people", rowsRead: 3, rowsWritten: 2, duplicatesDropped: 1, filesWritten: 1 });
      expect(r.stages.map((s) => s.name)).toEqual(expect.arrayContaining(["source", "stage", "cast", "dedupe", "write", "commit"]));
      const again = await engine.load(path.join(dir, "specs", "people.yaml"));
      expect(again.loadId).toBe(r.loadId); // same spec, same files, same params
      expect(again.status).toBe("skipped");
      const forced = await engine.load(path.join(dir, "specs", "people.yaml"), { force: true });
      expect(forced.status).toBe("committed");
      const h = await engine.history("hr.people");
      expect(h.map((e) => e.operation)).toEqual(["append", "append"]);
      expect(h[1]!.parentId).toBe(h[0]!.snapshotId);
      expect(await engine.tables()).toEqual(["hr.people"]);
      await expect(engine.registerTable("nodots", "/x")).rejects.toThrow(/expected a name like "ns.table"/);
      await expect(engine.load({ table: "hr.x", source: { format: "csv", path: "data/*.csv" }, columns: [{ name: "id", type: "long" }], write: { mode: "merge", deleteMarker: { column: "op", value: "D" } }, key: ["id"] }))
        .rejects.toThrow(/source: no files match data\/\*.csv/);
    } finally {
      engine.close();
    }
  });
});
