// The separation transform embeds HMAC pads derived from the key: a load that fails on a bad row
// must not carry them (or the key) into its error, the error's context and cause, the failure
// report, the CLI's JSON report or the audit table.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec, type LoadFailureReport } from "@engine/core";
import { main } from "@engine/core/cli";
import { loadSeparated, staticKeyProvider } from "../src/index.js";

const KEY = randomBytes(32);
const KEY_HEX = KEY.toString("hex");

/** The key-dependent halves of the HMAC pads (RFC 2104: key ⊕ 0x36, key ⊕ 0x5c). */
const PADS = [0x36, 0x5c].map((x) => Buffer.from(KEY.map((b) => b ^ x)).toString("hex"));

/** Every 8-hex-digit window of the key and of the pads: a fragment of a cut-off literal counts too. */
function secretFragments(): string[] {
  const out = new Set<string>();
  for (const s of [KEY_HEX, ...PADS]) for (let i = 0; i + 8 <= s.length; i += 2) out.add(s.slice(i, i + 8));
  return [...out];
}

function expectNoSecret(label: string, text: string): void {
  const lower = text.toLowerCase();
  const hit = secretFragments().find((f) => lower.includes(f));
  expect(hit, `${label} holds key material: …${hit}…`).toBeUndefined();
  expect(text).not.toContain(KEY.toString("base64"));
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(e.message, e.stack ?? "", JSON.stringify((e as { context?: unknown }).context ?? {}));
      e = e.cause;
    } else {
      parts.push(String(e));
      e = undefined;
    }
  }
  return parts.join("\n");
}

const CASES = [
  // Row 3's subject key is not a number: the casts around the tokenizing transform fail on it.
  { name: "a bad row (cast failure)", csv: "customer_id,email,segment\n1,a@mail.example,gold\n2,b@mail.example,basic\nnot-a-number,c@mail.example,gold\n", expected: /not-a-number/ },
  // No subject column: DuckDB's binder error quotes the transform — pads included — around the failing spot.
  { name: "a source without the subject column (binder error)", csv: "customerid,email,segment\n1,a@mail.example,gold\n", expected: /customer_id/ },
];

describe.each(CASES)("a separated load of $name", ({ csv: csvText, expected }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "engine-pii-secrets-"));
  const warehouse = path.join(dir, "wh");
  const csv = path.join(dir, "customers.csv");
  writeFileSync(csv, csvText);
  const specObject = {
    table: "crm.customers",
    source: { format: "csv", path: csv, options: { header: true } },
    columns: [
      { name: "customer_id", type: "long", required: true },
      { name: "email", type: "string", pii: { grade: 2, kind: "email" } },
      { name: "segment", type: "string" },
    ],
    key: ["customer_id"], write: { mode: "merge" }, pii: { subject: "customer_id", separate: true },
  };
  const reports: LoadFailureReport[] = [];
  let engine: Engine;
  let failure: unknown;

  beforeAll(async () => {
    engine = await Engine.open({ warehouse, onFailure: (r) => void reports.push(r) });
    failure = await loadSeparated(engine, parseSpec(specObject), { keyProvider: staticKeyProvider(KEY) }).then(() => undefined, (e: unknown) => e);
  });
  afterAll(() => engine?.close());

  it("fails, naming what is wrong", () => {
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(expected);
  });

  it("keeps the pads and the key out of the error, its context and its causes", () => {
    expectNoSecret("error", errorText(failure));
  });

  it("keeps them out of the failure report and the audit table", async () => {
    expect(reports.length).toBeGreaterThan(0);
    expectNoSecret("report", JSON.stringify(reports));
    const audit = await engine.query("select * from _engine.validation_results").then((r) => JSON.stringify(r.rows(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)), () => "");
    expectNoSecret("audit", audit);
  });

  it("keeps them out of the CLI's JSON report and its stderr line", async () => {
    // The derived main spec (with its tokenizing transform), loaded through `engine load --json`.
    const { separationSpecs } = await import("../src/index.js");
    const derived = separationSpecs(parseSpec(specObject), KEY).main;
    const specFile = path.join(dir, "main.json");
    writeFileSync(specFile, JSON.stringify(derived));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["load", specFile, "--warehouse", warehouse, "--json", path.join(dir, "report.json")], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    expect(code).toBe(1);
    expectNoSecret("stderr", err.join(""));
    expectNoSecret("stdout", out.join(""));
    let report = "";
    try {
      report = readFileSync(path.join(dir, "report.json"), "utf8");
    } catch {
      // no JSON report for this failure
    }
    expectNoSecret("json report", report);
  });
});
