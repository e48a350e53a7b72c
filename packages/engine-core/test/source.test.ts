import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbSession } from "../src/duckdb/session.js";
import { SourceError } from "../src/errors.js";
import { countFields, sourceErrorFrom } from "../src/source/errors.js";
import { resolveSourcePattern } from "../src/source/paths.js";
import { openSource } from "../src/source/read-sql.js";
import { tempDir } from "./util/tmp.js";

let db: DuckDbSession;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  db = await DuckDbSession.create();
  ({ dir, cleanup } = await tempDir());
  await mkdir(path.join(dir, "csv", "nested"), { recursive: true });
  await writeFile(path.join(dir, "csv", "a.csv"), "id;name\n1;\"x;y\"\n2;NA\n");
  await writeFile(path.join(dir, "csv", "nested", "b.csv"), "id;name\n3;z\n");
  await writeFile(path.join(dir, "unterminated.csv"), "id,name\n1,\"open\n2,b\n");
  await writeFile(path.join(dir, "bad.json"), '{"id": 1}\n{"id": 2\n{"id": 3}\n');
  await writeFile(path.join(dir, "header-b.csv"), "id,other\n1,2\n");
  await writeFile(path.join(dir, "header-a.csv"), "id,name\n1,2\n");
});
afterAll(async () => {
  db.close();
  await cleanup();
});

describe("resolveSourcePattern", () => {
  it("resolves relative paths against the spec's folder and fills parameters", () => {
    expect(resolveSourcePattern("data/{day}/*.csv", "csv", { specFile: "/specs/sales/orders.yaml", params: { day: "2024-01-05" } })).toBe("/specs/sales/data/2024-01-05/*.csv");
    expect(resolveSourcePattern("x.csv", "csv", { specFile: "/specs/o.yaml", override: "x.csv", cwd: "/work" })).toBe("/work/x.csv");
    expect(() => resolveSourcePattern("data/{day}.csv", "csv", {})).toThrow(/no value for parameter \{day\}/);
  });
});

describe("openSource", () => {
  it("reads a folder recursively with the spec's dialect, types and null string", async () => {
    const read = await openSource(db, { format: "csv", path: path.join(dir, "csv"), options: { delimiter: ";", nullstr: "NA" } }, { columnTypes: { id: "BIGINT", name: "VARCHAR" } });
    expect(read.files.map((f) => path.relative(dir, f.path))).toEqual(["csv/a.csv", "csv/nested/b.csv"]);
    const r = await db.query(`SELECT id, name FROM ${read.sql} ORDER BY id`);
    expect(r.rowObjectsJson()).toEqual([{ id: "1", name: "x;y" }, { id: "2", name: null }, { id: "3", name: "z" }]);
  });

  it("rejects unknown options and files with different headers", async () => {
    await expect(openSource(db, { format: "csv", path: path.join(dir, "csv"), options: { delimeter: ";" } })).rejects.toThrow(/options\.delimeter: not an option/);
    await expect(openSource(db, { format: "csv", path: path.join(dir, "header-*.csv"), options: {} }, { columnTypes: {} }))
      .rejects.toThrow(/header-b\.csv:1: expected the header id,name/);
  });

  it("names file and line of an unterminated quote", async () => {
    const read = await openSource(db, { format: "csv", path: path.join(dir, "unterminated.csv"), options: {} }, { columnTypes: { id: "BIGINT" } });
    const err = await db.query(`SELECT * FROM ${read.sql}`).catch((e: unknown) => sourceErrorFrom(e, read.dialect));
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/unterminated\.csv:2: unterminated quoted value$/);
  });

  it("names file and line of malformed NDJSON", async () => {
    const err = await openSource(db, { format: "json", path: path.join(dir, "bad.json"), options: { columns: { id: "long" } } }, {})
      .then((read) => db.query(`SELECT * FROM ${read.sql}`))
      .catch((e: unknown) => sourceErrorFrom(e) ?? e);
    expect((err as Error).message).toMatch(/^source: .*bad\.json:3: malformed JSON/);
  });
});

describe("countFields", () => {
  it("counts delimited fields outside quotes", () => {
    expect(countFields('a,"b,c",d', { delimiter: ",", quote: '"' })).toBe(3);
    expect(countFields("a|b||", { delimiter: "|", quote: '"' })).toBe(4);
  });
});
