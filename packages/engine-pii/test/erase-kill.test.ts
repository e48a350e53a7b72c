import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { eraseSubjects, staticKeyProvider, type SubjectTable } from "../src/index.js";

const KEY = staticKeyProvider(new Uint8Array(32).fill(7));
const TABLES: SubjectTable[] = [{ table: "crm.customers", column: "customer_id", piiColumns: ["email", "name"] }, { table: "sales.orders", column: "customer_id" }];
const CHILD = fileURLToPath(new URL("./util/erase-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the child until it prints PAUSED, then SIGKILLs it. */
function runAndKill(warehouse: string, subject: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CHILD, warehouse, String(subject)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("PAUSED")) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (_code, signal) => (out.includes("PAUSED") ? resolve(String(signal)) : reject(new Error(`child did not pause: ${out}\n${err}`))));
  });
}

describe("eraseSubjects after a crash between the rewrite commit and the expiry", () => {
  let engine: Engine;
  let warehouse: string;
  beforeAll(async () => {
    warehouse = path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-kill-")), "wh");
    engine = await Engine.open({ warehouse });
    await engine.load({
      table: "crm.customers", source: { format: "memory" },
      columns: [{ name: "customer_id", type: "long", required: true }, { name: "email", type: "string" }, { name: "name", type: "string" }], write: { mode: "append" },
    }, { data: Array.from({ length: 20 }, (_, i) => ({ customer_id: i + 1, email: `killtest${i + 1}@example.org`, name: `Someone ${i + 1}` })) });
    await engine.load({
      table: "sales.orders", source: { format: "memory" },
      columns: [{ name: "order_id", type: "long", required: true }, { name: "customer_id", type: "long" }, { name: "day", type: "date" }],
      partition: ["day"], write: { mode: "append" },
    }, { data: Array.from({ length: 60 }, (_, i) => ({ order_id: i, customer_id: (i % 20) + 1, day: `2024-05-0${1 + (i % 3)}` })) });
  });
  afterAll(() => engine?.close());

  it("is reported by a run for another subject, then resumed and certified honestly", async () => {
    const before = (await engine.openTable("crm.customers")).currentSnapshot()!.snapshotId;
    expect(await runAndKill(warehouse, 3)).toBe("SIGKILL");
    // The kill left the rewrite committed but the old snapshot (and the subject's bytes) in place.
    const t = await engine.openTable("crm.customers");
    expect(t.snapshot(before)).toBeDefined();

    const other = await eraseSubjects(engine, { subjects: [4], tables: TABLES, keyProvider: KEY });
    expect(other.status).toBe("erased");
    expect(other.otherPending).toEqual([expect.objectContaining({ stage: "committed" })]);
    // The other run expired the snapshots holding subject 4; subject 3's old files are only gone when its erasure finishes.

    const resumed = await eraseSubjects(engine, { subjects: [3], tables: TABLES, keyProvider: KEY });
    expect(resumed.resumed).toEqual(expect.objectContaining({ stage: "committed" }));
    expect(resumed.before.findings).toBeGreaterThan(0);
    expect(resumed.verification.findings).toEqual([]);
    expect(resumed.status).toBe("erased");
    expect(resumed.tables.find((x) => x.table === "crm.customers")!.rowsErased).toBe(1);
    expect((await engine.openTable("crm.customers")).snapshot(before)).toBeUndefined();
    const n = await engine.query("select count(*) n from crm.customers");
    expect(n.rows()[0]!.n).toBe(18n);
  });
});
