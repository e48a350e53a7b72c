// Identifiers in specs that try SQL injection or path traversal: table and column names with
// quotes, semicolons, `../` and absolute paths are rejected by the spec schema; names and values
// that are allowed to hold such characters (source column names, filter values, regexes,
// params) are quoted, so they load as data. Nothing is written outside the warehouse.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, EngineError, parseSpec, SpecError } from "@engine/core";
import { expectedRows } from "./util/expected.js";
import { batchRows, specYaml, writeCsv, writeSpec } from "./util/fixtures.js";
import { filesUnder, tableRows } from "./util/table-state.js";

const root = mkdtempSync(path.join(tmpdir(), "engine-ident-"));
const warehouse = path.join(root, "wh");
let engine: Engine;
let canary: string;
beforeAll(async () => {
  engine = await Engine.open({ warehouse });
  // A table an injection would try to drop or overwrite.
  canary = writeCsv(path.join(root, "canary.csv"), batchRows(1, 0));
  await engine.load(writeSpec(path.join(root, "canary.yaml"), specYaml("victim.orders", "append", "canary.csv")));
});
afterAll(() => { engine.close(); rmSync(root, { recursive: true, force: true }); });

const base = { source: { format: "csv", path: "x.csv" }, columns: [{ name: "id", type: "long" }], write: { mode: "append" } };
const HOSTILE = [
  'victim.orders"; DROP TABLE victim.orders; --', "victim.orders; DELETE FROM victim.orders", "victim.'orders'", 'a."b"',
  "../../etc.passwd", "..\\..\\x.y", "a/../../b.c", "/etc.passwd", "a.b/../../../tmp", "a..b", ".a.b", "a.b.", "a. b", "a.b\u0000c",
  "a.b%00", "a.${HOME}", "a.`x`", "a.b\nc",
];

describe("table names", () => {
  it.each(HOSTILE)("rejects %j as a table name with a spec error", (table) => {
    expect(() => parseSpec({ ...base, table })).toThrow(SpecError);
  });
});

describe("column names and other identifiers", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["column name with a quote", { columns: [{ name: 'id"; DROP TABLE victim.orders; --', type: "long" }] }],
    ["column name with ../", { columns: [{ name: "../x", type: "long" }] }],
    ["column name with a slash", { columns: [{ name: "/abs", type: "long" }] }],
    ["key with SQL", { key: ["id) OR (1=1"] }],
    ["partition transform with SQL", { partition: ["bucket(16, id); DROP TABLE victim.orders"] }],
    ["partition on a path", { partition: ["../id"] }],
    ["dedupe orderBy with SQL", { key: ["id"], dedupe: { keep: "latest", orderBy: "id; DROP TABLE victim.orders" } }],
    ["notNull on a hostile name", { validate: [{ notNull: ['id" OR 1=1 --'] }] }],
    ["type with SQL", { columns: [{ name: "id", type: "long); DROP TABLE victim.orders; --" }] }],
  ];
  it.each(cases)("rejects a %s with a spec error", (_what, patch) => {
    expect(() => parseSpec({ ...base, table: "a.b", ...patch })).toThrow(SpecError);
  });
});

describe("values that may hold quotes are quoted", () => {
  it("loads a source column whose CSV header holds quotes, semicolons and ../ into a safe column name", async () => {
    const dir = path.join(root, "from");
    mkdirSync(dir, { recursive: true });
    const hostile = `x"; DROP TABLE victim.orders; --'../`;
    writeFileSync(path.join(dir, "in.csv"), `id,"${hostile.replaceAll('"', '""')}"\n1,"a'b"\n2,"c""d"\n`);
    const spec = {
      table: "safe.from_names", source: { format: "csv", path: path.join(dir, "in.csv"), options: { header: true } },
      columns: [{ name: "id", type: "long" }, { name: "v", type: "string", from: hostile }], write: { mode: "append" },
      validate: [{ pattern: { column: "v", regex: "^[^']*'?[^']*$|'; DROP TABLE victim.orders; --" } }],
    };
    const r = await engine.load(spec);
    expect(r.status).toBe("committed");
    const rows = (await engine.query("SELECT id, v FROM safe.from_names ORDER BY id")).rows().map((x) => [String(x["id"]), x["v"]]);
    expect(rows).toEqual([["1", "a'b"], ["2", 'c"d']]);
    expect(await tableRows(engine, "victim.orders")).toEqual(await expectedRows("append", [canary]));
  });

  it("treats a write.filter value and a {param} with SQL in them as literals", async () => {
    const dir = path.join(root, "filter");
    const source = writeCsv(path.join(dir, "in.csv"), batchRows(2, 0).map((x) => ({ ...x, region: "eu'; DROP TABLE victim.orders; --" })));
    const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml("safe.filtered", "overwrite", "in.csv")
      .replace("write: { mode: overwrite }", "write: { mode: overwrite, filter: { region: \"{region}\" } }"));
    const r = await engine.load(spec, { source, params: { region: "eu'; DROP TABLE victim.orders; --" } });
    expect(r.status).toBe("committed");
    expect(await tableRows(engine, "safe.filtered")).toEqual(await expectedRows("append", [source]));
    // The same value where the batch does not match it: a typed error, nothing dropped.
    const err = await engine.load(spec, { source, params: { region: "x' OR '1'='1" }, force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(await tableRows(engine, "victim.orders")).toEqual(await expectedRows("append", [canary]));
  });

  it("quotes namespace and table names with SQL keywords and odd characters when querying registered tables", async () => {
    const t = await engine.openTable("victim.orders");
    await engine.registerTable('we"ird.t;x', t.metadataLocation);
    const n = await engine.query('SELECT count(*) AS n FROM "we""ird"."t;x"');
    expect(Number(n.rows()[0]!["n"])).toBe(batchRows(1, 0).length);
    expect(await tableRows(engine, "victim.orders")).toEqual(await expectedRows("append", [canary]));
  });

  it("never writes outside the warehouse", () => {
    const outside = filesUnder(root).filter((f) => !f.startsWith(warehouse + path.sep) && !f.startsWith(path.join(root, "from")) && !f.startsWith(path.join(root, "filter")) && !/canary\.(csv|yaml)$/.test(f));
    expect(outside).toEqual([]);
  });
});
