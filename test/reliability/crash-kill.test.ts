// Crash safety: loads in every write mode run in child processes that are SIGKILLed at named
// points of the load (staging, Parquet, manifests, the metadata swap, the audit commit) and at
// random times. After every kill: the table opens at a committed snapshot whose rows equal the
// last committed load's expected rows (plain DuckDB over the inputs), no referenced file is
// missing, an orphan sweep leaves exactly the referenced files, and re-running the killed load
// commits it (or skips it when the kill came after its commit) and is idempotent.
// Erasure mode: `eraseSubjects` for one subject of an appended table is SIGKILLed at its stages,
// at the fs calls of its commits and at random times; the table then holds the rows before or the
// rows without the subject, and a re-run finishes the erasure (certificate `erased`).

import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { eraseSubjects } from "@engine/pii";
import { childCommand, runChild } from "./util/child.js";
import { expectedRows } from "./util/expected.js";
import { batchRows, MODES, rng, specYaml, writeCsv, writeSpec, type Mode } from "./util/fixtures.js";
import { ERASE_AFTER_COMMIT, ERASE_KILL_POINTS, KILL_POINTS, type EraseKillPoint, type KillPoint } from "./util/kill-points.js";
import { missingReferenced, sweepOrphans, tableRows } from "./util/table-state.js";

/** Kills per write mode (named points first, then random times). ≥ 25 × 4 modes = 100+. */
const KILLS_PER_MODE = Number(process.env.ENGINE_CRASH_KILLS_PER_MODE ?? 26);
/** Erasure kills (named points first, then random times). */
const ERASE_KILLS = Number(process.env.ENGINE_CRASH_ERASE_KILLS ?? 24);
/** Random erasure kills land 0–this many ms after the engine is open in the child. */
const ERASE_RANDOM_MS = 700;
/** Points after which the load must be committed. */
const AFTER_COMMIT: ReadonlySet<KillPoint> = new Set(["after-swap", "hint", "audit-swap"]);

interface Trial { readonly mode: Mode | "erase"; readonly batch: number; readonly point: KillPoint | EraseKillPoint | `random-${number}ms`; readonly killed: boolean; readonly committed: boolean; readonly orphans: number }

const root = mkdtempSync(path.join(tmpdir(), "engine-crash-"));
const trials: Trial[] = [];

beforeAll(async () => { await childCommand(); });
afterAll(() => {
  const killed = trials.filter((t) => t.killed);
  const by = (p: (t: Trial) => boolean): number => killed.filter(p).length;
  console.log(`crash harness: ${trials.length} trials, ${killed.length} SIGKILLs (${by((t) => !t.point.startsWith("random"))} at named points, ${by((t) => t.point.startsWith("random"))} at random times), ` +
    `${by((t) => t.committed)} killed after their commit, ${killed.reduce((n, t) => n + t.orphans, 0)} orphan files swept; ` +
    `${by((t) => t.mode === "erase")} erasure kills`);
  rmSync(root, { recursive: true, force: true });
});

async function lane(mode: Mode, seed: number): Promise<void> {
  const dir = path.join(root, mode);
  const warehouse = path.join(dir, "wh");
  const table = `crash.${mode.replace("-", "_")}`;
  const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, mode, "unused.csv"));
  const engine = await Engine.open({ warehouse, duckdb: { threads: 1 } });
  const random = rng(seed);
  const committed: string[] = [];
  let before: string[] = [];
  try {
    let kills = 0;
    for (let n = 0; kills < KILLS_PER_MODE && n < KILLS_PER_MODE * 2; n++) {
      const source = writeCsv(path.join(dir, "batches", `b${n}.csv`), batchRows(seed, n));
      const point: KillPoint | `random-${number}ms` = n < KILL_POINTS.length ? KILL_POINTS[(n + seed) % KILL_POINTS.length]! : `random-${Math.floor(random() * 320)}ms`;
      const after = await expectedRows(mode, [...committed, source]);
      const snapshotsBefore = (await engine.catalog.tableExists({ namespace: ["crash"], name: table.split(".")[1]! })) ? (await engine.history(table)).length : 0;

      const out = point.startsWith("random")
        ? await runChild({ warehouse, spec, source }, { killAfterReadyMs: Number(point.slice(7, -2)) })
        : await runChild({ warehouse, spec, source, killAt: point as KillPoint });
      const killed = out.signal === "SIGKILL";
      const ctx = `${mode} batch ${n} killed at ${point} (${out.stderr.slice(0, 500)})`;
      if (!killed) expect(out.events.find((e) => e.event === "result")?.status, ctx).toBe("committed");
      if (killed) kills++;

      // The table opens at a committed snapshot: the one before the load, or the load's own.
      const rows = await tableRows(engine, table);
      const exists = rows.length > 0 || snapshotsBefore > 0 || (await engine.catalog.tableExists({ namespace: ["crash"], name: table.split(".")[1]! }));
      const snapshots = exists ? (await engine.history(table)).length : 0;
      const isCommitted = snapshots === snapshotsBefore + 1;
      expect([snapshotsBefore, snapshotsBefore + 1], ctx).toContain(snapshots);
      expect(rows, ctx).toEqual(isCommitted ? after : before);
      if (killed && !point.startsWith("random")) expect(isCommitted, ctx).toBe(AFTER_COMMIT.has(point as KillPoint));

      // Nothing half-written is referenced; the sweep leaves exactly the referenced files.
      let orphans = 0;
      for (const name of exists ? [table, "_engine.validation_results"] : []) {
        if (name.startsWith("_engine") && !(await engine.catalog.tableExists({ namespace: ["_engine"], name: "validation_results" }))) continue;
        const t = await engine.openTable(name);
        expect(await missingReferenced(t), ctx).toEqual([]);
        const swept = await sweepOrphans(t);
        orphans += swept.removed.length;
        expect(swept.leftover, ctx).toEqual([]);
      }
      trials.push({ mode, batch: n, point, killed, committed: isCommitted, orphans });

      // Re-running the killed load completes it (or skips it, if it had committed); again is a no-op.
      const rerun = await engine.load(spec, { source });
      expect(rerun.status, ctx).toBe(isCommitted ? "skipped" : "committed");
      const again = await engine.load(spec, { source });
      expect(again.status, ctx).toBe("skipped");
      expect(await tableRows(engine, table), ctx).toEqual(after);
      expect((await engine.history(table)).length, ctx).toBe(snapshotsBefore + 1);
      committed.push(source);
      before = after;
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS_PER_MODE);
    // After all that, a successful load leaves nothing behind either.
    const final = await sweepOrphans(await engine.openTable(table));
    expect(final.removed).toEqual([]);
  } finally {
    engine.close();
  }
}

async function eraseLane(seed: number): Promise<void> {
  const dir = path.join(root, "erase");
  const warehouse = path.join(dir, "wh");
  const table = "crash.erase";
  const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, "append", "unused.csv"));
  const engine = await Engine.open({ warehouse, duckdb: { threads: 1 } });
  const random = rng(seed);
  const journals = path.join(warehouse, "_engine", "erasures");
  try {
    // A small appended table: three batches, ids overlapping, so a subject (id) has 1–3 rows.
    const sources = [0, 1, 2].map((n) => writeCsv(path.join(dir, "batches", `b${n}.csv`), batchRows(seed, n)));
    for (const source of sources) expect((await engine.load(spec, { source })).status).toBe("committed");
    const erased: number[] = [];
    let before = await expectedRows("append", sources);
    expect(await tableRows(engine, table)).toEqual(before);
    let kills = 0;
    for (let n = 0; kills < ERASE_KILLS && n < ERASE_KILLS * 2; n++) {
      const ids = [...new Set(before.map((r) => Number(JSON.parse(r)[0])))];
      const subject = ids[Math.floor(random() * ids.length)]!;
      const point: EraseKillPoint | `random-${number}ms` = n < ERASE_KILL_POINTS.length ? ERASE_KILL_POINTS[n]! : `random-${Math.floor(random() * ERASE_RANDOM_MS)}ms`;
      const after = await expectedRows("append", sources, [...erased, subject]);
      expect(after.length, "the subject has rows").toBeLessThan(before.length);
      const snapshotBefore = (await engine.openTable(table)).currentSnapshot()!.snapshotId;

      const job = { warehouse, spec, erase: { table, column: "id", subject } };
      const out = point.startsWith("random")
        ? await runChild(job, { killAfterReadyMs: Number(point.slice(7, -2)) })
        : await runChild({ ...job, killAt: point as EraseKillPoint });
      const killed = out.signal === "SIGKILL";
      const ctx = `erase ${n} of subject ${subject} killed at ${point} (${out.stderr.slice(0, 500)} ${out.stdout.slice(0, 500)})`;
      if (!killed) expect(out.events.find((e) => e.event === "result")?.status, ctx).toBe("erased");
      if (!point.startsWith("random")) expect(killed, ctx).toBe(true);
      if (killed) kills++;

      // The table opens at a committed snapshot: the one before the erasure with the rows before, or the rewrite's without the subject.
      const t = await engine.openTable(table);
      const rows = await tableRows(engine, table);
      const isCommitted = t.currentSnapshot()!.snapshotId !== snapshotBefore;
      expect(rows, ctx).toEqual(isCommitted ? after : before);
      if (killed && !point.startsWith("random")) expect(isCommitted, ctx).toBe(ERASE_AFTER_COMMIT.has(point as EraseKillPoint));
      expect(await missingReferenced(t), ctx).toEqual([]);

      // A re-run finishes the erasure: certificate `erased`, the subject gone, every other row unchanged, no journal left.
      // A kill after the rewrite wrote a manifest but before its commit leaves that manifest (DELETED entries bound to
      // the subject) unreferenced; the resumed run must remove it itself, with no sweep in between.
      const cert = await eraseSubjects(engine, { subjects: [subject], tables: [{ table, column: "id" }] });
      let orphans = 0;
      expect(cert.status, `${ctx} ${JSON.stringify(cert.verification.findings)}`).toBe("erased");
      expect(cert.verification.findings, ctx).toEqual([]);
      expect(await tableRows(engine, table), ctx).toEqual(after);
      expect(existsSync(journals) ? readdirSync(journals) : [], ctx).toEqual([]);
      // The erasure removed the old files itself; a sweep finds at most what the kill left and leaves only referenced files.
      const swept = await sweepOrphans(await engine.openTable(table));
      orphans += swept.removed.length;
      expect(swept.leftover, ctx).toEqual([]);
      expect(await missingReferenced(await engine.openTable(table)), ctx).toEqual([]);
      trials.push({ mode: "erase", batch: n, point, killed, committed: isCommitted, orphans });
      erased.push(subject);
      before = after;
    }
    expect(kills).toBeGreaterThanOrEqual(ERASE_KILLS);
  } finally {
    engine.close();
  }
}

describe("crash safety (SIGKILL during loads)", () => {
  it(`keeps every table at a committed snapshot through ${KILLS_PER_MODE} kills per write mode (${MODES.join(", ")})`, async () => {
    await Promise.all(MODES.map((mode, i) => lane(mode, 11 + i)));
    expect(trials.filter((t) => t.killed).length).toBeGreaterThanOrEqual(KILLS_PER_MODE * MODES.length);
  }, 300_000);

  it(`keeps an erasure's table at a committed snapshot through ${ERASE_KILLS} kills of eraseSubjects, and a re-run finishes it`, async () => {
    await eraseLane(41);
  }, 120_000);
});
