import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { tempDir } from "./util/tmp.js";

interface Case {
  readonly file: string;
  readonly policy: unknown;
  readonly spec?: { readonly source?: { readonly options?: Record<string, unknown> } };
  readonly error?: readonly string[];
  readonly ok?: { readonly rows: number; readonly rejected: number; readonly reasons?: readonly string[] };
}

const fixtures = path.join(import.meta.dirname, "fixtures");
const corpus = path.join(fixtures, "bad-input");
const { cases } = JSON.parse(readFileSync(path.join(corpus, "cases.json"), "utf8")) as { cases: Case[] };

function spec(file: string, format: string, policy: unknown, options: Record<string, unknown> = {}) {
  return {
    table: "raw.things",
    source: { format, path: file, options, onError: policy },
    columns: [
      { name: "id", type: "long", required: true },
      { name: "name", type: "string" },
      { name: "amount", type: "decimal(10,2)" },
      { name: "day", type: "date" },
    ],
  };
}

let cwd: string;
beforeAll(() => { cwd = process.cwd(); process.chdir(fixtures); });
afterAll(() => { process.chdir(cwd); });

describe("bad input", () => {
  it(`follows the policy on each of the ${cases.length} cases of fixtures/bad-input/cases.json; failures commit nothing`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const problems: string[] = [];
    for (const c of cases) {
      const { dir, cleanup } = await tempDir("engine-bad-");
      const warehouse = path.join(dir, "wh");
      const engine = await Engine.open({ warehouse });
      const label = `${c.file} (${JSON.stringify(c.policy)})`;
      try {
        const format = c.file.endsWith(".json") ? "json" : "csv";
        await engine.load(spec(path.join(corpus, `good.${format}`), format, "fail"));
        const snapshotsBefore = (await engine.history("raw.things")).map((h) => h.snapshotId);
        const dataDir = path.join(warehouse, "raw", "things", "data");
        const filesBefore = (await readdir(dataDir, { recursive: true })).map(String).sort();
        const load = engine.load(spec(path.join(corpus, c.file), format, c.policy, c.spec?.source?.options ?? {}));
        if (c.error) {
          const err = await load.then(() => undefined, (e: unknown) => e);
          if (!(err instanceof Error)) { problems.push(`${label}: expected an error, the load committed`); continue; }
          for (const part of c.error) if (!err.message.includes(part)) problems.push(`${label}: expected the error to contain ${JSON.stringify(part)}, got ${JSON.stringify(err.message)}`);
          const snapshotsAfter = (await engine.history("raw.things")).map((h) => h.snapshotId);
          if (JSON.stringify(snapshotsAfter.map(String)) !== JSON.stringify(snapshotsBefore.map(String))) problems.push(`${label}: snapshots changed`);
          const filesAfter = (await readdir(dataDir, { recursive: true })).map(String).sort();
          if (JSON.stringify(filesAfter) !== JSON.stringify(filesBefore)) problems.push(`${label}: data folder changed: ${filesAfter.join(", ")}`);
        } else {
          const r = await load.catch((e: unknown) => e as Error);
          if (r instanceof Error) { problems.push(`${label}: expected a commit, got ${r.message}`); continue; }
          const rows = r.rowsRead;
          if (rows !== c.ok!.rows || r.rowsRejected !== c.ok!.rejected) problems.push(`${label}: expected ${c.ok!.rows} rows and ${c.ok!.rejected} rejected, got ${rows} and ${r.rowsRejected}`);
          const rejectsFile = path.join(warehouse, "_engine", "rejects", "raw.things", `${r.loadId}.ndjson`);
          if (c.ok!.rejected > 0) {
            if (!existsSync(rejectsFile)) { problems.push(`${label}: no rejects file ${rejectsFile}`); continue; }
            const rejects = readFileSync(rejectsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; line: number; raw: string; reason: string });
            const got = rejects.map((x) => `${path.basename(x.file)}:${x.line}: ${x.reason}`);
            (c.ok!.reasons ?? []).forEach((want, i) => {
              if (!(got[i] ?? "").startsWith(want)) problems.push(`${label}: reject ${i}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got[i])}`);
            });
            if (rejects.some((x) => typeof x.raw !== "string" || x.raw === "")) problems.push(`${label}: a reject has no raw line`);
          } else if (existsSync(rejectsFile)) {
            problems.push(`${label}: unexpected rejects file`);
          }
        }
      } finally {
        engine.close();
        await cleanup();
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
