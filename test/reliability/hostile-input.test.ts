// Hostile input: property-based runs (fast-check, fixed seed, bounded runs) over the spec
// parser, the CSV and NDJSON readers, and the Iceberg metadata / manifest / manifest-list
// readers fed truncated, corrupted and oversized bytes. The only failure allowed is a typed
// error (SpecError / SourceError / LoadError… or IcebergError); each run is time-boxed and the
// heap must not balloon. ENGINE_FUZZ_RUNS=<n> runs the long version.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, EngineError, loadSpec, parseSpec } from "@engine/core";
import { IcebergError, parseTableMetadata, readAvroFile, readManifest, readManifestList } from "@engine/iceberg";
import { batchRows, csvCell, specYaml, writeCsv, writeSpec } from "./util/fixtures.js";

const LONG = Number(process.env.ENGINE_FUZZ_RUNS ?? 0);
const runs = (quick: number): number => (LONG > 0 ? LONG : quick);
const SEED = Number(process.env.ENGINE_FUZZ_SEED ?? 20250101);
const params = (quick: number) => ({ seed: SEED, numRuns: runs(quick), endOnFailure: true });
/** A test's time limit: the quick one, or none worth the name for a long run. */
const limit = (quickMs: number): number => (LONG > 0 ? 24 * 3_600_000 : quickMs);
/** Yields to the event loop now and then: a synchronous property that runs for a minute makes vitest's worker RPC time out. */
let ticks = 0;
const breathe = async (): Promise<void> => { if (++ticks % 500 === 0) await new Promise((r) => setImmediate(r)); };

const root = mkdtempSync(path.join(tmpdir(), "engine-fuzz-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A failure that is allowed: one of our typed errors. */
function typed(error: unknown): boolean {
  return error instanceof EngineError || error instanceof IcebergError;
}
const describeError = (e: unknown): string => `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack?.split("\n").slice(1, 6).join("\n")}`;

/** Runs `fn` (sync) and says whether it crashed with anything but a typed error. */
function untypedThrow(fn: () => unknown): string | undefined {
  try { fn(); return undefined; } catch (e) { return typed(e) ? undefined : describeError(e); }
}

/** Byte mutations: truncation, bit flips, splices of junk, a huge tail. */
const mutation = (len: number) => fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat({ max: Math.max(0, len - 1) }) }),
  fc.record({ kind: fc.constant("flip" as const), flips: fc.array(fc.tuple(fc.nat({ max: Math.max(0, len - 1) }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat({ max: len }), junk: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant("oversize" as const), at: fc.nat({ max: len }), bytes: fc.constantFrom(0xff, 0x7f, 0x00, 0x80) }),
);
type Mutation = typeof mutation extends (n: number) => fc.Arbitrary<infer M> ? M : never;
function mutate(data: Uint8Array, m: Mutation): Uint8Array {
  const b = Buffer.from(data);
  switch (m.kind) {
    case "truncate": return b.subarray(0, m.at);
    case "flip": { for (const [i, x] of m.flips) b[i % b.length] ^= x; return b; }
    case "splice": return Buffer.concat([b.subarray(0, m.at), m.junk, b.subarray(m.at)]);
    // Varint lengths/counts of 0xff… decode to huge numbers: readers must not trust them.
    case "oversize": return Buffer.concat([b.subarray(0, m.at), Buffer.alloc(12, m.bytes), b.subarray(m.at)]);
  }
}

describe("spec parser", () => {
  it("throws only SpecError on arbitrary objects and on specs with random values put in", async () => {
    const valid = { table: "a.b", source: { format: "csv", path: "x.csv" }, columns: [{ name: "id", type: "long" }], write: { mode: "append" } };
    await fc.assert(fc.asyncProperty(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), async (value) => {
      expect(untypedThrow(() => parseSpec(value as object))).toBeUndefined();
      await breathe();
    }), params(300));
    const paths = ["table", "source", "source.format", "source.path", "source.options", "columns", "columns.0", "columns.0.name", "columns.0.type", "write", "write.mode", "write.filter", "key", "partition", "dedupe", "validate", "pii", "schedule", "transform", "alerts"];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.anything({ withBigInt: true }), async (where, value) => {
      await breathe();
      const spec = structuredClone(valid) as Record<string, unknown>;
      const keys = where.split(".");
      let o: Record<string, unknown> = spec;
      for (const k of keys.slice(0, -1)) { o[k] ??= {}; o = o[k] as Record<string, unknown>; if (typeof o !== "object" || o === null) return; }
      o[keys[keys.length - 1]!] = value;
      expect(untypedThrow(() => parseSpec(spec))).toBeUndefined();
    }), params(300));
  }, limit(60_000));

  // Counterexamples of long runs (ENGINE_FUZZ_RUNS, see RELIABILITY.md), kept as plain cases.
  it("throws only SpecError on text with an alias but no anchor (`*s`)", () => {
    for (const text of ["*s", "table: a.b\ncolumns: *cols\n", "- *a\n- &a x\n"]) {
      expect(untypedThrow(() => parseSpec(text)), text).toBeUndefined();
      expect(() => parseSpec(text), text).toThrow(/Unresolved alias/);
    }
  });

  it("throws only SpecError on an object that neither JSON nor String can render (a bigint beside a `toString` key that is not a function)", () => {
    const found = Object.assign(Object.create(null) as object, {
      toString: "VY)(A1L", i: "UVvb3cufl", "": -29694626443626598961825745069409961010486753419244006562497322444667065309762n, "{1F%=%Gf": false,
      LMe3: -7915086023341147, "sy-'\\Zig": undefined, "o[dc*VW9": -11735604884554171185091633032772800035551611920420929452986690582155232582494n,
      "K>2": 11628026798499385267511959537532402795770909419380241164019611403636152329251n,
    });
    for (const value of [found, { toString: "x", n: 1n }, Object.assign(Object.create(null) as object, { n: 1n })]) {
      expect(untypedThrow(() => parseSpec(value))).toBeUndefined();
    }
  });

  it("throws only SpecError on truncated, corrupted and random YAML files", async () => {
    const yaml = specYaml("fz.orders", "merge", "x.csv", "dedupe: { keep: latest, orderBy: amount }\nschedule: { group: g, cron: \"0 1 * * *\", start: 2024-01-01 }\n");
    const file = path.join(root, "fuzz.yaml");
    await fc.assert(fc.asyncProperty(fc.oneof(
      mutation(yaml.length).map((m) => mutate(Buffer.from(yaml), m)),
      fc.string({ unit: "binary", maxLength: 400 }).map((s) => Buffer.from(s)),
      fc.constantFrom("&a [*a, *a]", "a: &a\n  b: *a\n", "? [a]\n: b", "!!binary AAAA", "%YAML 9.9\n---\n", "table: !!js/function 'x'", "x: " + "[".repeat(5000)).map((s) => Buffer.from(s)),
    ), async (bytes) => {
      writeFileSync(file, bytes);
      expect(untypedThrow(() => loadSpec(file))).toBeUndefined();
      await breathe();
    }), params(300));
  }, limit(60_000));
});

describe("CSV and NDJSON readers", () => {
  let engine: Engine;
  beforeAll(async () => { engine = await Engine.open({ warehouse: path.join(root, "wh"), duckdb: { threads: 1, memoryLimit: "256MB" } }); });
  afterAll(() => engine?.close());

  for (const format of ["csv", "json"] as const) {
    it(`fail only with typed errors on truncated, corrupted and oversized ${format} files, in bounded time and memory`, async () => {
      const rows = batchRows(77, 0);
      const text = format === "csv"
        ? ["id,region,amount,note", ...rows.map((r) => [r.id, r.region, r.amount, r.note].map(csvCell).join(","))].join("\n") + "\n"
        : rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
      let yaml = specYaml(`fz.${format}_orders`, "append", "x");
      if (format === "json") yaml = yaml.replace("format: csv", "format: json").replace(", options: { header: true }", "");
      const spec = writeSpec(path.join(root, `${format}.yaml`), yaml);
      const heap0 = process.memoryUsage().rss;
      let n = 0;
      await fc.assert(fc.asyncProperty(fc.oneof(
        mutation(text.length).map((m) => mutate(Buffer.from(text), m)),
        fc.constantFrom(
          Buffer.from(text.replace(/\n/g, "\r")),                         // old Mac line ends
          Buffer.concat([Buffer.from(text), Buffer.from('1,eu,2,"never closed\n')]),
          Buffer.from(`${text}${"9,".repeat(20000)}\n`),                  // a 20k-field line
          Buffer.from(`\uFEFF${text}`), Buffer.alloc(0), Buffer.from("\u0000\u0000\u0000"),
          Buffer.from(`id,region,amount,note\n1,eu,${"9".repeat(400)},x\n`),   // a number that overflows
          Buffer.from(`{"id": ${"[".repeat(3000)}\n`),                    // deep nesting
          Buffer.from(`id,region,amount,note\n1,eu,1,"${"x".repeat(3 << 20)}"\n`), // a 3 MB field
        ),
      ), async (bytes) => {
        const file = path.join(root, `in${n++}.${format}`);
        writeFileSync(file, bytes);
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          engine.load(spec, { source: file }).then(() => undefined, (e: unknown) => (typed(e) ? undefined : describeError(e))),
          new Promise<string>((resolve) => { timer = setTimeout(() => resolve("hang: no result after 20 s"), 20_000); }),
        ]);
        clearTimeout(timer);
        rmSync(file, { force: true });
        expect(outcome).toBeUndefined();
      }), params(40));
      // Bounded memory: DuckDB has a 256 MB limit; the JS side must not hold inputs.
      expect(process.memoryUsage().rss - heap0).toBeLessThan(600 * 2 ** 20);
    }, limit(300_000));
  }
});

describe("metadata, manifest and manifest-list readers", () => {
  const files: { metadata: Uint8Array; manifest: Uint8Array; list: Uint8Array } = { metadata: new Uint8Array(), manifest: new Uint8Array(), list: new Uint8Array() };
  beforeAll(async () => {
    const warehouse = path.join(root, "meta-wh");
    const engine = await Engine.open({ warehouse });
    const spec = writeSpec(path.join(root, "meta.yaml"), specYaml("fz.meta", "merge", "x"));
    await engine.load(spec, { source: writeCsv(path.join(root, "m0.csv"), batchRows(5, 0)) });
    await engine.load(spec, { source: writeCsv(path.join(root, "m1.csv"), batchRows(5, 1)) });
    engine.close();
    const dir = path.join(warehouse, "fz", "meta", "metadata");
    const names = readdirSync(dir);
    files.metadata = readFileSync(path.join(dir, names.filter((f) => /^v\d+\.metadata\.json$/.test(f)).sort().at(-1)!));
    files.list = readFileSync(path.join(dir, names.find((f) => f.startsWith("snap-"))!));
    files.manifest = readFileSync(path.join(dir, names.find((f) => /-m\d+\.avro$/.test(f))!));
  });

  const readers: Record<string, (b: Uint8Array) => unknown> = {
    "table metadata": (b) => parseTableMetadata(b),
    "manifest list": (b) => readManifestList(b, { file: "list.avro" }),
    manifest: (b) => readManifest(b, { file: "m.avro" }),
    "avro container": (b) => readAvroFile(b, { file: "x.avro" }),
  };
  for (const [name, read] of Object.entries(readers)) {
    it(`${name}: only IcebergError on truncated, corrupted and oversized bytes, in bounded time`, () => {
      const original = name === "table metadata" ? files.metadata : name === "manifest list" ? files.list : files.manifest;
      expect(() => read(original)).not.toThrow();
      fc.assert(fc.property(mutation(original.length), (m) => {
        const bytes = mutate(original, m);
        const t0 = performance.now();
        const crash = untypedThrow(() => read(bytes));
        expect(crash, `${JSON.stringify(m).slice(0, 200)}`).toBeUndefined();
        expect(performance.now() - t0).toBeLessThan(5_000);
      }), params(400));
    }, limit(120_000));
  }
});
