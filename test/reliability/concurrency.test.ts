// Concurrency: the same load started twice at once (an Airflow retry overlapping the first try)
// commits once; different loads into one table from several processes interleave without
// losing a batch; a reader polling during writes only ever sees complete snapshots.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, LOAD_ID_PROPERTY } from "@engine/core";
import { childCommand, runChild, type ChildOutcome } from "./util/child.js";
import { expectedRows } from "./util/expected.js";
import { batchRows, MODES, specYaml, writeCsv, writeSpec, type Mode } from "./util/fixtures.js";
import { sweepOrphans, tableRows } from "./util/table-state.js";

const root = mkdtempSync(path.join(tmpdir(), "engine-conc-"));
beforeAll(async () => { await childCommand(); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const results = (outs: readonly ChildOutcome[]) => outs.flatMap((o) => o.events.filter((e) => e.event === "result" || e.event === "error"));

describe("the same load in two processes at once", () => {
  for (const mode of MODES) {
    it(`commits once (${mode}); the other run reports it skipped`, async () => {
      const dir = path.join(root, `twice-${mode}`);
      const warehouse = path.join(dir, "wh");
      const table = `conc.twice_${mode.replace("-", "_")}`;
      const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, mode, "unused.csv"));
      const first = writeCsv(path.join(dir, "b0.csv"), batchRows(3, 0));
      const source = writeCsv(path.join(dir, "b1.csv"), batchRows(3, 1));
      const engine = await Engine.open({ warehouse });
      try {
        await engine.load(spec, { source: first }); // the table exists: both runs race on the commit, not on creation
        // Both children stage the batch, then meet at the commit (a file barrier) before either swaps metadata.
        const [a, b] = await Promise.all([
          runChild({ warehouse, spec, source, barrier: { mine: path.join(dir, "a.ready"), other: path.join(dir, "b.ready") } }),
          runChild({ warehouse, spec, source, barrier: { mine: path.join(dir, "b.ready"), other: path.join(dir, "a.ready") } }),
        ]);
        const got = results([a, b]);
        expect(got.map((e) => e.status ?? e.message).sort(), JSON.stringify(got)).toEqual(["committed", "skipped"]);
        const history = await engine.history(table);
        const loadId = got.find((e) => e.status === "committed")!.loadId;
        expect(history.filter((h) => h.summary[LOAD_ID_PROPERTY] === loadId)).toHaveLength(1);
        expect(await tableRows(engine, table)).toEqual(await expectedRows(mode, [first, source]));
        expect((await sweepOrphans(await engine.openTable(table))).removed).toEqual([]);
      } finally {
        engine.close();
      }
    });
  }
});

describe("two first loads racing to create a table", () => {
  for (const mode of ["overwrite", "merge"] as const satisfies readonly Mode[]) {
    it(`end as the loads applied one after the other, never both planned against the empty table (${mode})`, async () => {
      const dir = path.join(root, `create-${mode}`);
      const warehouse = path.join(dir, "wh");
      const table = `conc.create_${mode}`;
      const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, mode, "unused.csv"));
      const [s0, s1] = [0, 1].map((k) => writeCsv(path.join(dir, `b${k}.csv`), batchRows(70 + k, k)));
      const outs = await Promise.all([
        runChild({ warehouse, spec, source: s0, retryConflicts: 3, barrier: { mine: path.join(dir, "a.ready"), other: path.join(dir, "b.ready") } }),
        runChild({ warehouse, spec, source: s1, retryConflicts: 3, barrier: { mine: path.join(dir, "b.ready"), other: path.join(dir, "a.ready") } }),
      ]);
      const got = results(outs);
      expect(got.filter((e) => e.status === "committed"), JSON.stringify(got)).toHaveLength(2);
      const engine = await Engine.open({ warehouse });
      try {
        const bySource = new Map(got.map((e) => [e.loadId, e.source!]));
        const order = (await engine.history(table)).map((h) => bySource.get(h.summary[LOAD_ID_PROPERTY]!)!);
        expect(await tableRows(engine, table)).toEqual(await expectedRows(mode, order));
      } finally {
        engine.close();
      }
    });
  }
});

describe("different loads into one table from several processes", () => {
  it("interleave without losing a batch (append: 4 processes × 3 batches), while a reader sees only complete snapshots", async () => {
    const dir = path.join(root, "interleave");
    const warehouse = path.join(dir, "wh");
    const table = "conc.events";
    const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, "append", "unused.csv"));
    const batches = [0, 1, 2, 3].map((w) => [0, 1, 2].map((k) => writeCsv(path.join(dir, `w${w}b${k}.csv`), batchRows(40 + w, k))));
    // Every batch's rows end in " b<k>" and ids are unique per batch: the reader checks each batch it sees is whole.
    const reader = await Engine.open({ warehouse });
    let stop = false;
    let reads = 0;
    const seen: string[] = [];
    const read = (async () => {
      while (!stop) {
        if (await reader.catalog.tableExists({ namespace: ["conc"], name: "events" })) {
          const rows = await tableRows(reader, table);
          seen.push(String(rows.length));
          reads++;
          // A visible snapshot holds a sum of whole batches.
          const sizes = batches.flat().map((f, i) => ({ i, n: batchRows(40 + Math.floor(i / 3), i % 3).length }));
          expect(isSubsetSum(rows.length, sizes.map((s) => s.n)), `read ${reads}: ${rows.length} rows`).toBe(true);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const outs = await Promise.all(batches.map((sources) => runChild({ warehouse, spec, sources, retryConflicts: 5 })));
      stop = true;
      await read;
      const got = results(outs);
      expect(got.filter((e) => e.status === "committed"), JSON.stringify(got)).toHaveLength(12);
      expect(await tableRows(reader, table)).toEqual(await expectedRows("append", batches.flat()));
      expect(reads).toBeGreaterThan(0);
    } finally {
      stop = true;
      reader.close();
    }
  }, 120_000);

  for (const mode of ["merge", "replace-partitions", "overwrite"] as const satisfies readonly Mode[]) {
    it(`interleave in commit order (${mode}: 3 processes × 2 batches; conflicts are reported and retried)`, async () => {
      const dir = path.join(root, `order-${mode}`);
      const warehouse = path.join(dir, "wh");
      const table = `conc.${mode.replace("-", "_")}`;
      const spec = writeSpec(path.join(dir, "spec.yaml"), specYaml(table, mode, "unused.csv"));
      const engine = await Engine.open({ warehouse });
      try {
        const seed = writeCsv(path.join(dir, "seed.csv"), batchRows(60, 9));
        await engine.load(spec, { source: seed });
        const batches = [0, 1, 2].map((w) => [0, 1].map((k) => writeCsv(path.join(dir, `w${w}b${k}.csv`), batchRows(61 + w, k))));
        const outs = await Promise.all(batches.map((sources) => runChild({ warehouse, spec, sources, retryConflicts: 20 })));
        const got = results(outs);
        expect(got.filter((e) => e.status === "committed"), JSON.stringify(got)).toHaveLength(6);
        // The table equals the batches applied in the order their snapshots committed.
        const bySource = new Map(got.map((e) => [e.loadId, e.source!]));
        const order = (await engine.history(table)).map((h) => bySource.get(h.summary[LOAD_ID_PROPERTY]!)).filter((s): s is string => s !== undefined);
        expect(order).toHaveLength(6);
        expect(await tableRows(engine, table)).toEqual(await expectedRows(mode, [seed, ...order]));
      } finally {
        engine.close();
      }
    }, 120_000);
  }
});

/** Whether `target` is a sum of some of `sizes`. */
function isSubsetSum(target: number, sizes: readonly number[]): boolean {
  let reach = new Set([0]);
  for (const s of sizes) reach = new Set([...reach, ...[...reach].map((r) => r + s)]);
  return reach.has(target);
}
