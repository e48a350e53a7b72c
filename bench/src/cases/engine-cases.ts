// The Engine side of the benchmark and the DuckDB limit, one case per child process:
//
//   node --conditions=source --import tsx bench/src/cases/engine-cases.ts <case> '<json args>'
//
// Cases: duckdb-limit, engine-load, engine-query, engine-merge, engine-erase, engine-commits.
// Each writes its figures as JSON to $BENCH_OUT (see measure.ts).

import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DuckDbSession, Engine, type LoadResult } from "@engine/core";
import { and, eq, gtEq, lt, readManifestList, type DataFile, type Table } from "@engine/iceberg";
import { readFile } from "node:fs/promises";
import { eraseSubjects } from "@engine/pii";
import { COLUMNS, ordersSpec } from "../dataset.js";
import { reportCase } from "../measure.js";

interface Args {
  readonly warehouse: string;
  readonly source: string;
  readonly format?: "csv" | "parquet";
  readonly out?: string;
  readonly sorted?: boolean;
  readonly tempDirectory: string;
  readonly memoryLimit?: string;
  readonly targetFileSize?: string;
  readonly day?: string;
  readonly customer?: number;
  readonly commits?: number;
  readonly rowsPerCommit?: number;
}

const THREADS = 2;

async function openEngine(a: Args): Promise<Engine> {
  mkdirSync(a.tempDirectory, { recursive: true });
  return Engine.open({
    warehouse: a.warehouse,
    duckdb: { threads: THREADS, tempDirectory: a.tempDirectory, ...(a.memoryLimit ? { memoryLimit: a.memoryLimit } : {}) },
  });
}

/** The limit: one DuckDB COPY of the same dedupe query to day-partitioned zstd Parquet; no Iceberg, no validation. */
async function duckdbLimit(a: Args): Promise<Record<string, unknown>> {
  const db = await DuckDbSession.create({ threads: THREADS, tempDirectory: a.tempDirectory, ...(a.memoryLimit ? { memoryLimit: a.memoryLimit } : {}) });
  try {
    const read = a.format === "parquet"
      ? `read_parquet('${a.source}')`
      : `read_csv('${a.source}', header = true, auto_detect = false, columns = {${COLUMNS.map((c) => `'${c.name}': 'VARCHAR'`).join(", ")}})`;
    const cast = COLUMNS.map((c) => `CAST(${c.name} AS ${c.duckdb}) AS ${c.name}`).join(", ");
    const dedupe = `SELECT ${cast} FROM ${read} QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY CAST(updated_at AS TIMESTAMPTZ) DESC) = 1`;
    const body = `SELECT *, CAST(order_ts AS DATE) AS order_ts_day FROM (${dedupe})${a.sorted ? " ORDER BY order_ts_day" : ""}`;
    const t0 = performance.now();
    await db.run(`COPY (${body}) TO '${a.out}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (order_ts_day), OVERWRITE_OR_IGNORE)`);
    const ms = performance.now() - t0;
    const files = listFiles(a.out!);
    const perDay = new Map<string, number>();
    for (const f of files) perDay.set(path.dirname(f), (perDay.get(path.dirname(f)) ?? 0) + 1);
    return {
      ms, files: files.length, partitions: perDay.size, maxFilesPerPartition: Math.max(...perDay.values()),
      bytes: files.reduce((n, f) => n + statSync(f).size, 0),
    };
  } finally {
    db.close();
  }
}

/** (1) Engine local load: dedupe, three validation rules, partitioned Iceberg append. */
async function engineLoad(a: Args): Promise<Record<string, unknown>> {
  const engine = await openEngine(a);
  try {
    const spec = ordersSpec({ format: a.format ?? "csv", ...(a.targetFileSize ? { targetFileSize: a.targetFileSize } : {}) });
    const t0 = performance.now();
    const r = await engine.load(spec, { source: a.source, force: true });
    const ms = performance.now() - t0;
    return { ms, ...loadFigures(r) };
  } finally {
    engine.close();
  }
}

/** (5) Engine merge (copy-on-write) of the changes batch into the loaded table. */
async function engineMerge(a: Args): Promise<Record<string, unknown>> {
  const engine = await openEngine(a);
  try {
    const table = await engine.openTable("bench.orders");
    const before = await liveFiles(table);
    const spec = ordersSpec({ mode: "merge", format: a.format ?? "csv", validate: true });
    const t0 = performance.now();
    const r = await engine.load(spec, { source: a.source, force: true });
    const ms = performance.now() - t0;
    const check = await engine.query("select count(*) AS n, count(*) FILTER (WHERE status = 'cancelled') AS cancelled from bench.orders");
    return { ms, filesBefore: before.length, ...loadFigures(r), check: rowsOf(check) };
  } finally {
    engine.close();
  }
}

/** (7) One day out of the year: files planned vs files in the table, and the query time. */
async function engineQuery(a: Args): Promise<Record<string, unknown>> {
  const engine = await openEngine(a);
  try {
    const table = await engine.openTable("bench.orders");
    const day = a.day!;
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const t0 = performance.now();
    const planned = await table.newScan({ filter: and(gtEq("order_ts", `${day}T00:00:00+00:00`), lt("order_ts", `${next}T00:00:00+00:00`)) }).planFiles();
    const planMs = performance.now() - t0;
    const all = await liveFiles(table);
    const t1 = performance.now();
    const res = await engine.query(`select count(*) AS n, sum(amount) AS total from bench.orders where order_ts >= TIMESTAMPTZ '${day} 00:00:00+00' and order_ts < TIMESTAMPTZ '${next} 00:00:00+00'`);
    const queryMs = performance.now() - t1;
    const t2 = performance.now();
    await engine.query("select count(*) AS n, sum(amount) AS total from bench.orders");
    const fullMs = performance.now() - t2;
    return { planMs, queryMs, fullScanMs: fullMs, filesPlanned: planned.length, filesInTable: all.length, result: rowsOf(res) };
  } finally {
    engine.close();
  }
}

/**
 * (8) Erasure of one customer with `@engine/pii`'s `eraseSubjects`: files whose partitions or
 * bounds may hold the customer are read, those that do are rewritten without the customer's rows,
 * the snapshots still referencing the old files are expired and the files deleted, then every file
 * of the table is scanned (decoded and raw) to prove the customer is gone.
 */
async function engineErase(a: Args): Promise<Record<string, unknown>> {
  const engine = await openEngine(a);
  try {
    const table = await engine.openTable("bench.orders");
    const all = await liveFiles(table);
    const candidates = await table.newScan({ filter: eq("customer_id", BigInt(a.customer!)) }).planFiles();
    const stages: Record<string, number> = {};
    const t0 = performance.now();
    const certificate = await eraseSubjects(engine, {
      subjects: [BigInt(a.customer!)],
      tables: [{ table: "bench.orders", column: "customer_id", piiColumns: ["email"] }],
      onStage: (e) => { stages[e.stage] = Math.round(performance.now() - t0); },
    });
    const ms = performance.now() - t0;
    const left = await engine.query(`select count(*) AS n from bench.orders where customer_id = ${a.customer}`);
    const t = certificate.tables[0]!;
    return {
      ms, status: certificate.status, filesInTable: all.length, filesCandidate: candidates.length,
      filesRewritten: t.filesRewritten.length, rowsDeleted: t.rowsErased, snapshotsExpired: t.snapshotsExpired.length,
      filesRemoved: t.filesRemoved.length, filesScanned: certificate.verification.filesScanned, msAtStage: stages, rowsLeft: rowsOf(left),
    };
  } finally {
    engine.close();
  }
}

/** (6) Commit latency over N sequential small appends (in-memory rows), and the manifests at the end. */
async function engineCommits(a: Args): Promise<Record<string, unknown>> {
  const engine = await openEngine(a);
  try {
    const n = a.commits ?? 1000;
    const per = a.rowsPerCommit ?? 10;
    const spec = { ...ordersSpec({ table: "bench.small_appends", validate: false }), dedupe: undefined };
    delete (spec as Record<string, unknown>)["dedupe"];
    const total: number[] = [];
    const commit: number[] = [];
    for (let i = 0; i < n; i++) {
      const rows = Array.from({ length: per }, (_, j) => {
        const id = i * per + j + 1;
        // One micro-batch lands in one day, so each commit adds one small data file.
        const ts = new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000 + j * 1000).toISOString();
        return { order_id: id, customer_id: id % 977, email: `c${id % 977}@example.com`, status: "paid", channel: "web", country: "KR", sku: "SKU-000001", quantity: 1, amount: "10.00", discount: "0.00", order_ts: ts, updated_at: ts };
      });
      const t0 = performance.now();
      const r = await engine.load(spec, { data: rows, force: true });
      total.push(performance.now() - t0);
      commit.push(r.stages.find((s) => s.name === "commit")?.ms ?? Number.NaN);
    }
    const table = await engine.openTable("bench.small_appends");
    const snap = table.currentSnapshot()!;
    const manifests = readManifestList(await readFile(localPath(snap.manifestList!)));
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      commits: n, rowsPerCommit: per,
      loadMeanFirst100: mean(total.slice(0, 100)), loadMeanLast100: mean(total.slice(-100)),
      commitMeanFirst100: mean(commit.slice(0, 100)), commitMeanLast100: mean(commit.slice(-100)),
      manifestsAtEnd: manifests.length, snapshots: table.snapshots().length, dataFiles: (await liveFiles(table)).length,
      commitMsEvery100: Array.from({ length: Math.ceil(n / 100) }, (_, k) => Math.round(mean(commit.slice(k * 100, k * 100 + 100)) * 10) / 10),
    };
  } finally {
    engine.close();
  }
}

function loadFigures(r: LoadResult): Record<string, unknown> {
  const perPartition = new Map<string, number>();
  for (const f of r.dataFiles) {
    const key = partitionText(f);
    perPartition.set(key, (perPartition.get(key) ?? 0) + 1);
  }
  const counts = [...perPartition.values()];
  return {
    status: r.status, rowsRead: r.rowsRead, duplicatesDropped: r.duplicatesDropped, rowsInserted: r.rowsInserted, rowsUpdated: r.rowsUpdated,
    rowsDeleted: r.rowsDeleted, rowsWritten: r.rowsWritten, filesWritten: r.filesWritten, filesRemoved: r.filesRemoved, bytesWritten: r.bytesWritten,
    partitionsWritten: perPartition.size, maxFilesPerPartition: counts.length ? Math.max(...counts) : 0,
    stages: r.stages.map((s) => ({ name: s.name, ms: Math.round(s.ms) })),
    validations: r.validations.map((v) => `${v.path} ${v.rule} ${v.phase}: ${v.passed ? "passed" : "FAILED"}`),
  };
}

function partitionText(f: DataFile): string {
  return JSON.stringify(f.partition, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

async function liveFiles(table: Table): Promise<readonly unknown[]> {
  return table.newScan().planFiles();
}

function localPath(p: string): string {
  return p.startsWith("file://") ? new URL(p).pathname : p.startsWith("file:") ? p.slice(5) : p;
}

function rowsOf(res: unknown): unknown {
  const r = res as { rows?: () => unknown; toRows?: () => unknown; toArray?: () => unknown };
  const rows = typeof r.rows === "function" ? r.rows() : typeof r.toRows === "function" ? r.toRows() : typeof r.toArray === "function" ? r.toArray() : res;
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const CASES: Record<string, (a: Args) => Promise<Record<string, unknown>>> = {
  "duckdb-limit": duckdbLimit,
  "engine-load": engineLoad,
  "engine-merge": engineMerge,
  "engine-query": engineQuery,
  "engine-erase": engineErase,
  "engine-commits": engineCommits,
};

const [name, json] = process.argv.slice(2);
const run = CASES[name ?? ""];
if (!run) throw new Error(`bench: case: expected one of ${Object.keys(CASES).join(", ")}, got ${name}`);
reportCase({ case: name, ...(await run(JSON.parse(json ?? "{}") as Args)) });
