// Retention as PyIceberg sees it: the rows older than the window are gone from the current
// snapshot, the snapshots that held them are gone from the metadata, and newer rows are intact.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, parseSpec } from "@engine/core";
import { peerSkipped, runPython } from "../../../test/util/peers.js";
import { runRetention, type RetentionReport } from "../src/index.js";

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1, 6);
const spec = parseSpec({
  table: "web.events", source: { format: "memory" },
  columns: [{ name: "event_id", type: "long", required: true }, { name: "user_id", type: "long" }, { name: "event_ts", type: "timestamp" }],
  partition: ["month(event_ts)"], write: { mode: "append" },
  pii: { subject: "user_id", retention: "30d", retentionColumn: "event_ts" },
});
// 90 events, one a day at 06:00 from Jan 1; now = Mar 31 06:00 → the cutoff is Mar 1 06:00 (2024 is a leap year):
// Jan 1 … Feb 29 (60 events) go, Mar 1 (exactly at the cutoff) stays.
const events = Array.from({ length: 90 }, (_, i) => ({ event_id: i + 1, user_id: (i % 9) + 1, event_ts: new Date(START + i * DAY).toISOString().replace("Z", "") }));

describe.skipIf(peerSkipped("python"))("runRetention read back by PyIceberg", () => {
  let engine: Engine;
  let report: RetentionReport;
  let before: bigint;

  beforeAll(async () => {
    engine = await Engine.open({ warehouse: path.join(await mkdtemp(path.join(tmpdir(), "engine-pii-ret-py-")), "wh") });
    await engine.load(spec, { data: events.slice(0, 45) });
    await engine.load(spec, { data: events.slice(45) });
    before = (await engine.openTable("web.events")).currentSnapshot()!.snapshotId;
    report = await runRetention(engine, spec, { now: "2024-03-31T06:00:00Z" });
  });
  afterAll(() => engine?.close());

  it("leaves PyIceberg the newer rows only, and no snapshot that held the old ones", async () => {
    expect(report.status).toBe("purged");
    expect(report.tables[0]!.rowsDeleted).toBe(60);
    const seen = await runPython<{ rows: number; min: string; ids: number[]; hasBefore: boolean }>(
      `from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
a = t.scan().to_arrow()
result = {"rows": a.num_rows, "min": min(a.column("event_ts").to_pylist()).isoformat(), "ids": sorted(a.column("event_id").to_pylist()),
          "hasBefore": t.snapshot_by_id(int(args["before"])) is not None}`,
      { metadata: (await engine.openTable("web.events")).metadataLocation, before: before.toString() },
    );
    expect(seen).toEqual({ rows: 30, min: "2024-03-01T06:00:00", ids: Array.from({ length: 30 }, (_, i) => 61 + i), hasBefore: false });
  });
});
