import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./util/tmp.js";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");
const TSX = path.resolve(SRC, "../../../node_modules/tsx/dist/esm/index.mjs");

// A fresh Node process (vitest's own module graph would hide what plain Node loads) with a
// resolve hook that records every `@aws-sdk/*` specifier resolved anywhere in the process.
const HOOK = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  if (specifier.startsWith("@aws-sdk/")) appendFileSync(process.env.AWS_TRACE, specifier + "\\n");
  return next(specifier, context);
}
`;

const SCRIPT = (src: string, hook: string, warehouse: string) => `
import { register } from "node:module";
import { existsSync, readFileSync } from "node:fs";
register(${JSON.stringify(hook)});
const seen = () => existsSync(process.env.AWS_TRACE) ? readFileSync(process.env.AWS_TRACE, "utf8").split("\\n").filter(Boolean) : [];
const { Engine } = await import(${JSON.stringify(pathToFileURL(path.join(src, "index.ts")).href)});
const engine = await Engine.open({ warehouse: ${JSON.stringify(warehouse)} });
const spec = { table: "t.people", source: { format: "json", path: "unused" }, columns: [{ name: "id", type: "long" }, { name: "name", type: "string" }], partition: ["name"] };
const r = await engine.load(spec, { data: [{ id: 1, name: "a" }, { id: 2, name: "b" }] });
const q = await engine.query("select count(*) as n from t.people");
await engine.history("t.people");
engine.close();
const local = seen();
// Control: the hook does see the SDK when something really loads it.
await (await import(${JSON.stringify(pathToFileURL(path.join(src, "aws", "clients.ts")).href)})).loadS3Sdk();
console.log(JSON.stringify({ status: r.status, rows: Number(q.rows()[0].n), local, control: seen().length }));
`;

describe("Engine.open on a local warehouse", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => { ({ dir, cleanup } = await tempDir()); });
  afterAll(async () => { await cleanup(); });

  it("loads, queries and closes without resolving any @aws-sdk package", () => {
    const hook = path.join(dir, "hook.mjs");
    const script = path.join(dir, "local.mts");
    const trace = path.join(dir, "aws-trace.txt");
    writeFileSync(hook, HOOK);
    writeFileSync(script, SCRIPT(SRC, pathToFileURL(hook).href, path.join(dir, "wh")));
    const out = spawnSync(process.execPath, ["--conditions=source", "--import", pathToFileURL(TSX).href, script], {
      env: { ...process.env, AWS_TRACE: trace }, encoding: "utf8", timeout: 60_000,
    });
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout.trim().split("\n").pop()!) as { status: string; rows: number; local: string[]; control: number };
    expect(report).toMatchObject({ status: "committed", rows: 2, local: [] });
    expect(report.control).toBeGreaterThan(0);
    expect(existsSync(trace) && readFileSync(trace, "utf8")).toContain("@aws-sdk/client-s3");
  });
});
