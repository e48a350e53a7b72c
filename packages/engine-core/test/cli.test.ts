import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/cli/cli-io.js";
import { formatLoadSummary } from "../src/cli/format.js";
import { main } from "../src/cli/main.js";
import { SpecError } from "../src/errors.js";
import { tableSpecJsonSchema } from "../src/spec/index.js";

/** Runs the CLI in-process and captures what it printed. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "engine-cli-"));
const badSpec = join(dir, "bad.yaml");
writeFileSync(badSpec, "table: sales.orders\ncolumns:\n  - { name: id, type: long }\n  - { name: amount, type: money }\n");

describe("main", () => {
  it("validate-spec: a good spec exits 0 and prints a summary", async () => {
    const result = await run("validate-spec", "examples/specs/sales/orders.yaml");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^ok: sales\.orders \(7 columns; key order_id; partition month\(order_ts\); write merge; 6 rules\) sha256 [0-9a-f]{12}\n$/);
  });

  it("validate-spec --json prints the normalized spec", async () => {
    const result = await run("validate-spec", "examples/specs/web/events.yaml", "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ table: "web.events", partition: ["day(event_ts)"], write: { mode: "replace-partitions" } });
  });

  it("validate-spec: a bad spec exits 1 with one stderr line naming file, line, path, expected and actual", async () => {
    const result = await run("validate-spec", badSpec);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`engine: ${badSpec}:4:27: spec: columns[1].type: expected an Iceberg type such as "decimal(10,2)", got "money"\n`);
  });

  it("validate-spec: a missing file exits 1 with one line", async () => {
    const result = await run("validate-spec", join(dir, "nope.yaml"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`engine: spec: expected a readable spec file, got ${JSON.stringify(join(dir, "nope.yaml"))} (ENOENT)\n`);
  });

  it("validate-spec --param fills placeholders; a missing one is named", async () => {
    const spec = join(dir, "param.yaml");
    writeFileSync(spec, "table: a.b\nsource: { format: csv, path: 'in/{day}.csv' }\ncolumns: [{ name: id, type: long }]\n");
    expect((await run("validate-spec", spec, "--param", "day=2024-01-01")).code).toBe(0);
    const missing = await run("validate-spec", spec);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("spec: source.path: expected a value for the placeholder {day}");
    const malformed = await run("validate-spec", spec, "--param", "day");
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(`engine: option '--param <key=value>' argument 'day' is invalid. expected key=value with key matching /^[A-Za-z_][A-Za-z0-9_]*$/, got "day"\n`);
  });

  it("load: a bad spec fails before the warehouse is opened", async () => {
    const result = await run("load", badSpec, "--warehouse", join(dir, "wh"));
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n")).toEqual([expect.stringMatching(/^engine: .*bad\.yaml:4:27: spec: columns\[1\]\.type: /), ""]);
  });

  it("an unknown command exits non-zero with one line", async () => {
    const result = await run("lod", "x.yaml");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe("engine: unknown command 'lod' (Did you mean load?)\n");
  });

  it("no arguments prints usage and exits 1; --help exits 0", async () => {
    expect((await run()).code).toBe(1);
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate-spec");
  });

  it("schema prints the JSON Schema, or writes it with --out", async () => {
    const printed = await run("schema");
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(tableSpecJsonSchema);
    const out = join(dir, "schema.json");
    expect((await run("schema", "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(printed.stdout);
  });
});

describe("formatFailure", () => {
  it("prints one line, and the stack only with ENGINE_DEBUG=1", () => {
    const error = new SpecError("spec: a\nb");
    expect(formatFailure(error, {})).toBe("engine: spec: a b\n");
    const debug = formatFailure(error, { ENGINE_DEBUG: "1" });
    expect(debug.startsWith("engine: spec: a b\nSpecError: spec: a")).toBe(true);
  });
});

describe("formatLoadSummary", () => {
  it("prints table, snapshot, rows, duplicates, files and time on two lines", () => {
    const text = formatLoadSummary({
      table: "sales.orders",
      snapshotId: 123n,
      rowsRead: 20_919,
      rowsWritten: 20_000,
      duplicatesDropped: 919,
      filesWritten: 3,
      bytesWritten: 1_572_864,
      durationMs: 1840,
    });
    expect(text).toBe(
      "loaded sales.orders: snapshot 123 in 1.8 s\n  rows read 20,919, duplicates dropped 919, written 20,000; 3 files written (1.5 MiB)\n",
    );
  });
});

describe("bin/engine.mjs", () => {
  it("runs from source without a build", () => {
    const bin = join(import.meta.dirname, "../bin/engine.mjs");
    const ok = spawnSync(process.execPath, [bin, "validate-spec", "examples/specs/sales/customers.yaml"], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ok: sales\.customers /);
    const bad = spawnSync(process.execPath, [bin, "validate-spec", badSpec], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
