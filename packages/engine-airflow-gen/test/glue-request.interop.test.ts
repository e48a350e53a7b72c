// botocore's Glue service model validates every generated CreateJob request, and moto's Glue
// mock accepts it and reads it back (scripts/peers/moto.sh venv, moto in-process).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateGlueJobs, writeGenerated } from "../src/index.js";
import { specsOnlyInput, withCsvInput } from "./util/fixtures.js";
import { installPeer, peerSkipped, runPythonCheck } from "./util/python-peer.js";

interface CheckReport {
  [file: string]: { errors: string; job: Record<string, unknown> | null };
}

describe.skipIf(peerSkipped("moto"))("generated Glue CreateJob requests in botocore and moto", () => {
  let python: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    python = (await installPeer("moto"))["python"]!;
  }, 3_600_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("passes botocore's CreateJob validation and round-trips through moto's Glue", async () => {
    const dir = mkdtempSync(join(tmpdir(), "engine-glue-"));
    dirs.push(dir);
    const files = [...generateGlueJobs(specsOnlyInput()).files, ...generateGlueJobs(withCsvInput()).files].filter((f) => f.path.startsWith("jobs/"));
    const paths: string[] = [];
    files.forEach((file, i) => {
      writeGenerated(join(dir, String(i)), [file]);
      paths.push(join(dir, String(i), file.path));
    });
    const report = await runPythonCheck<CheckReport>(python, "glue_request_check.py", paths);
    expect(Object.keys(report)).toHaveLength(files.length);
    for (const [path, entry] of Object.entries(report)) {
      expect(entry.errors, path).toBe("");
      const request = JSON.parse(files[paths.indexOf(path)]!.content) as Record<string, unknown>;
      expect(entry.job, path).toMatchObject({ Name: request["Name"], Command: request["Command"], GlueVersion: request["GlueVersion"] });
    }
    const ledger = Object.values(report).find((e) => e.job?.["Name"] === "engine-load-finance__ledger")!.job!;
    expect(ledger).toMatchObject({ WorkerType: "G.2X", NumberOfWorkers: 3, ExecutionClass: "FLEX" });
  });
});
