// Real peers for the `*.interop.test.ts` files of every package: tools we did not write, installed
// by scripts/peers/*.sh into .cache/peers and asked what they see. Import by relative path:
//
//   import { sparkPeer, runPython } from "../../../test/util/peers.js";
//
//   const spark = await sparkPeer();                  // in beforeAll: the first call may install
//   await spark.sql("CREATE TABLE local.t1.x (id bigint) USING iceberg");
//   const { rows } = await spark.sql("SELECT count(*) FROM local.t1.x");   // [["0"]]
//
// Server peers (Spark, the Iceberg REST fixture, moto) run once per test run, shared by all test
// files through the broker of test/peers/global-setup.ts; they are shared, so each test file
// uses its own namespaces, table names and buckets (see uniqueName). Without that globalSetup
// each worker process starts its own, and stops them when it exits.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { inject } from "vitest";
import {
  httpJson,
  installPeer,
  PEER_CACHE,
  peerSkipped,
  REPO_ROOT,
  run,
  startServer,
  tail,
  type RunningServer,
  type ServerPeer,
} from "../peers/servers.js";

export { peerSkipped, REPO_ROOT, PEER_CACHE } from "../peers/servers.js";
export { checksumObjects, checksumRows, canonicalJson, type TableChecksum } from "./checksum.js";

// --- plumbing ----------------------------------------------------------------------------------

interface ServerInfo {
  url: string;
  info: Record<string, string>;
  logFile: string;
}

const local = new Map<ServerPeer, Promise<RunningServer>>();
let warnedNoBroker = false;

function brokerUrl(): string | undefined {
  try {
    const url = inject("enginePeerBroker");
    if (url) return url;
  } catch {
    // not inside a vitest worker
  }
  return process.env.ENGINE_PEER_BROKER || undefined;
}

/** The URL (and facts) of a server peer: from the run's broker, or started in this process. */
async function serverPeer(name: ServerPeer): Promise<ServerInfo> {
  if (peerSkipped(name)) throw new Error(`peers: ${name} is skipped by ENGINE_SKIP_PEERS`);
  const broker = brokerUrl();
  if (broker) {
    const { status, json } = await httpJson<ServerInfo & { error?: string }>("GET", `${broker}/peer/${name}`, undefined, 45 * 60_000);
    if (status !== 200) throw new Error(json.error ?? `peers: broker answered ${status} for ${name}`);
    return json;
  }
  if (!warnedNoBroker) {
    warnedNoBroker = true;
    console.warn("peers: no broker (add test/peers/global-setup.ts to vitest globalSetup); this worker starts its own peers");
  }
  let p = local.get(name);
  if (!p) {
    p = startServer(name);
    local.set(name, p);
    p.then((s) => localStarted.push(s)).catch(() => local.delete(name));
  }
  return p;
}
const localStarted: RunningServer[] = [];

process.once("exit", () => {
  // Servers exit on stdin EOF anyway; stop() closes it and signals them synchronously.
  for (const s of localStarted) void s.stop();
});

/** A name unique to this process and call, safe as an Iceberg namespace/table or S3 bucket name. */
export function uniqueName(prefix = "t"): string {
  uniqueCounter++;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${uniqueCounter}`.toLowerCase();
}
let uniqueCounter = 0;

/** A fresh temporary directory; remove it with `rmSync(dir, { recursive: true })` or ignore it. */
export function tempDir(prefix = "engine-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// --- Python (PyIceberg + PyArrow) ----------------------------------------------------------------

/** Path of the python of the PyIceberg + PyArrow venv (installs it on first use). */
export async function pythonPeer(): Promise<string> {
  return (await installPeer("python")).path!;
}

/** Options of runPython. */
export interface RunPythonOptions {
  /** The interpreter (default: pythonPeer()). */
  python?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  cwd?: string;
  /** Default 120 s. */
  timeoutMs?: number;
}

// Runs the script with `args` (decoded JSON) in scope; whatever it assigns to `result` comes back
// as JSON on fd 3, so prints and library noise on stdout/stderr never corrupt it.
const PY_WRAPPER = `
import base64, datetime, decimal, json, os, sys
_out = os.fdopen(3, "w")
sys.stdout = sys.stderr
def _default(o):
    if isinstance(o, decimal.Decimal): return format(o, "f")
    if isinstance(o, (datetime.datetime, datetime.date, datetime.time)): return o.isoformat()
    if isinstance(o, (bytes, bytearray)): return base64.b64encode(bytes(o)).decode("ascii")
    if isinstance(o, (set, frozenset, tuple)): return list(o)
    if hasattr(o, "as_py"): return o.as_py()
    if hasattr(o, "model_dump"): return o.model_dump(mode="json")
    return str(o)
_g = {"__name__": "__main__", "args": json.loads(sys.stdin.read() or "null"), "result": None}
exec(compile(sys.argv[1], "<runPython>", "exec"), _g)
_out.write(json.dumps(_g.get("result"), default=_default))
_out.close()
`;

/**
 * Runs inline Python with `args` (any JSON) in scope and returns the JSON of what the script
 * assigns to `result`. Fails with the script's stderr (its traceback) when it raises.
 *
 *   const n = await runPython("import pyarrow as pa\nresult = pa.table({'a': args['xs']}).num_rows", { xs: [1, 2] });
 */
export async function runPython<T = any>(script: string, args: unknown = null, opts: RunPythonOptions = {}): Promise<T> {
  const python = opts.python ?? (await pythonPeer());
  const { spawn } = await import("node:child_process");
  return new Promise<T>((resolve, reject) => {
    const child = spawn(python, ["-c", PY_WRAPPER, script], {
      cwd: opts.cwd,
      env: { ...process.env, PYTHONUNBUFFERED: "1", ...opts.env },
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    let stderr = "";
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.setEncoding("utf8");
    fd3.on("data", (d: string) => (out += d));
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`runPython: cannot start ${python}: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        const first = script.trim().split("\n")[0]!.slice(0, 100);
        reject(new Error(`runPython failed (exit ${code}) in script starting "${first}":\n${tail(stderr, 40)}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`runPython: script printed no JSON result (got ${JSON.stringify(out.slice(0, 200))}):\n${tail(stderr, 20)}`));
      }
    });
    child.stdin!.on("error", () => {});
    child.stdin!.end(JSON.stringify(args ?? null));
  });
}

// --- Spark ---------------------------------------------------------------------------------------

/** The answer of a Spark query: column names, Spark types, rows of JSON-safe values. */
export interface SqlResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

/** A client of the run's one Spark server. */
export interface SparkPeer {
  url: string;
  /** The warehouse of the Hadoop catalog `local` (`local.ns.t` lives in `<warehouse>/ns/t`). */
  warehouse: string;
  /** One SQL statement. Values: bigint/decimal as strings, dates ISO, timestamps ISO (+Z if tz). */
  sql(sql: string): Promise<SqlResult>;
  /** The rows of a query as objects. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Registers the table at a metadata file (or a table directory) as a temp view. */
  load(metadata: string, view: string): Promise<{ columns: string[]; types: string[] }>;
  /** Order-independent checksum, comparable with checksumRows/checksumObjects of test/util. */
  checksum(of: { table: string } | { metadata: string } | { sql: string }): Promise<{ count: number; checksum: string; columns: string[] }>;
  /** Runs Python with `spark` and `args` in scope; returns the JSON-safe value of `result`. */
  run<T = unknown>(code: string, args?: unknown): Promise<T>;
  /** Nothing to do: the server lives for the whole test run. Kept for symmetry. */
  close(): Promise<void>;
}

/** The run's Spark (3.5, Iceberg runtime, Hadoop catalog `local`); starts it on first use. */
export async function sparkPeer(): Promise<SparkPeer> {
  const s = await serverPeer("spark");
  const call = async <T>(route: string, body: unknown, what: string): Promise<T> => {
    const { status, json } = await httpJson<T & { error?: string }>("POST", `${s.url}${route}`, body);
    if (status !== 200) throw new Error(`spark: ${json.error ?? `HTTP ${status}`}\n  while running: ${what}\n  (server log: ${s.logFile})`);
    return json;
  };
  const sql = (q: string) => call<SqlResult>("/sql", { sql: q }, q);
  return {
    url: s.url,
    warehouse: s.info.warehouse!,
    sql,
    async query(q) {
      const r = await sql(q);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
    },
    load: (metadata, view) => call("/load", { metadata, view }, `load ${metadata}`),
    checksum: (of) => call("/checksum", of, `checksum ${JSON.stringify(of)}`),
    async run<T>(code: string, args?: unknown) {
      return (await call<{ result: T }>("/run", { code, args: args ?? null }, code.slice(0, 200))).result;
    },
    async close() {},
  };
}

// --- Iceberg REST catalog fixture ------------------------------------------------------------------

/** The run's Apache Iceberg REST catalog fixture (JdbcCatalog over SQLite, local warehouse). */
export async function restCatalogPeer(): Promise<{ url: string; warehouse: string }> {
  const s = await serverPeer("rest-catalog");
  return { url: s.url, warehouse: s.info.warehouse! };
}

// --- moto ----------------------------------------------------------------------------------------

/** The run's moto server (S3, Glue, Athena…) and the fake credentials it accepts. */
export interface MotoPeer {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Environment for a boto3/AWS SDK process pointed at moto. */
  env: Record<string, string>;
  /** The python of the moto venv (boto3 + botocore, whose service models validate requests). */
  python: string;
}

export async function motoPeer(): Promise<MotoPeer> {
  const s = await serverPeer("moto");
  const python = (await installPeer("moto")).python!;
  const { region, accessKeyId, secretAccessKey } = s.info as Record<string, string>;
  return {
    endpoint: s.url,
    region: region!,
    accessKeyId: accessKeyId!,
    secretAccessKey: secretAccessKey!,
    python,
    env: {
      AWS_ENDPOINT_URL: s.url,
      AWS_ACCESS_KEY_ID: accessKeyId!,
      AWS_SECRET_ACCESS_KEY: secretAccessKey!,
      AWS_DEFAULT_REGION: region!,
      AWS_REGION: region!,
    },
  };
}

// --- Apache Iceberg Java -------------------------------------------------------------------------

/** What EqDeleteWriter committed. */
export interface EqDeleteResult {
  snapshotId: string;
  metadataLocation: string;
  deleteFiles: { path: string; recordCount: number; partition: string }[];
}

/** The Apache Iceberg Java library and the drivers of test/peers/java. */
export interface JavaPeer {
  java: string;
  classpath: string;
  /** Runs a driver class with arguments; fails with its stderr. Returns its stdout. */
  run(mainClass: string, args: string[], timeoutMs?: number): Promise<string>;
  /**
   * Writes an equality-delete file with rows {column: value} (same columns in every row) into a
   * Hadoop-catalog table (its directory or a metadata.json) and commits it with a RowDelta.
   */
  eqDelete(table: string, rows: Record<string, unknown>[], opts?: { format?: "parquet" | "avro" }): Promise<EqDeleteResult>;
}

export async function javaPeer(): Promise<JavaPeer> {
  const p = await installPeer("iceberg-java");
  const java = p.java!;
  const classpath = p.classpath!;
  const runMain = async (mainClass: string, args: string[], timeoutMs = 180_000) => {
    const r = await run(java, ["-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath, mainClass, ...args], { timeoutMs });
    if (r.code !== 0) throw new Error(`java ${mainClass} failed (exit ${r.code}):\n${tail(r.stderr, 40)}`);
    return r.stdout;
  };
  return {
    java,
    classpath,
    run: runMain,
    async eqDelete(table, rows, opts = {}) {
      const out = await runMain("EqDeleteWriter", [JSON.stringify({ table, rows, ...opts })]);
      return JSON.parse(out.trim().split("\n").pop()!) as EqDeleteResult;
    },
  };
}

// --- Airflow -------------------------------------------------------------------------------------

/** Apache Airflow 2.10 + the Amazon provider: its python and the env it must run with. */
export interface AirflowPeer {
  python: string;
  home: string;
  env: Record<string, string>;
}

export async function airflowPeer(): Promise<AirflowPeer> {
  const p = await installPeer("airflow");
  return {
    python: p.python!,
    home: p.home!,
    env: {
      AIRFLOW_HOME: p.home!,
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      AIRFLOW__CORE__DAGS_FOLDER: p.dagsFolder!,
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: p.sqlAlchemyConn!,
      AIRFLOW__CORE__UNIT_TEST_MODE: "False",
    },
  };
}

/** Path of the Airflow venv's python (run it with airflowPeer().env, or use runAirflowPython). */
export async function airflowPython(): Promise<string> {
  return (await airflowPeer()).python;
}

/** runPython in the Airflow venv with its environment. */
export async function runAirflowPython<T = any>(script: string, args: unknown = null, opts: RunPythonOptions = {}): Promise<T> {
  const a = await airflowPeer();
  return runPython<T>(script, args, { ...opts, python: a.python, env: { ...a.env, ...opts.env } });
}

/** Imports every DAG file of a folder with Airflow's DagBag. */
export async function airflowDagBag(dagFolder: string): Promise<{ dagIds: string[]; importErrors: Record<string, string> }> {
  return runAirflowPython(
    `from airflow.models import DagBag
bag = DagBag(dag_folder=args["folder"], include_examples=False, safe_mode=False)
result = {"dagIds": sorted(bag.dag_ids), "importErrors": {k: str(v) for k, v in bag.import_errors.items()}}`,
    { folder: dagFolder },
  );
}

// --- Jupyter + tslab -----------------------------------------------------------------------------

/** Jupyter (nbconvert) with the tslab TypeScript kernel. */
export interface JupyterPeer {
  jupyter: string;
  kernel: string;
  /**
   * Executes a notebook headless (`jupyter nbconvert --execute`) and returns the executed
   * notebook. The kernel runs in the notebook's folder (imports resolve from there).
   */
  execute(notebook: string, opts?: { timeoutSec?: number }): Promise<{ cells: { cell_type: string; outputs?: any[] }[] }>;
}

export async function jupyterPeer(): Promise<JupyterPeer> {
  const p = await installPeer("jupyter");
  const jupyter = p.jupyter!;
  return {
    jupyter,
    kernel: p.kernel!,
    async execute(notebook, opts = {}) {
      const out = tempDir("engine-nb-");
      try {
        const timeoutSec = opts.timeoutSec ?? 300;
        const r = await run(
          jupyter,
          [
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            `--ExecutePreprocessor.kernel_name=${p.kernel}`,
            `--ExecutePreprocessor.timeout=${timeoutSec}`,
            "--output-dir",
            out,
            "--output",
            "executed",
            path.resolve(notebook),
          ],
          { cwd: path.dirname(path.resolve(notebook)), env: { ...process.env, JUPYTER_PLATFORM_DIRS: "1" }, timeoutMs: (timeoutSec + 120) * 1000 },
        );
        if (r.code !== 0) throw new Error(`jupyter nbconvert --execute ${notebook} failed (exit ${r.code}):\n${tail(r.stderr, 40)}`);
        return JSON.parse(readFileSync(path.join(out, "executed.ipynb"), "utf8"));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  };
}

/** Writes a notebook of code cells (nbformat 4) for the tslab kernel. */
export function writeNotebook(file: string, cells: string[]): void {
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: "code", id: `cell-${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(file, JSON.stringify(nb, null, 1));
}
