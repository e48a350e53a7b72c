// The benchmark runner: generates the dataset, warms the OS cache, runs every case in its own
// child process (measure.ts), prints a table of absolute figures and ratios and writes
// bench/results/<YYYY-MM-DD>.json with the machine's description. See bench/README.md.
//
//   node --conditions=source --import tsx bench/src/run.ts [--size 1m|10m] [--reps 2]
//        [--skip spark,pyiceberg,...] [--only load,merge,...] [--commits 1000] [--mem-limit 1GiB]

import { execFileSync, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDbSession } from "@engine/core";
import { BENCH_DIR, datasetFiles, DATA_DIR, type DatasetManifest } from "./dataset.js";
import { generate } from "./generate.js";
import { measure, type Measured } from "./measure.js";
import { sparkStatements } from "./spark-sql.js";

const ROOT = path.resolve(BENCH_DIR, "..");
const PEERS = path.join(ROOT, ".cache", "peers");
const PY = path.join(PEERS, "py", "bin", "python");
const SPARK_PY = path.join(PEERS, "spark-venv", "bin", "python");
const SPARK_JAR = path.join(PEERS, "jars", "iceberg-spark-runtime-3.5_2.12-1.10.1.jar");
const NODE_CASE = ["--conditions=source", "--import", "tsx", path.join(BENCH_DIR, "src", "cases", "engine-cases.ts")];

interface Options {
  size: string; reps: number; skip: Set<string>; only?: Set<string>; commits: number; memLimit?: string;
  format: "csv" | "parquet"; upsertTimeoutMs: number; sparkMemory: string; verbose: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const get = (name: string): string | undefined => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
  const set = (v: string | undefined): Set<string> | undefined => (v ? new Set(v.split(",").map((s) => s.trim())) : undefined);
  const size = get("size") ?? "1m";
  return {
    size, reps: Number(get("reps") ?? 2), skip: set(get("skip")) ?? new Set(), ...(get("only") ? { only: set(get("only"))! } : {}),
    commits: Number(get("commits") ?? 1000), ...(get("mem-limit") ? { memLimit: get("mem-limit")! } : {}),
    format: get("format") === "parquet" ? "parquet" : "csv",
    upsertTimeoutMs: Number(get("upsert-timeout-s") ?? 900) * 1000, sparkMemory: get("spark-memory") ?? "4g", verbose: argv.includes("--verbose"),
  };
}

const log = (s: string): void => { process.stderr.write(`${s}\n`); };

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const wants = (group: string, system?: string): boolean => (!o.only || o.only.has(group)) && !o.skip.has(group) && !(system && o.skip.has(system));
  const files = datasetFiles(o.size);
  log(`bench: dataset ${o.size}`);
  const data = await generate(o.size, { log });
  const source = o.format === "parquet" ? files.parquet : files.csv;
  const changes = o.format === "parquet" ? files.changesParquet : files.changesCsv;
  const work = path.join(DATA_DIR, `run-${o.size}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tmp = path.join(work, "tmp");
  log("bench: warming the OS cache");
  for (const f of [files.csv, files.parquet, files.changesCsv, files.changesParquet]) await drain(f);
  const machine = await describeMachine();
  const results: Measured[] = [];
  const run = async (name: string, command: string, args: readonly string[], timeoutMs?: number): Promise<Measured> => {
    log(`bench: ${name} …`);
    // The previous case's files may still be in the page cache waiting to be written back:
    // flush them first so that no case pays for another's writes.
    spawnSync("sync");
    const m = await measure(name, command, args, { cwd: ROOT, ...(timeoutMs ? { timeoutMs } : {}), ...(o.verbose ? { log: (s) => process.stderr.write(s) } : {}) });
    log(`bench: ${name}: ${m.ok ? `${fmtMs(opMs(m))} (process ${fmtMs(m.processMs)}), peak RSS ${fmtBytes(m.treeRssBytes)}` : `FAILED ${m.error}`}`);
    results.push(m);
    return m;
  };
  const node = (name: string, c: string, args: Record<string, unknown>, timeoutMs?: number): Promise<Measured> =>
    run(name, process.execPath, [...NODE_CASE, c, JSON.stringify({ tempDirectory: tmp, ...args })], timeoutMs);
  const engineWh = path.join(work, "engine");
  const hasPy = existsSync(PY);
  const hasSpark = existsSync(SPARK_PY) && existsSync(SPARK_JAR);
  const spark = hasSpark && (wants("load", "spark") || wants("merge", "spark")) ? await sparkStatements() : undefined;

  // (1) and (2), interleaved so that load from other processes hits both alike; the best of `reps` counts.
  if (wants("load")) {
    for (let r = 0; r < o.reps; r++) {
      await node(`2-limit#${r}`, "duckdb-limit", { source, format: o.format, out: path.join(work, `limit-${r}`) });
      await node(`2b-limit-sorted#${r}`, "duckdb-limit", { source, format: o.format, out: path.join(work, `limit-sorted-${r}`), sorted: true });
      const wh = r === 0 ? engineWh : path.join(work, `engine-${r}`);
      await node(`1-engine-load#${r}`, "engine-load", { warehouse: wh, source, format: o.format });
      rmSync(path.join(work, `limit-${r}`), { recursive: true, force: true });
      rmSync(path.join(work, `limit-sorted-${r}`), { recursive: true, force: true });
      if (r > 0) rmSync(wh, { recursive: true, force: true });
    }
    if (o.memLimit) await node(`1m-engine-load-${o.memLimit}`, "engine-load", { warehouse: path.join(work, "engine-memlimit"), source, format: o.format, memoryLimit: o.memLimit });
    if (wants("load", "pyiceberg") && hasPy && o.format === "csv") {
      await run("3-pyiceberg-load", PY, [path.join(BENCH_DIR, "py", "pyiceberg_case.py"), "load", JSON.stringify({ warehouse: path.join(work, "pyiceberg"), source })]);
    }
    if (wants("load", "spark") && spark && o.format === "csv") {
      await run("4-spark-load", SPARK_PY, [path.join(BENCH_DIR, "py", "spark_case.py"), "load", JSON.stringify({ warehouse: path.join(work, "spark"), source, jar: SPARK_JAR, memory: o.sparkMemory, sql: spark })]);
    }
  }
  if (wants("query") && existsSync(engineWh)) await node("7-engine-query-day", "engine-query", { warehouse: engineWh, day: data.queryDay });
  if (wants("merge") && existsSync(engineWh)) {
    await node("5-engine-merge", "engine-merge", { warehouse: engineWh, source: changes, format: o.format });
    if (wants("merge", "pyiceberg") && existsSync(path.join(work, "pyiceberg"))) {
      await run("5-pyiceberg-upsert", PY, [path.join(BENCH_DIR, "py", "pyiceberg_case.py"), "upsert", JSON.stringify({ warehouse: path.join(work, "pyiceberg"), source: changes })], o.upsertTimeoutMs);
    }
    // A Spark load that failed in this run may have left an empty table: merging into it measures nothing.
    const sparkLoadFailed = results.some((m) => m.name === "4-spark-load" && !m.ok);
    if (wants("merge", "spark") && spark && existsSync(path.join(work, "spark")) && !sparkLoadFailed) {
      await run("5-spark-merge", SPARK_PY, [path.join(BENCH_DIR, "py", "spark_case.py"), "merge", JSON.stringify({ warehouse: path.join(work, "spark"), source: changes, jar: SPARK_JAR, memory: o.sparkMemory, sql: spark })]);
    }
  }
  if (wants("erase") && existsSync(engineWh)) await node("8-engine-erase", "engine-erase", { warehouse: engineWh, customer: data.eraseCustomer });
  if (wants("commits")) await node("6-engine-commits", "engine-commits", { warehouse: path.join(work, "commits"), commits: o.commits });
  machine["loadAverageEnd"] = os.loadavg();

  const summary = summarize(results, data, o);
  process.stdout.write(`\n${summary.table}\n`);
  const day = new Date().toISOString().slice(0, 10);
  const outDir = path.join(BENCH_DIR, "results");
  mkdirSync(outDir, { recursive: true });
  // A partial run (--only/--skip) gets its own name so it never replaces a full run of the day.
  const partial = [...(o.only ? [`only-${[...o.only].join("+")}`] : []), ...(o.skip.size > 0 ? [`skip-${[...o.skip].join("+")}`] : [])];
  const out = path.join(outDir, `${[day, ...(o.size === "1m" ? [] : [o.size]), ...partial].join("-")}.json`);
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), size: o.size, options: { ...o, skip: [...o.skip], only: o.only ? [...o.only] : undefined }, machine, dataset: data, summary: summary.figures, runs: results }, null, 2)}\n`);
  log(`bench: wrote ${path.relative(ROOT, out)}`);
}

/** The case's own time of the work (without interpreter / JVM start-up), else the process wall time. */
function opMs(m: Measured): number {
  const ms = m.report?.["ms"];
  return typeof ms === "number" ? ms : m.processMs;
}

function best(results: readonly Measured[], prefix: string): Measured | undefined {
  return results.filter((m) => m.ok && (m.name === prefix || m.name.startsWith(`${prefix}#`))).sort((a, b) => opMs(a) - opMs(b))[0];
}

function summarize(results: readonly Measured[], data: DatasetManifest, o: Options): { table: string; figures: Record<string, unknown> } {
  const limit = best(results, "2-limit");
  const rows: string[][] = [["case", "time", "process", "CPU s", "peak RSS", "files", "vs (2)", "notes"]];
  const figures: Record<string, unknown> = {};
  const r = (m: Measured | undefined): number | undefined => (m && limit ? opMs(m) / opMs(limit) : undefined);
  const add = (label: string, m: Measured | undefined, files: string, notes: string, ratio = true): void => {
    if (!m) return;
    rows.push([label, fmtMs(opMs(m)), fmtMs(m.processMs), cpuOf(m), fmtBytes(m.treeRssBytes), files, !ratio || r(m) === undefined ? "" : `${r(m)!.toFixed(2)}×`, notes]);
  };
  const rep = (m: Measured | undefined, k: string): unknown => m?.report?.[k];
  const engine = best(results, "1-engine-load");
  const sorted = best(results, "2b-limit-sorted");
  const py = best(results, "3-pyiceberg-load");
  const sp = best(results, "4-spark-load");
  const mem = results.find((m) => m.name.startsWith("1m-engine-load"));
  add("(2) DuckDB COPY, PARTITION_BY day", limit, `${rep(limit, "files")} (≤${rep(limit, "maxFilesPerPartition")}/day)`, "the limit");
  add("(2b) same + ORDER BY day", sorted, `${rep(sorted, "files")} (≤${rep(sorted, "maxFilesPerPartition")}/day)`, "");
  add("(1) Engine load (dedupe, 3 rules, Iceberg)", engine, `${rep(engine, "filesWritten")} (≤${rep(engine, "maxFilesPerPartition")}/day)`, stagesText(engine));
  add(`(1m) Engine load, memory_limit ${o.memLimit ?? ""}`, mem, `${rep(mem, "filesWritten")}`, mem ? (mem.ok ? "completed" : "FAILED") : "");
  add("(3) PyIceberg + PyArrow", py, `${rep(py, "filesWritten")} (≤${rep(py, "maxFilesPerPartition")}/day)`, py ? `(3)/(1) = ${(opMs(py) / opMs(engine ?? py)).toFixed(2)}×` : "");
  add("(4) Spark local + Iceberg", sp, `${rep(sp, "filesWritten")} (≤${rep(sp, "maxFilesPerPartition")}/day)`, sp ? `(4)/(1) = ${(opMs(sp) / opMs(engine ?? sp)).toFixed(2)}×; JVM start ${fmtMs(Number(rep(sp, "startMs")))}` : "");
  const em = best(results, "5-engine-merge");
  const pm = results.find((m) => m.name === "5-pyiceberg-upsert");
  const sm = best(results, "5-spark-merge");
  add("(5) Engine merge (copy-on-write)", em, `-${rep(em, "filesRemoved")} +${rep(em, "filesWritten")} of ${rep(em, "filesBefore")}`, `${data.changed} changed + ${data.added} new`, false);
  if (pm) add("(5) PyIceberg upsert", pm, pm.ok ? `${rep(pm, "filesBefore")}→${rep(pm, "filesAfter")}` : "", pm.ok ? `${(opMs(pm) / opMs(em ?? pm)).toFixed(2)}× Engine` : `did not finish in ${fmtMs(o.upsertTimeoutMs)}: ≥ ${(o.upsertTimeoutMs / opMs(em ?? pm)).toFixed(1)}× Engine`, false);
  add("(5) Spark MERGE INTO", sm, `${rep(sm, "filesBefore")}→${rep(sm, "filesAfter")}`, sm ? `${(opMs(sm) / opMs(em ?? sm)).toFixed(2)}× Engine` : "", false);
  const c = best(results, "6-engine-commits");
  if (c?.report) {
    const f = Number(c.report["commitMeanFirst100"]);
    const l = Number(c.report["commitMeanLast100"]);
    rows.push(["(6) commits: first 100 / last 100 mean", `${f.toFixed(1)} / ${l.toFixed(1)} ms`, fmtMs(c.processMs), cpuOf(c), fmtBytes(c.treeRssBytes), `${c.report["manifestsAtEnd"]} manifests`, `${(l / f).toFixed(2)}× (last/first)`, `load ${Number(c.report["loadMeanFirst100"]).toFixed(0)} / ${Number(c.report["loadMeanLast100"]).toFixed(0)} ms; ${c.report["commits"]} commits`]);
  }
  const q = best(results, "7-engine-query-day");
  if (q?.report) rows.push(["(7) query one day", fmtMs(Number(q.report["queryMs"])), fmtMs(q.processMs), cpuOf(q), fmtBytes(q.treeRssBytes), `${q.report["filesPlanned"]} of ${q.report["filesInTable"]} planned`, "", `plan ${fmtMs(Number(q.report["planMs"]))}; full scan ${fmtMs(Number(q.report["fullScanMs"]))}`]);
  const e = best(results, "8-engine-erase");
  if (e?.report) rows.push(["(8) erase one customer", fmtMs(opMs(e)), fmtMs(e.processMs), cpuOf(e), fmtBytes(e.treeRssBytes), `${e.report["filesRewritten"]} of ${e.report["filesInTable"]} rewritten`, "", `${e.report["filesCandidate"]} candidates by bounds; ${e.report["rowsDeleted"]} rows; eraseSubjects → ${e.report["status"]}, ${e.report["filesScanned"]} files verified`]);
  for (const m of results.filter((x) => !x.ok && x.name !== "5-pyiceberg-upsert")) rows.push([m.name, "FAILED", fmtMs(m.processMs), "", fmtBytes(m.treeRssBytes), "", "", (m.error ?? "").split("\n").slice(-1)[0]!.slice(0, 80)]);
  Object.assign(figures, {
    limitMs: limit && opMs(limit), limitSortedMs: sorted && opMs(sorted), engineLoadMs: engine && opMs(engine), ratio1to2: r(engine), ratio1to2b: engine && sorted ? opMs(engine) / opMs(sorted) : undefined,
    engineFiles: rep(engine, "filesWritten"), engineMaxFilesPerDay: rep(engine, "maxFilesPerPartition"), engineRss: engine?.treeRssBytes,
    pyicebergOverEngine: py && engine ? opMs(py) / opMs(engine) : undefined, sparkOverEngine: sp && engine ? opMs(sp) / opMs(engine) : undefined,
    mergeEngineMs: em && opMs(em), upsertPyicebergMs: pm?.ok ? opMs(pm) : undefined, upsertPyicebergTimedOut: pm ? !pm.ok : undefined, mergeSparkMs: sm && opMs(sm),
    memLimitRun: mem ? { ok: mem.ok, ms: opMs(mem), rss: mem.treeRssBytes } : undefined,
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  const table = rows.map((row, k) => {
    const line = row.map((cell, i) => (i === 0 || i === 7 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
    return k === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
  }).join("\n");
  return { table: `${data.rows.toLocaleString("en")} rows (${fmtBytes(data.csvBytes)} CSV, ${data.duplicates.toLocaleString("en")} duplicates), input ${o.format}; time = the work inside the process, best of ${o.reps} for (1)/(2)\n${table}`, figures };
}

function stagesText(m: Measured | undefined): string {
  const stages = m?.report?.["stages"] as { name: string; ms: number }[] | undefined;
  return stages ? stages.filter((s) => s.ms >= 50).map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)}`).join(", ") : "";
}

function cpuOf(m: Measured): string {
  return m.cpuMs ? (m.cpuMs / 1000).toFixed(1) : "";
}

async function describeMachine(): Promise<Record<string, unknown>> {
  const db = await DuckDbSession.create();
  let duckdb = "";
  try { duckdb = String((await db.query("select version() AS v")).rowObjectsJson()[0]!["v"]); } finally { db.close(); }
  const py = (bin: string, code: string): string => { try { return execFileSync(bin, ["-c", code], { encoding: "utf8" }).trim(); } catch { return "unavailable"; } };
  return {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem(), platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version, duckdb,
    pyiceberg: existsSync(PY) ? py(PY, "import pyiceberg, pyarrow; print(pyiceberg.__version__, 'pyarrow', pyarrow.__version__)") : "unavailable",
    spark: existsSync(SPARK_PY) ? `${py(SPARK_PY, "import pyspark; print(pyspark.__version__)")} + ${path.basename(SPARK_JAR)}` : "unavailable",
    java: spawnSync("java", ["-version"], { encoding: "utf8" }).stderr?.split("\n")[0] ?? "unavailable",
    loadAverageStart: os.loadavg(),
  };
}

async function drain(file: string): Promise<void> {
  await new Promise<void>((resolve, reject) => createReadStream(file, { highWaterMark: 1 << 20 }).on("data", () => {}).on("end", resolve).on("error", reject));
}

function fmtMs(ms: number): string {
  return ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

function fmtBytes(b: number): string {
  return b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(2)} GiB` : `${(b / (1 << 20)).toFixed(0)} MiB`;
}

await main();
