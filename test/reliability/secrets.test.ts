// Secrets: credentials, tokens and HMAC keys planted in the environment and in a spec never
// appear in logs, run reports, errors or generated DAG / job files. A full run through the
// `engine` CLI (load, failed load, validation failure, postgres source, gen airflow/glue, CLI
// errors; ENGINE_DEBUG unset) is grepped: every output file and all stdout/stderr.

import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./util/child.js";
import { batchRows, specYaml, writeCsv, writeSpec } from "./util/fixtures.js";
import { filesUnder } from "./util/table-state.js";

const SECRETS = {
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz1",
  AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLEsessionTOKENzz2",
  ENGINE_PII_KEY: "hmac-key-0123456789abcdef-PIIKEYzz3",
  WEBHOOK_TOKEN: "xoxb-WEBHOOKTOKENzz4",
  PG_PASSWORD: "pgPASSWORDzz5",
};
const root = mkdtempSync(path.join(tmpdir(), "engine-secrets-"));
let server: Server;
let hookUrl = "";
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => { let b = ""; req.on("data", (d) => (b += d)); req.on("end", () => { received.push(b); res.end("ok"); }); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/${SECRETS.WEBHOOK_TOKEN}?token=${SECRETS.WEBHOOK_TOKEN}`;
});
afterAll(() => { server.close(); rmSync(root, { recursive: true, force: true }); });

/** Runs the CLI asynchronously (the webhook receiver lives in this process and must keep answering). */
async function engineCli(args: string[]): Promise<{ out: string; code: number | null }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: SECRETS.AWS_SESSION_TOKEN,
    ENGINE_PII_KEY: SECRETS.ENGINE_PII_KEY,
    PG_URL: `postgres://loader:${SECRETS.PG_PASSWORD}@127.0.0.1:1/warehouse`,
  };
  delete env["ENGINE_DEBUG"];
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "packages/engine-core/bin/engine.mjs"), ...args], { cwd: root, env });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { out, code };
}

describe("secrets in a full run", () => {
  it("never appear in stdout, stderr, run reports, warehouse files or generated DAG/job files", async () => {
    const wh = path.join(root, "wh");
    const specs = path.join(root, "specs");
    mkdirSync(specs, { recursive: true });
    const alerts = `alerts: { webhook: "${hookUrl}" }\n`;
    const source = writeCsv(path.join(root, "data", "orders.csv"), batchRows(3, 0));
    const good = writeSpec(path.join(specs, "orders.yaml"), specYaml("sales.orders", "merge", source, alerts + 'schedule: { group: sales_daily, cron: "0 17 * * *", start: 2024-01-01 }'));
    const bad = writeCsv(path.join(root, "data", "bad.csv"), []);
    writeFileSync(bad, "id,region,amount,note\nnot-a-number,eu,1,x\n");
    const failing = writeSpec(path.join(root, "failing.yaml"), specYaml("sales.failing", "append", source, `${alerts}`).replace("  - { notNull: [id] }", "  - { rowCount: { min: 1000000 } }"));
    const pg = writeSpec(path.join(root, "pg.yaml"), specYaml("sales.pg", "append", "x", alerts)
      .replace(/source: .*\n/, "source: { format: postgres, options: { connection: PG_URL, table: public.orders } }\n"));

    const runs: { out: string; code: number | null }[] = [];
    for (const args of [
      (["load", good, "--warehouse", wh, "--json", path.join(root, "report-ok.json"), "--progress"]),
      (["load", good, "--warehouse", wh, "--source", bad, "--json", path.join(root, "report-bad.json")]),
      (["load", failing, "--warehouse", wh, "--json", path.join(root, "report-validation.json")]),
      (["load", pg, "--warehouse", wh, "--json", path.join(root, "report-pg.json")]),
      (["validate", good, "--warehouse", wh]),
      (["gen", "airflow", "--specs", specs, "--out", path.join(root, "dags"), "--bucket", "artifacts", "--role", "GlueRole", "--warehouse", "s3://lake/wh"]),
      (["gen", "glue", "--specs", specs, "--out", path.join(root, "glue"), "--bucket", "artifacts", "--role", "GlueRole", "--warehouse", "s3://lake/wh"]),
      (["lod", good]),
      (["load", path.join(root, "missing.yaml")]),
    ]) runs.push(await engineCli(args));
    // The runs did what they should (so the grep covers real outputs).
    expect(runs[0]!.code, runs[0]!.out).toBe(0);
    expect(runs[1]!.code).not.toBe(0);
    expect(runs[2]!.code).not.toBe(0);
    expect(runs[3]!.code).not.toBe(0);
    expect(runs[5]!.code, runs[5]!.out).toBe(0);
    expect(runs[6]!.code, runs[6]!.out).toBe(0);
    expect(filesUnder(path.join(root, "dags")).length).toBeGreaterThan(0);
    expect(received.length).toBeGreaterThan(0); // the webhook was called (that is where its URL may go)

    const outputs: [string, string][] = [
      ...runs.map((r, i): [string, string] => [`run ${i} stdout/stderr`, r.out]),
      ...filesUnder(root).filter((f) => !f.startsWith(specs) && !f.endsWith("failing.yaml") && !f.endsWith("pg.yaml"))
        .map((f): [string, string] => [f, readFileSync(f).toString("latin1")]),
    ];
    const leaks = outputs.flatMap(([where, text]) => Object.entries(SECRETS).filter(([, v]) => text.includes(v)).map(([k]) => `${k} in ${where}`));
    expect(leaks).toEqual([]);
  }, 240_000);
});
