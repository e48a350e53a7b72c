// Resource faults: no space left on device at every point of a load (a small tmpfs, filled to
// several levels), unreadable source files, and a source file that changes while it is read.
// Each gives a clear, typed error and leaves the table at its previous snapshot.

import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, chmodSync, promises as fsp, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Engine, EngineError } from "@engine/core";
import { CommitAbortedError, CommitFailedError, CommitStateUnknownError, IcebergError } from "@engine/iceberg";
import { REPO_ROOT, runChild } from "./util/child.js";
import { expectedRows } from "./util/expected.js";
import { batchRows, rng, specYaml, writeCsv, writeSpec, type Row } from "./util/fixtures.js";
import { filesUnder, orphansOf, sweepOrphans, tableRows } from "./util/table-state.js";

const root = mkdtempSync(path.join(tmpdir(), "engine-faults-"));
const mnt = path.join(root, "tmpfs");
let mounted = false;
let mountSkip = "";

beforeAll(() => {
  mkdirSync(mnt);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], { stdio: "pipe" });
    mounted = true;
  } catch (error) {
    mountSkip = `mount -t tmpfs not permitted here: ${(error as Error).message.split("\n")[0]}`;
  }
});
afterAll(() => {
  if (mounted) execFileSync("umount", [mnt]);
  rmSync(root, { recursive: true, force: true });
});

/** A typed error with a message that says what happened. */
function expectClearError(error: unknown, pattern: RegExp): void {
  expect(error instanceof EngineError || error instanceof IcebergError, `${(error as Error)?.name}: ${(error as Error)?.message}`).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

describe("no space left on device", () => {
  it("fails the load with a clear error at every fill level, the table unchanged, its files cleaned up or swept", async (t) => {
    if (!mounted) { console.log(`skipped: ${mountSkip}`); t.skip(); return; }
    const warehouse = path.join(mnt, "wh");
    const spec = writeSpec(path.join(root, "enospc.yaml"), specYaml("disk.orders", "merge", "unused.csv"));
    const seed = writeCsv(path.join(root, "seed.csv"), batchRows(5, 0));
    const engine = await Engine.open({ warehouse, duckdb: { threads: 1 } });
    const filler = path.join(mnt, "filler");
    const outcomes: string[] = [];
    try {
      await engine.load(spec, { source: seed });
      const committed = [seed];
      // A batch too big for the disk at all: its Parquet write fails.
      const big = path.join(root, "big.csv");
      const r = rng(9);
      writeCsv(big, Array.from({ length: 100_000 }, (_, i): Row => ({ id: i, region: "eu", amount: i, note: Array.from({ length: 6 }, () => Math.floor(r() * 2 ** 32).toString(16)).join("") })));
      const error = await engine.load(spec, { source: big }).catch((e: unknown) => e);
      expectClearError(error, /no space left on device/i);
      expect(await tableRows(engine, "disk.orders")).toEqual(await expectedRows("merge", committed));
      outcomes.push("big: failed");

      // Small batches with the disk filled to leave 0 B … 256 KiB: the failure moves through
      // Parquet, manifests, manifest list, metadata, version hint and the audit table.
      const levels = [0, 8, 16, 24, 32, 40, 48, 64, 128].map((k) => k * 1024);
      for (const [i, free] of levels.entries()) {
        const source = writeCsv(path.join(root, `small${i}.csv`), batchRows(6, i + 1));
        const avail = (): number => { const s = statfsSync(mnt); return s.bavail * s.bsize; };
        writeFileSync(filler, Buffer.alloc(Math.max(0, avail() - free)));
        const result = await engine.load(spec, { source }).then((x) => x.status, (e: unknown) => e);
        rmSync(filler, { force: true });
        const ctx = `free ${free}: ${result instanceof Error ? result.message : result}`;
        if (result === "committed") {
          committed.push(source);
        } else {
          expectClearError(result, /no space left on device|ENOSPC/i);
          // Every failure is one that provably committed nothing, and the load removed what it wrote.
          expect(result, ctx).not.toBeInstanceOf(CommitStateUnknownError);
          expect(await orphansOf(await engine.openTable("disk.orders")), ctx).toEqual([]);
        }
        outcomes.push(`${free / 1024}K: ${result instanceof Error ? `${result.name}` : result}`);
        expect(await tableRows(engine, "disk.orders"), ctx).toEqual(await expectedRows("merge", committed));
        // Whatever the failure left, maintenance removes; a re-run with space completes.
        for (const name of ["disk.orders", "_engine.validation_results"]) {
          if (!(await engine.catalog.tableExists({ namespace: [name.split(".")[0]!], name: name.split(".")[1]! }))) continue;
          expect((await sweepOrphans(await engine.openTable(name))).leftover, ctx).toEqual([]);
        }
        const rerun = await engine.load(spec, { source });
        expect(rerun.status, ctx).toBe(result === "committed" ? "skipped" : "committed");
        if (result !== "committed") committed.push(source);
        expect(await tableRows(engine, "disk.orders"), ctx).toEqual(await expectedRows("merge", committed));
      }
      console.log(`ENOSPC outcomes: ${outcomes.join(", ")}`);
      expect(outcomes.filter((o) => !o.endsWith("committed")).length).toBeGreaterThan(3);
    } finally {
      rmSync(filler, { force: true });
      engine.close();
    }
  }, 120_000);
});

describe("no space left for the new metadata file", () => {
  it("fails the commit as not committed (CommitAbortedError), the table unchanged, no orphan left, and a re-run commits", async (t) => {
    if (!mounted) { console.log(`skipped: ${mountSkip}`); t.skip(); return; }
    const warehouse = path.join(mnt, "wh-meta");
    const spec = writeSpec(path.join(root, "enospc-meta.yaml"), specYaml("disk.meta", "merge", "unused.csv"));
    const first = writeCsv(path.join(root, "meta0.csv"), batchRows(7, 0));
    const second = writeCsv(path.join(root, "meta1.csv"), batchRows(7, 1));
    const filler = path.join(mnt, "filler-meta");
    const engine = await Engine.open({ warehouse, duckdb: { threads: 1 } });
    const writeFile = fsp.writeFile;
    try {
      await engine.load(spec, { source: first });
      const before = await engine.openTable("disk.meta");
      const metadataDir = path.join(warehouse, "disk", "meta", "metadata");
      const filesBefore = filesUnder(metadataDir);
      // The disk fills up the moment the catalog writes the temp file of the table's next
      // metadata version (everything before it had space), and has space again right after.
      let hits = 0;
      const spy = vi.spyOn(fsp, "writeFile").mockImplementation(async (file, ...rest) => {
        if (!/\/disk\/meta\/metadata\/\.v\d+\.metadata\.json\.[^/]*\.tmp$/.test(String(file))) return writeFile(file, ...rest);
        hits++;
        const s = statfsSync(mnt);
        writeFileSync(filler, Buffer.alloc(s.bavail * s.bsize));
        try { return await writeFile(file, ...rest); } finally { rmSync(filler, { force: true }); }
      });
      let error: unknown;
      try {
        error = await engine.load(spec, { source: second }).catch((e: unknown) => e);
      } finally {
        spy.mockRestore();
      }
      expect(hits, "the metadata write was reached once (not retried)").toBe(1);
      expect(error).toBeInstanceOf(CommitAbortedError);
      expect(error).toBeInstanceOf(CommitFailedError);
      expect(error).not.toBeInstanceOf(CommitStateUnknownError);
      expectClearError(error, /nothing was committed.*no space left on device/i);
      // The table is where it was, and the load left nothing behind: no new metadata version, no
      // temp file, no manifest, no data file (no sweep needed).
      const after = await engine.openTable("disk.meta");
      expect(after.metadataLocation).toBe(before.metadataLocation);
      expect(await engine.history("disk.meta")).toHaveLength(1);
      expect(await tableRows(engine, "disk.meta")).toEqual(await expectedRows("merge", [first]));
      expect(filesUnder(metadataDir)).toEqual(filesBefore);
      expect(await orphansOf(after)).toEqual([]);
      // With space, the same load commits.
      expect((await engine.load(spec, { source: second })).status).toBe("committed");
      expect(await tableRows(engine, "disk.meta")).toEqual(await expectedRows("merge", [first, second]));
    } finally {
      rmSync(filler, { force: true });
      engine.close();
    }
  }, 60_000);
});

describe("unreadable source files", () => {
  for (const format of ["csv", "json"] as const) {
    it(`fail with a source error naming the file, the table unchanged (${format})`, async () => {
      const dir = mkdtempSync(path.join(root, "perm-"));
      const warehouse = path.join(dir, "wh");
      const yaml = specYaml("perm.orders", "append", "unused.csv").replace("format: csv", `format: ${format}`).replace(format === "json" ? ", options: { header: true }" : "\u0000", "");
      const spec = writeSpec(path.join(dir, "spec.yaml"), yaml);
      const write = (name: string, rows: Row[]): string => format === "csv" ? writeCsv(path.join(dir, `${name}.csv`), rows)
        : (writeFileSync(path.join(dir, `${name}.json`), rows.map((x) => JSON.stringify(x)).join("\n") + "\n"), path.join(dir, `${name}.json`));
      const ok = write("ok", batchRows(8, 0));
      const locked = write("locked", batchRows(8, 1));
      const engine = await Engine.open({ warehouse });
      await engine.load(spec, { source: ok });
      const before = await tableRows(engine, "perm.orders");
      engine.close();
      // Root reads everything: as root the load runs in a child without the capabilities that
      // override file modes (setpriv), so it can still reach the repository wherever it is cloned.
      const asRoot = process.getuid?.() === 0;
      chmodSync(locked, 0o000);
      const out = await runChild({ warehouse, spec, source: locked }, asRoot ? { withoutFileReadOverride: true } : {});
      const err = out.events.find((e) => e.event === "error");
      expect(err, out.stdout + out.stderr).toBeDefined();
      expect(err!.name, JSON.stringify(err)).toBe("SourceError");
      expect(err!.message).toMatch(new RegExp(`locked\\.${format}.*permission denied`, "i"));
      const check = await Engine.open({ warehouse });
      try {
        expect(await tableRows(check, "perm.orders")).toEqual(before);
        expect(await check.history("perm.orders")).toHaveLength(1);
      } finally {
        check.close();
      }
    });
  }
});

describe("a source file that changes while it is read", () => {
  it("fails the load with a source error (size/mtime fingerprint mismatch), the table unchanged", async () => {
    const dir = mkdtempSync(path.join(root, "change-"));
    const warehouse = path.join(dir, "wh");
    const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml("change.orders", "append", "unused.csv"));
    const first = writeCsv(path.join(dir, "first.csv"), batchRows(9, 0));
    const growing = writeCsv(path.join(dir, "growing.csv"), batchRows(9, 1));
    const engine = await Engine.open({ warehouse });
    try {
      await engine.load(spec, { source: first });
      // The writer of the file appends a row after the engine fingerprinted and started reading it.
      const error = await engine.load(spec, {
        source: growing,
        onStage: (e) => { if (e.stage === "cast" && e.state === "end") appendFileSync(growing, "999,eu,1,late row\n"); },
      }).catch((e: unknown) => e);
      expectClearError(error, /growing\.csv.*changed while/i);
      expect((error as EngineError).code).toBe("SOURCE_CHANGED");
      expect(await tableRows(engine, "change.orders")).toEqual(await expectedRows("append", [first]));
      expect((await sweepOrphans(await engine.openTable("change.orders"))).removed).toEqual([]);
      // Once the file is stable, the load runs (with the row that arrived late).
      const rerun = await engine.load(spec, { source: growing });
      expect(rerun.status).toBe("committed");
      expect(await tableRows(engine, "change.orders")).toEqual(await expectedRows("append", [first, growing]));
    } finally {
      engine.close();
    }
  });
});

describe("the spill folder of a killed load", () => {
  it("is left by a SIGKILLed engine and removed by the next Engine.open; a live process's folder stays", async () => {
    const tmp = mkdtempSync(path.join(root, "spill-tmp-"));
    const warehouse = path.join(root, "spill-wh");
    // A child opens an engine under its own TMPDIR, says so, and waits to be killed.
    const script = `import { Engine } from "@engine/core"; const e = await Engine.open({ warehouse: ${JSON.stringify(warehouse)} }); ` +
      `process.stdout.write("open\\n"); setInterval(() => e, 1000);`;
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: REPO_ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => { if (d.toString().includes("open")) resolve(); });
      child.on("exit", (code) => reject(new Error(`child exited ${code} before opening`)));
    });
    const own = (pid: number): string[] => readdirSync(tmp).filter((n) => n.startsWith(`engine-duckdb-${pid}-`));
    expect(own(child.pid!)).toHaveLength(1);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(own(child.pid!)).toHaveLength(1); // nothing removed it: the process was killed
    const live = path.join(tmp, `engine-duckdb-${process.pid}-keep`);
    mkdirSync(live);
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = tmp;
    let engine: Engine | undefined;
    try {
      engine = await Engine.open({ warehouse });
      expect(own(child.pid!)).toEqual([]);
      expect(readdirSync(tmp)).toContain(path.basename(live));
      expect(own(process.pid).length).toBe(2); // ours and the planted one
    } finally {
      engine?.close();
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
    expect(own(process.pid)).toEqual([path.basename(live)]);
  });
});
