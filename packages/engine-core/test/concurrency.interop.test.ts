// Issue 3, "Must show" 4: four Node processes append 50 batches each to one FileSystemCatalog
// table at the same time. PyIceberg (not our reader) then counts the rows of every batch and walks
// the snapshot chain: every batch is there exactly once, each snapshot's parent is the one before
// it, and sequence numbers strictly increase.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { peerSkipped, REPO_ROOT, runPython, tempDir } from "../../../test/util/peers.js";

const WORKERS = 4;
const BATCHES = 50;
const ROWS = 3;
const here = path.dirname(fileURLToPath(import.meta.url));

function runWorker(warehouse: string, table: string, worker: number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", path.join(here, "util", "concurrent-appender.ts"), warehouse, table, String(worker), String(BATCHES), String(ROWS)], {
      cwd: path.join(REPO_ROOT, "packages", "engine-core"),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr: stderr.slice(-3000), ms: Date.now() - t0 }));
  });
}

describe.skipIf(peerSkipped("python"))("concurrent appends from four processes", () => {
  it("end with every batch exactly once and a valid snapshot chain (as PyIceberg reads it)", async () => {
    const warehouse = path.join(tempDir("engine-conc-"), "wh");
    const table = "conc.events";
    // The table exists before the race (creating it is not what is tested): a seed batch -1.
    const engine = await Engine.open({ warehouse });
    await engine.load(
      { table, columns: [{ name: "batch", type: "long", required: true }, { name: "worker", type: "int" }, { name: "row", type: "int" }], write: { mode: "append" } },
      { data: [{ batch: -1, worker: -1, row: 0 }] },
    );
    engine.close();

    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(warehouse, table, w)));
    for (const r of results) expect(r.stderr === "" || r.code === 0 ? r.code : r.stderr).toBe(0);

    const report = await runPython<{ batches: Record<string, number>; rows: number; chain: { snapshots: number; parentsOk: boolean; seqOk: boolean; reachable: number; current: string } }>(
      `import glob, os, re
from pyiceberg.table import StaticTable
md = max(glob.glob(os.path.join(args["dir"], "metadata", "v*.metadata.json")), key=lambda p: int(re.search(r"v(\\d+)\\.metadata", p).group(1)))
t = StaticTable.from_metadata(md)
arrow = t.scan().to_arrow()
counts = {}
for b in arrow.column("batch").to_pylist():
    counts[str(b)] = counts.get(str(b), 0) + 1
snaps = sorted(t.metadata.snapshots, key=lambda s: s.sequence_number)
parents_ok = all(snaps[i].parent_snapshot_id == snaps[i - 1].snapshot_id for i in range(1, len(snaps))) and snaps[0].parent_snapshot_id is None
seq_ok = all(snaps[i].sequence_number > snaps[i - 1].sequence_number for i in range(1, len(snaps)))
by_id = {s.snapshot_id: s for s in snaps}
cur, reachable = t.current_snapshot(), 0
while cur is not None:
    reachable += 1
    cur = by_id.get(cur.parent_snapshot_id) if cur.parent_snapshot_id is not None else None
result = {"batches": counts, "rows": arrow.num_rows,
          "chain": {"snapshots": len(snaps), "parentsOk": parents_ok, "seqOk": seq_ok, "reachable": reachable, "current": str(t.current_snapshot().snapshot_id)}}`,
      { dir: path.join(warehouse, "conc", "events") },
    );
    const expected: Record<string, number> = { "-1": 1 };
    for (let w = 0; w < WORKERS; w++) for (let b = 0; b < BATCHES; b++) expected[String(w * 1000 + b)] = ROWS;
    expect(report.batches).toEqual(expected);
    expect(report.rows).toBe(1 + WORKERS * BATCHES * ROWS);
    expect(report.chain).toMatchObject({ snapshots: 1 + WORKERS * BATCHES, parentsOk: true, seqOk: true, reachable: 1 + WORKERS * BATCHES });
  }, 120_000);
});
