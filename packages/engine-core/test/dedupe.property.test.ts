// The local load's dedupe (`keep: latest|first`) against a reference written here in
// TypeScript from the spec's words: one row per key (keys NULL-safe, NULL equal to NULL), the
// greatest (latest) or least (first) `orderBy` value with NULLs last, ties broken by every
// column ascending with NULLs last. Random batches are small and dense in duplicates, ties and
// NULLs, so that every branch of the split (unique keys, duplicated keys, NULL keys) is hit.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../src/engine/engine.js";
import { tempDir } from "./util/tmp.js";

interface Row { k1: number | null; k2: string | null; ts: number | null; v: string | null; n: number | null }

const COLUMNS = ["k1", "k2", "ts", "v", "n"] as const;

/** Ascending, NULLs last. */
function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The rows the spec says a dedupe keeps. */
function reference(rows: readonly Row[], keep: "latest" | "first"): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.k1, r.k2]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const order = (a: Row, b: Row): number => {
    // NULLs last in both directions; non-NULL values descending for latest.
    const byTs = a.ts === null || b.ts === null ? compare(a.ts, b.ts) : (keep === "latest" ? -1 : 1) * compare(a.ts, b.ts);
    if (byTs !== 0) return byTs;
    for (const c of COLUMNS) {
      const d = compare(a[c], b[c]);
      if (d !== 0) return d;
    }
    return 0;
  };
  return [...groups.values()].map((g) => [...g].sort(order)[0]!);
}

const sortRows = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => {
  for (const c of COLUMNS) {
    const d = compare(a[c], b[c]);
    if (d !== 0) return d;
  }
  return 0;
});

const row = fc.record({
  k1: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 6 }),
  k2: fc.option(fc.constantFrom("a", "b"), { freq: 6 }),
  ts: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 5 }),
  v: fc.option(fc.constantFrom("x", "y", "z"), { freq: 5 }),
  n: fc.option(fc.integer({ min: -2, max: 2 }), { freq: 5 }),
});

let engine: Engine;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  engine = await Engine.open({ warehouse: `${t.dir}/wh` });
});
afterAll(async () => {
  engine.close();
  await cleanup();
});

describe("dedupe keep latest|first", () => {
  // A column named `rowid` hides DuckDB's row id, by which the losers are deleted: that batch takes the other path.
  for (const [keep, vName] of [["latest", "v"], ["first", "v"], ["latest", "rowid"]] as const) {
    it(`keeps the row the spec names per NULL-safe key (${keep}, a column named ${vName}), ties broken by every column`, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 0, maxLength: 40 }), async (rows) => {
          const table = `t.${keep}_${vName}_${run++}`;
          const spec = {
            table,
            source: { format: "memory" },
            columns: [
              { name: "k1", type: "int" }, { name: "k2", type: "string" }, { name: "ts", type: "int" },
              { name: vName, type: "string" }, { name: "n", type: "int" },
            ],
            key: ["k1", "k2"],
            dedupe: { keep, orderBy: ["ts"] },
          };
          const result = await engine.load(spec, { data: rows.map(({ v, ...r }) => ({ ...r, [vName]: v })) });
          const expected = reference(rows, keep);
          expect(result.rowsRead).toBe(rows.length);
          expect(result.duplicatesDropped).toBe(rows.length - expected.length);
          if (rows.length === 0) return;
          const got = (await engine.query(`select k1, k2, ts, "${vName}" AS v, n from ${table}`)).rows()
            .map((r) => ({ k1: r["k1"] as number | null, k2: r["k2"] as string | null, ts: r["ts"] as number | null, v: r["v"] as string | null, n: r["n"] as number | null }));
          expect(sortRows(got)).toEqual(sortRows(expected));
        }),
        { numRuns: 40 },
      );
    });
  }
});
