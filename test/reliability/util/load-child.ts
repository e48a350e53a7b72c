// A load in a child process that a test can kill. Reads its job from argv[2] (JSON), prints one
// JSON line per event on stdout: {"event":"ready"} once the engine is open, then
// {"event":"result",…} or {"event":"error",…}. With `killAt` it SIGKILLs itself at a named
// point of the load, found by watching the stages and the filesystem calls the commit makes
// (no hook in the product code): see KILL_POINTS.

import * as fs from "node:fs";
import { Engine, EngineError, type CatalogOptions, type S3Options } from "@engine/core";

import { ERASE_KILL_POINTS, KILL_POINTS, type EraseKillPoint, type KillPoint, type RemoteKillPoint } from "./kill-points.js";

export { ERASE_KILL_POINTS, KILL_POINTS, type EraseKillPoint, type KillPoint, type RemoteKillPoint };

/** What the child is asked to do. */
export interface ChildJob {
  readonly warehouse: string;
  readonly spec: string;
  readonly source?: string;
  readonly killAt?: KillPoint | EraseKillPoint | RemoteKillPoint;
  /** Engine.open options beyond the warehouse: a Glue or REST catalog, S3, DuckDB's scratch folder. */
  readonly open?: { readonly catalog?: CatalogOptions; readonly s3?: S3Options; readonly tempDirectory?: string };
  /** Instead of loading: erase `subject` (rows whose `column` equals it) from `table` with `eraseSubjects`. */
  readonly erase?: { readonly table: string; readonly column: string; readonly subject: number };
  /** Sources to load one after the other instead of `source`. */
  readonly sources?: readonly string[];
  /** Wait for this file to exist before committing (two children meet at the commit). */
  readonly barrier?: { readonly mine: string; readonly other: string };
  /** Retry a load that failed with a commit conflict, up to this many times. */
  readonly retryConflicts?: number;
  readonly force?: boolean;
}

const job = JSON.parse(process.argv[2] ?? "{}") as ChildJob;
const say = (o: object): void => void process.stdout.write(`${JSON.stringify(o, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`);
const die = (): never => { process.kill(process.pid, "SIGKILL"); throw new Error("unreachable"); };
const isAudit = (p: string): boolean => p.includes("/_engine/");
const at = (point: KillPoint | EraseKillPoint | RemoteKillPoint, p?: string): boolean => job.killAt === point && (p === undefined || (point === "audit-swap") === isAudit(p));

// The commit goes through LocalFileIO, which calls fs.promises.{writeFile,rename,link}.
const fsp = fs.promises as { -readonly [K in keyof typeof fs.promises]: (typeof fs.promises)[K] };
const { rename, link } = fsp;
fsp.rename = (async (from: fs.PathLike, to: fs.PathLike) => {
  const target = String(to);
  if (at("hint", target) && target.endsWith("/version-hint.text") && !isAudit(target)) die();
  await rename(from, to);
  if (at("manifest", target) && /-m\d+\.avro$/.test(target)) die();
  if (at("manifest-list", target) && /\/snap-[^/]+\.avro$/.test(target)) die();
}) as typeof fsp.rename;
let swaps = 0; // metadata swaps of v2+ so far (an erasure: rewrite, scrub, expiry)
fsp.link = (async (existing: fs.PathLike, to: fs.PathLike) => {
  const target = String(to);
  const meta = /\/v\d+\.metadata\.json$/.test(target);
  // v1 is the table's creation; the data commit swaps v2+ (or v1 of nothing: skip creation).
  const dataCommit = meta && !/\/v1\.metadata\.json$/.test(target);
  if (dataCommit && (at("before-swap", target) || at("audit-swap", target))) die();
  if (dataCommit && !isAudit(target) && ((swaps === 1 && at("scrub-swap")) || (swaps === 2 && at("expire-swap")))) die();
  await link(existing, to);
  if (dataCommit && !isAudit(target)) swaps++;
  if (dataCommit && at("after-swap", target)) die();
}) as typeof fsp.link;
const { rm } = fsp;
fsp.rm = (async (p: fs.PathLike, options?: fs.RmOptions) => {
  if (swaps >= 3 && at("expire-delete") && /\.(parquet|avro)$/.test(String(p))) die();
  await rm(p, options);
}) as typeof fsp.rm;

const waitFor = async (file: string): Promise<void> => {
  for (let i = 0; i < 600 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
};

// Against a Glue catalog on S3 the commit is a series of AWS SDK commands: every client (S3 and
// Glue) sends through the one smithy Client.prototype.send, so the child watches that.
if (job.open?.catalog?.type === "glue") {
  const { loadS3Sdk } = await import("@engine/iceberg/io/s3");
  const base = Object.getPrototypeOf((await loadS3Sdk()).S3Client.prototype) as { send: (command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => Promise<unknown> };
  const send = base.send;
  let uploads = 0;
  base.send = async function (this: unknown, command, ...rest) {
    const op = command.constructor.name;
    const key = String(command.input["Key"] ?? "");
    if (op === "UpdateTableCommand" && at("before-swap")) die();
    if (op === "UpdateTableCommand" && at("swap-in-flight")) setTimeout(die, Math.floor(Math.random() * 5));
    const out = await send.call(this, command, ...rest);
    if (op === "PutObjectCommand") {
      if (key.endsWith(".parquet") && uploads++ === 0 && at("upload")) die();
      if (/-m\d+\.avro$/.test(key) && at("manifest")) die();
      if (/\/snap-[^/]+\.avro$/.test(key) && at("manifest-list")) die();
      // 00000-… is the table's creation (first load); the data commit writes 00001-… and later.
      if (/\/\d{5}-[^/]+\.metadata\.json$/.test(key) && !/\/00000-[^/]+$/.test(key) && at("metadata-put")) die();
    }
    if (op === "UpdateTableCommand" && at("after-swap")) die();
    return out;
  };
}
// Against a REST catalog the swap is the commit POST to …/namespaces/<ns>/tables/<name>.
if (job.open?.catalog?.type === "rest") {
  const fetch0 = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const commit = (init?.method ?? (input instanceof Request ? input.method : "GET")) === "POST" && /\/v1\/(.+\/)?namespaces\/[^/]+\/tables\/[^/]+$/.test(new URL(url).pathname);
    if (commit && at("before-swap")) die();
    if (commit && at("swap-in-flight")) setTimeout(die, Math.floor(Math.random() * 5));
    const res = await fetch0(input, init);
    if (commit && res.ok && at("after-swap")) die();
    return res;
  }) as typeof fetch;
}

const engine = await Engine.open({
  warehouse: job.warehouse,
  ...(job.open?.catalog ? { catalog: job.open.catalog } : {}),
  ...(job.open?.s3 ? { s3: job.open.s3 } : {}),
  duckdb: { threads: 1, ...(job.open?.tempDirectory ? { tempDirectory: job.open.tempDirectory } : {}) },
});
say({ event: "ready" });
let pending: Promise<void> | undefined;
const onStage = (e: { stage: string; state: string }): void => {
  if (e.stage === "cast" && e.state === "start" && job.killAt === "staging") die();
  if (e.stage === "write" && e.state === "start" && job.killAt === "parquet") setTimeout(die, 1 + Math.floor(Math.random() * 6));
  if (e.stage === "write" && e.state === "end" && job.killAt === "after-parquet") die();
  if (e.stage === "commit" && e.state === "start" && job.barrier) {
    fs.writeFileSync(job.barrier.mine, "");
    pending = waitFor(job.barrier.other);
  }
};
// The barrier must hold the commit, so the wait happens inside the first catalog call of the commit.
if (job.barrier) {
  const { writeFile } = fsp;
  fsp.writeFile = (async (...args: Parameters<typeof writeFile>) => {
    if (pending) { const p = pending; pending = undefined; await p; }
    return writeFile(...args);
  }) as typeof fsp.writeFile;
}
if (job.erase) {
  const { eraseSubjects } = await import("@engine/pii");
  const { table, column, subject } = job.erase;
  try {
    const c = await eraseSubjects(engine, {
      subjects: [subject], tables: [{ table, column }],
      onStage: ({ stage }) => { if (job.killAt === `erase-${stage}`) die(); },
    });
    say({ event: "result", status: c.status });
  } catch (error) {
    say({ event: "error", name: (error as Error)?.name, code: String((error as { code?: unknown })?.code), message: (error as Error)?.message });
  }
}
for (const source of job.erase ? [] : job.sources ?? [job.source]) {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await engine.load(job.spec, { ...(source ? { source } : {}), ...(job.force ? { force: true } : {}), onStage });
      say({ event: "result", source, status: r.status, snapshotId: r.snapshotId, loadId: r.loadId, rowsWritten: r.rowsWritten, attempts: attempt + 1 });
      break;
    } catch (error) {
      const code = error instanceof EngineError || (error as { code?: unknown })?.code !== undefined ? String((error as { code?: unknown }).code) : undefined;
      if (attempt < (job.retryConflicts ?? 0) && /CONFLICT|COMMIT_FAILED/i.test(`${code} ${(error as Error).name}`)) continue;
      say({ event: "error", source, name: (error as Error)?.name, code, message: (error as Error)?.message });
      break;
    }
  }
}
engine.close();
