// Crash safety on remote catalogs: loads into a Glue table on S3 (both moto) and into a table of
// the Apache Iceberg REST catalog fixture (its local warehouse) run in child processes that are
// SIGKILLed at named points (stages, S3 uploads and PUTs of the commit, the catalog's swap: Glue
// UpdateTable or the REST commit POST, before, in flight and after) and at random times, in append
// and merge mode. After every kill: the table opens at a committed snapshot whose rows equal the
// expected rows (plain DuckDB over the committed CSV batches), every object the metadata references
// exists, an orphan sweep leaves nothing unreferenced under the lane's whole prefix, and re-running
// the load commits it exactly once (or skips it when the kill came after its commit).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine, type CatalogOptions, type S3Options } from "@engine/core";
import { createBucket } from "../../packages/engine-iceberg/test/util/aws-moto.js";
import { motoPeer, peerSkipped, restCatalogPeer, uniqueName } from "../util/peers.js";
import { childCommand, runChild } from "./util/child.js";
import { expectedRows } from "./util/expected.js";
import { batchRows, rng, specYaml, writeCsv, writeSpec, type Mode } from "./util/fixtures.js";
import { GLUE_KILL_POINTS, REMOTE_AFTER_COMMIT, REST_KILL_POINTS, type RemoteKillPoint } from "./util/kill-points.js";
import { missingObjects, sweepObjects, tableRows } from "./util/table-state.js";

/** Kills per lane (named points first, then random times); two lanes (append, merge) per catalog. */
const KILLS_PER_LANE = Number(process.env.ENGINE_CRASH_REMOTE_KILLS_PER_LANE ?? 11);
const LANE_MODES: readonly Mode[] = ["append", "merge"];
const CHILD_TIMEOUT_MS = 60_000;

/** How one catalog's lanes open the engine and what they list after a sweep. */
interface Backend {
  readonly name: "glue" | "rest";
  readonly points: readonly RemoteKillPoint[];
  /** Random kills land 0–this many ms after the engine is open in the child. */
  readonly randomMs: number;
  /** The warehouse, catalog and S3 options of a lane whose namespace is `ns`, and the prefix that holds everything its loads write. */
  lane(ns: string): { warehouse: string; catalog: CatalogOptions; s3?: S3Options; prefix: string };
  /** Files the catalog service itself writes beside its metadata and never references (not a load's leftovers). */
  readonly serviceFiles?: RegExp;
}

interface Trial { readonly backend: string; readonly mode: Mode; readonly point: string; readonly killed: boolean; readonly committed: boolean; readonly orphans: number }

const root = mkdtempSync(path.join(tmpdir(), "engine-crash-remote-"));
const trials: Trial[] = [];

beforeAll(async () => { await childCommand(); });
afterAll(() => {
  for (const backend of ["glue", "rest"]) {
    const mine = trials.filter((t) => t.backend === backend);
    const killed = mine.filter((t) => t.killed);
    if (mine.length === 0) continue;
    console.log(`crash harness (${backend}): ${mine.length} trials, ${killed.length} SIGKILLs (${killed.filter((t) => !t.point.startsWith("random")).length} at named points, ` +
      `${killed.filter((t) => t.point.startsWith("random")).length} at random times), ${killed.filter((t) => t.committed).length} killed after their commit, ` +
      `${mine.reduce((n, t) => n + t.orphans, 0)} orphan objects swept`);
  }
  rmSync(root, { recursive: true, force: true });
});

/** The spec of a lane: the reliability fixture's, without validation rules (no shared `_engine` audit table between lanes and test files). */
const remoteSpec = (table: string, mode: Mode): string => specYaml(table, mode, "unused.csv").replace(/validate:\n.*\n/, "");

async function lane(backend: Backend, mode: Mode, seed: number): Promise<void> {
  const ns = uniqueName(`crash_${backend.name}_${mode}`);
  const table = `${ns}.t`;
  const id = { namespace: [ns], name: "t" };
  const dir = path.join(root, `${backend.name}-${mode}`);
  const { warehouse, catalog, s3, prefix } = backend.lane(ns);
  const spec = writeSpec(path.join(dir, "spec.yaml"), remoteSpec(table, mode));
  const engine = await Engine.open({ warehouse, catalog, ...(s3 ? { s3 } : {}), duckdb: { threads: 1 } });
  const random = rng(seed);
  const committed: string[] = [];
  let before: string[] = [];
  try {
    let kills = 0;
    for (let n = 0; kills < KILLS_PER_LANE && n < KILLS_PER_LANE * 2; n++) {
      const source = writeCsv(path.join(dir, "batches", `b${n}.csv`), batchRows(seed, n));
      const named = n < backend.points.length;
      const point: RemoteKillPoint | `random-${number}ms` = named ? backend.points[(n + seed) % backend.points.length]! : `random-${Math.floor(random() * backend.randomMs)}ms`;
      const after = await expectedRows(mode, [...committed, source]);
      const snapshotsBefore = (await engine.catalog.tableExists(id)) ? (await engine.history(table)).length : 0;

      const job = { warehouse, spec, source, open: { catalog, ...(s3 ? { s3 } : {}), tempDirectory: path.join(dir, "duckdb", `t${n}`) } };
      const out = named ? await runChild({ ...job, killAt: point as RemoteKillPoint }, { timeoutMs: CHILD_TIMEOUT_MS })
        : await runChild(job, { killAfterReadyMs: Number(point.slice(7, -2)), timeoutMs: CHILD_TIMEOUT_MS });
      const killed = out.signal === "SIGKILL";
      const ctx = `${backend.name} ${mode} batch ${n} killed at ${point} (${out.stderr.slice(0, 800)} ${out.stdout.slice(0, 300)})`;
      expect(out.ms, `${ctx}: the child hung`).toBeLessThan(CHILD_TIMEOUT_MS);
      if (!killed) expect(out.events.find((e) => e.event === "result")?.status, ctx).toBe("committed");
      // A named point that never killed would mean the child did not see that step of the load.
      if (named) expect(killed, ctx).toBe(true);
      if (killed) kills++;

      // A kill with the commit request in flight leaves the server to finish it (or not) on its
      // own: wait until the table stops changing before reading it, or its history and its rows
      // may come from two different versions.
      if (killed) await settled(engine, id);
      // The table opens at a committed snapshot: the one before the load, or the load's own.
      const existed = await engine.catalog.tableExists(id);
      const snapshots = existed ? (await engine.history(table)).length : 0;
      expect([snapshotsBefore, snapshotsBefore + 1], ctx).toContain(snapshots);
      const isCommitted = snapshots === snapshotsBefore + 1;
      expect(await tableRows(engine, table), ctx).toEqual(isCommitted ? after : before);
      if (killed && named && point !== "swap-in-flight") expect(isCommitted, ctx).toBe(REMOTE_AFTER_COMMIT.has(point as RemoteKillPoint));

      // Nothing half-written is referenced; maintenance leaves nothing unreferenced under the lane's prefix.
      let orphans = 0;
      if (existed) {
        const t = await engine.openTable(table);
        expect(await missingObjects(t), ctx).toEqual([]);
        const swept = await sweepObjects(t, prefix);
        orphans += swept.removed.length;
        expect(swept.leftover, ctx).toEqual([]);
      }

      // Re-running the killed load completes it (or skips it, if it had committed); again is a no-op.
      const rerun = await engine.load(spec, { source });
      expect(rerun.status, ctx).toBe(isCommitted ? "skipped" : "committed");
      expect((await engine.load(spec, { source })).status, ctx).toBe("skipped");
      expect(await tableRows(engine, table), ctx).toEqual(after);
      const history = await engine.history(table);
      expect(history.length, ctx).toBe(snapshotsBefore + 1);
      expect(history.filter((h) => h.summary["engine.load-id"] === rerun.loadId).length, `${ctx}: snapshots of load ${rerun.loadId}`).toBe(1);
      // The re-run leaves nothing behind; a kill before the table existed left objects only a sweep after it can see.
      const final = await sweepObjects(await engine.openTable(table), prefix);
      orphans += final.removed.length;
      if (existed) expect(final.removed.filter((f) => !backend.serviceFiles?.test(f)), ctx).toEqual([]);
      expect(final.leftover, ctx).toEqual([]);
      trials.push({ backend: backend.name, mode, point, killed, committed: isCommitted, orphans });
      committed.push(source);
      before = after;
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS_PER_LANE);
  } finally {
    engine.close();
  }
}

/** Runs the lanes two at a time (2 cores, and the peers are shared with other test files). */
async function inPairs(lanes: readonly (() => Promise<void>)[]): Promise<void> {
  for (let i = 0; i < lanes.length; i += 2) await Promise.all(lanes.slice(i, i + 2).map((f) => f()));
}

describe.skipIf(peerSkipped("moto"))("crash safety on S3 with the Glue catalog (moto)", () => {
  let backend: Backend;
  beforeAll(async () => {
    const moto = await motoPeer();
    const bucket = uniqueName("crash").replaceAll("_", "-");
    await createBucket(moto, bucket);
    const s3: S3Options = { endpoint: moto.endpoint, region: moto.region, pathStyle: true, accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey };
    const catalog: CatalogOptions = { type: "glue", region: moto.region, endpoint: moto.endpoint, properties: { "glue.access-key-id": moto.accessKeyId, "glue.secret-access-key": moto.secretAccessKey } };
    backend = {
      name: "glue", points: GLUE_KILL_POINTS, randomMs: 900,
      // One warehouse prefix per lane: the table lives at <prefix>/<ns>.db/t, and nothing else of the lane may be anywhere under it.
      lane: (ns) => ({ warehouse: `s3://${bucket}/${ns}`, catalog, s3, prefix: `s3://${bucket}/${ns}` }),
    };
  }, 600_000);

  it(`keeps the table at a committed snapshot through ${KILLS_PER_LANE} kills per mode (${LANE_MODES.join(", ")}); maintenance leaves only referenced objects`, async () => {
    await inPairs(LANE_MODES.map((mode, i) => () => lane(backend, mode, 61 + i)));
    expect(trials.filter((t) => t.backend === "glue" && t.killed).length).toBeGreaterThanOrEqual(KILLS_PER_LANE * LANE_MODES.length);
  }, 300_000);
});

describe.skipIf(peerSkipped("rest-catalog"))("crash safety with the REST catalog (Apache Iceberg REST fixture)", () => {
  let backend: Backend;
  beforeAll(async () => {
    const rest = await restCatalogPeer();
    backend = {
      name: "rest", points: REST_KILL_POINTS, randomMs: 500,
      // The fixture writes metadata through Hadoop's local filesystem, which adds a `.<file>.crc`
      // checksum beside every file; the sweep removes them as unreferenced, and each commit adds one.
      serviceFiles: /\/metadata\/\.[^/]+\.metadata\.json\.crc$/,
      // The fixture puts a table at <its warehouse>/<ns>/<name>; the lane's namespace folder holds everything it writes.
      lane: (ns) => ({ warehouse: rest.warehouse, catalog: { type: "rest", uri: rest.url }, prefix: path.join(rest.warehouse, ns) }),
    };
  }, 600_000);

  it(`keeps the table at a committed snapshot through ${KILLS_PER_LANE} kills per mode (${LANE_MODES.join(", ")}); maintenance leaves only referenced files`, async () => {
    await inPairs(LANE_MODES.map((mode, i) => () => lane(backend, mode, 71 + i)));
    expect(trials.filter((t) => t.backend === "rest" && t.killed).length).toBeGreaterThanOrEqual(KILLS_PER_LANE * LANE_MODES.length);
  }, 300_000);
});

/** Waits until the table's metadata location (or its absence) reads the same twice, 300 ms apart (at most 10 s). */
async function settled(engine: Engine, id: { readonly namespace: readonly string[]; readonly name: string }): Promise<void> {
  const location = async (): Promise<string | undefined> =>
    (await engine.catalog.tableExists(id)) ? (await engine.catalog.loadTable(id)).metadataLocation : undefined;
  let last = await location();
  for (let i = 0; i < 33; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await location();
    if (now === last) return;
    last = now;
  }
}
