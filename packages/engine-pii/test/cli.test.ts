import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec } from "@engine/core";
import { main } from "@engine/core/cli";
import { loadSeparated, PII_SUBJECT_COLUMN_PROPERTY, staticKeyProvider, type ColumnSuggestion, type ErasureCertificate, type RetentionReport } from "../src/index.js";

const KEY = new Uint8Array(32).fill(7);
const KEY_HEX = Buffer.from(KEY).toString("hex");

async function engine(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), "engine-pii-cli-"));
const warehouse = path.join(dir, "wh");
const people = Array.from({ length: 40 }, (_, i) => ({
  customer_id: i + 1, email: `person${i + 1}@mail.example`, phone: `010-${String(2000 + i)}-${String(5000 + i)}`, note: i % 2 ? "gold" : "basic",
  order_ts: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
}));
const ordersSpec = {
  table: "sales.orders", source: { format: "memory" },
  columns: [
    { name: "customer_id", type: "long", required: true }, { name: "email", type: "string", pii: { grade: 2, kind: "email" } },
    { name: "note", type: "string" }, { name: "order_ts", type: "timestamptz" },
  ],
  write: { mode: "append" },
  properties: { [PII_SUBJECT_COLUMN_PROPERTY]: "customer_id" },
  pii: { subject: "customer_id", retention: { after: "10d", column: "order_ts" } },
};
const envBefore = process.env["ENGINE_PII_KEY"];
afterEach(() => {
  if (envBefore === undefined) delete process.env["ENGINE_PII_KEY"];
  else process.env["ENGINE_PII_KEY"] = envBefore;
});

beforeAll(async () => {
  const e = await Engine.open({ warehouse });
  try {
    await e.load(ordersSpec, { data: people.map(({ phone: _p, ...r }) => r) });
  } finally {
    e.close();
  }
  writeFileSync(path.join(dir, "orders.json"), JSON.stringify(ordersSpec));
});

describe("engine pii scan", () => {
  beforeAll(() => {
    const lines = ["id,contact,mobile,segment", ...people.map((p) => `${p.customer_id},${p.email},${p.phone},${p.note}`)];
    writeFileSync(path.join(dir, "people.csv"), `${lines.join("\n")}\n`);
    writeFileSync(path.join(dir, "people.yaml"), [
      "table: crm.people",
      "source: { format: csv, path: people.csv, options: { header: true } }",
      "columns:",
      "  - { name: id, type: long }",
      "  - { name: contact, type: string }",
      "  - { name: mobile, type: string }",
      "  - { name: segment, type: string }",
      "",
    ].join("\n"));
  });

  it("samples a spec's source through DuckDB and prints one line per suggested column", async () => {
    const r = await engine(["pii", "scan", path.join(dir, "people.yaml")]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    const lines = r.stdout.trim().split("\n").map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(["column", "kind", "grade", "confidence", "matches/sampled"]);
    expect(lines.slice(1).map((l) => [l[0], l[1], l[2], l[4]])).toEqual([["contact", "email", "2", "40/40"], ["mobile", "phone", "2", "40/40"]]);
  });

  it("samples a warehouse table and prints JSON with --json", async () => {
    const r = await engine(["pii", "scan", "sales.orders", "--warehouse", warehouse, "--sample", "25", "--json"]);
    expect(r.code).toBe(0);
    const suggestions = JSON.parse(r.stdout) as ColumnSuggestion[];
    expect(suggestions.map((s) => [s.column, s.kind, s.sampled])).toEqual([["email", "email", 25]]);
  });

  it("fails with one line for something that is neither a spec nor a table", async () => {
    const r = await engine(["pii", "scan", "sales.nothing", "--warehouse", warehouse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('engine: pii: scan: expected a spec file or a table of the warehouse, got "sales.nothing"\n');
  });
});

describe("engine pii erase", () => {
  it("erases subjects, prints a summary, writes the certificate and exits 0", async () => {
    const file = path.join(dir, "erasure.json");
    writeFileSync(path.join(dir, "subjects.txt"), "# one per line\n4\n\n5\n");
    const r = await engine(["pii", "erase", "--subject", "3", "--subjects-file", path.join(dir, "subjects.txt"), "--warehouse", warehouse, "--certificate", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const cert = JSON.parse(readFileSync(file, "utf8")) as ErasureCertificate;
    expect(cert).toMatchObject({ kind: "engine.pii.erasure-certificate", status: "erased", subjects: { algorithm: "sha256" } });
    expect(cert.subjects.hashes).toHaveLength(3);
    expect(cert.tables.map((t) => [t.table, t.rowsErased])).toEqual([["sales.orders", 3]]);
    expect(r.stdout).toContain(`erasure ${cert.erasureId}: erased (3 subjects)`);
    expect(r.stdout).toContain("sales.orders: 3 rows erased");
    const e = await Engine.open({ warehouse });
    try {
      expect((await e.query("select count(*) n from sales.orders where customer_id in (3, 4, 5)")).rows()[0]!.n).toBe(0n);
    } finally {
      e.close();
    }
  });

  it("exits 0 with pending-expiry when a grace period was asked for", async () => {
    const r = await engine(["pii", "erase", "--subject", "6", "--grace", "7d", "--warehouse", warehouse, "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ErasureCertificate).status).toBe("pending-expiry");
  });

  it("exits 1 when the certificate is not erased, and still writes it", async () => {
    const e = await Engine.open({ warehouse });
    try {
      const t = await e.openTable("sales.orders");
      await t.manageSnapshots().createTag("audit", t.currentSnapshot()!.snapshotId).commit();
    } finally {
      e.close();
    }
    const file = path.join(dir, "failed.json");
    const r = await engine(["pii", "erase", "--subject", "7", "--table", "sales.orders", "--warehouse", warehouse, "--certificate", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^engine: pii: erase: expected status erased, got failed \(\d+ findings; see the certificate\)\n$/);
    const cert = JSON.parse(readFileSync(file, "utf8")) as ErasureCertificate;
    expect(cert.status).toBe("failed");
    expect(cert.tables[0]!.blockingRefs).toEqual(["audit"]);
  });

  it("names a --table that holds no subjects", async () => {
    const r = await engine(["pii", "erase", "--subject", "1", "--table", "sales.nope", "--warehouse", warehouse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("engine: pii: erase: --table sales.nope: expected a table that holds data subjects");
  });

  it("reads the key from ENGINE_PII_KEY for separated tables and says when it is not set", async () => {
    const wh = path.join(dir, "wh-sep");
    const e = await Engine.open({ warehouse: wh });
    try {
      const spec = parseSpec({
        table: "crm.customers", source: { format: "memory" }, key: ["customer_id"], write: { mode: "merge" },
        columns: [{ name: "customer_id", type: "long", required: true }, { name: "email", type: "string", pii: { grade: 2, kind: "email" } }, { name: "note", type: "string" }],
        pii: { subject: "customer_id", separate: true },
      });
      await loadSeparated(e, spec, { data: people.map(({ customer_id, email, note }) => ({ customer_id, email, note })), keyProvider: staticKeyProvider(KEY) });
    } finally {
      e.close();
    }
    delete process.env["ENGINE_PII_KEY"];
    const missing = await engine(["pii", "erase", "--subject", "2", "--warehouse", wh]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("engine: pii: ENGINE_PII_KEY is not set");
    process.env["ENGINE_PII_KEY"] = KEY_HEX;
    const file = path.join(dir, "sep.json");
    const r = await engine(["pii", "erase", "--subject", "2", "--warehouse", wh, "--certificate", file]);
    expect(r.code).toBe(0);
    const cert = JSON.parse(readFileSync(file, "utf8")) as ErasureCertificate;
    expect(cert).toMatchObject({ status: "erased", subjects: { algorithm: "hmac-sha256", keyId: "env:ENGINE_PII_KEY" } });
    expect(cert.tables.map((t) => t.table).sort()).toEqual(["crm.customers", "crm.customers__pii"]);
    expect(JSON.stringify(cert)).not.toContain(KEY_HEX);
  });
});

describe("engine pii retention", () => {
  it("deletes rows older than the spec's retention and prints what it did", async () => {
    const specs = path.join(dir, "specs");
    mkdirSync(specs, { recursive: true });
    writeFileSync(path.join(specs, "orders.json"), JSON.stringify(ordersSpec));
    writeFileSync(path.join(specs, "other.json"), JSON.stringify({ ...ordersSpec, table: "sales.other", pii: undefined, properties: {} }));
    const file = path.join(dir, "retention.json");
    // now = Feb 1 → cutoff Jan 22: orders of Jan 1 … Jan 21 go (ids 1–21; 3–7 were erased above, 6 is pending).
    const r = await engine(["pii", "retention", specs, "--now", "2024-02-01T00:00:00Z", "--warehouse", warehouse, "--report", file]);
    // The "audit" tag created above keeps an old snapshot alive.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("engine: pii: retention: expected status purged, got failed (see the report)\n");
    const report = JSON.parse(readFileSync(file, "utf8")) as RetentionReport;
    expect(report.tables.map((t) => [t.table, t.cutoff, t.blockingRefs])).toEqual([["sales.orders", "2024-01-22T00:00:00.000Z", ["audit"]]]);
    expect(r.stdout).toContain("retention: failed (now 2024-02-01T00:00:00.000Z)");
  });

  it("exits 0 when the table is purged", async () => {
    const e = await Engine.open({ warehouse });
    try {
      const t = await e.openTable("sales.orders");
      await t.manageSnapshots().removeTag("audit").commit();
    } finally {
      e.close();
    }
    const r = await engine(["pii", "retention", path.join(dir, "orders.json"), "--now", "2024-02-01T00:00:00Z", "--warehouse", warehouse, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as RetentionReport;
    expect(report.status).toBe("purged");
    const e2 = await Engine.open({ warehouse });
    try {
      const left = (await e2.query("select min(order_ts) m, count(*) n from sales.orders")).rows()[0]!;
      expect(left.n).toBe(19n);
      expect((left.m as Date).toISOString()).toBe("2024-01-22T00:00:00.000Z");
    } finally {
      e2.close();
    }
  });
});
