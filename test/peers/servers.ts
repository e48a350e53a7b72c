// Installing and starting the long-lived peers (Spark, the Iceberg REST fixture, moto).
//
// Used by the peer broker of test/peers/global-setup.ts (one of each per test run, shared by every
// test file) and, when no broker runs, by test/util/peers.ts directly (one per worker process).
// Every server prints one JSON line `{"url": …}` on stdout once it serves, logs to a file under
// .cache/peers/logs, and exits by itself when its stdin closes — so a crashed test run leaves no
// JVM behind.

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

// The broker URL that global-setup.ts provides to the workers (read by test/util/peers.ts).
declare module "vitest" {
  export interface ProvidedContext {
    enginePeerBroker: string;
  }
}

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the peer scripts install everything (ignored by git). */
export const PEER_CACHE = process.env.ENGINE_PEER_CACHE ?? path.join(REPO_ROOT, ".cache/peers");

/** The peers that run as servers. */
export type ServerPeer = "spark" | "rest-catalog" | "moto";

/** A started server peer. */
export interface RunningServer {
  name: ServerPeer;
  url: string;
  /** Extra facts the tests need (the warehouse directory, credentials…). */
  info: Record<string, string>;
  logFile: string;
  stop(): Promise<void>;
}

/** Names listed in ENGINE_SKIP_PEERS (comma-separated; "all" skips every peer). */
export function skippedPeers(): Set<string> {
  return new Set((process.env.ENGINE_SKIP_PEERS ?? "").split(",").map((s) => s.trim()).filter(Boolean));
}

/** Whether ENGINE_SKIP_PEERS opts out of a peer. */
export function peerSkipped(name: string): boolean {
  const s = skippedPeers();
  return s.has(name) || s.has("all");
}

const installs = new Map<string, Promise<Record<string, string>>>();

/**
 * Runs `scripts/peers/<name>.sh` once per process (idempotent and quick once installed) and
 * returns what it printed: its JSON, or `{ path }` for the scripts that print a bare path.
 */
export function installPeer(name: string): Promise<Record<string, string>> {
  let p = installs.get(name);
  if (!p) {
    p = runInstall(name);
    installs.set(name, p);
    p.catch(() => installs.delete(name));
  }
  return p;
}

async function runInstall(name: string): Promise<Record<string, string>> {
  if (peerSkipped(name)) throw new Error(`peers: ${name} is skipped by ENGINE_SKIP_PEERS=${process.env.ENGINE_SKIP_PEERS}`);
  const script = path.join(REPO_ROOT, "scripts/peers", `${name}.sh`);
  const { code, stdout, stderr } = await run("bash", [script], { timeoutMs: 45 * 60_000 });
  if (code !== 0) {
    throw new Error(`peers: scripts/peers/${name}.sh failed (exit ${code}):\n${tail(stderr, 30)}`);
  }
  const out = stdout.trim();
  if (out.startsWith("{")) return JSON.parse(out) as Record<string, string>;
  return { path: out };
}

/** Runs a command to completion, capturing its output. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          stderr += `\n[killed after ${opts.timeoutMs} ms]`;
          child.kill("SIGKILL");
        }, opts.timeoutMs)
      : undefined;
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`peers: cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

/** The last `n` lines of a text. */
export function tail(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

/** Starts one server peer (installing it first when needed). */
export async function startServer(name: ServerPeer): Promise<RunningServer> {
  switch (name) {
    case "spark": {
      const peer = await installPeer("spark");
      const dir = mkdtempSync(path.join(tmpdir(), "engine-spark-"));
      const warehouse = path.join(dir, "warehouse");
      const server = await spawnServer(
        name,
        peer.python!,
        [peer.server!, "--jar", peer.runtimeJar!, "--warehouse", warehouse],
        { TZ: "UTC", SPARK_LOCAL_IP: "127.0.0.1", PYSPARK_PYTHON: peer.python!, PYTHONUNBUFFERED: "1" },
        dir,
        240_000,
      );
      return { ...server, info: { warehouse, sparkVersion: peer.sparkVersion!, icebergVersion: peer.icebergVersion! }, stop: cleanup(server.stop, dir) };
    }
    case "rest-catalog": {
      const peer = await installPeer("rest-catalog");
      const dir = mkdtempSync(path.join(tmpdir(), "engine-rest-"));
      const warehouse = path.join(dir, "warehouse");
      const server = await spawnServer(
        name,
        peer.java!,
        ["-Xmx512m", "-XX:+UseSerialGC", "-cp", peer.classpath!, peer.mainClass!],
        { CATALOG_WAREHOUSE: warehouse },
        dir,
        120_000,
      );
      // The fixture is up when its config endpoint answers.
      await httpJson("GET", `${server.url}/v1/config`, undefined, 30_000);
      return { ...server, info: { warehouse, icebergVersion: peer.icebergVersion! }, stop: cleanup(server.stop, dir) };
    }
    case "moto": {
      const peer = await installPeer("moto");
      const dir = mkdtempSync(path.join(tmpdir(), "engine-moto-"));
      const server = await spawnServer(
        name,
        peer.python!,
        [peer.server!],
        { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_DEFAULT_REGION: "us-east-1" },
        dir,
        120_000,
      );
      return {
        ...server,
        info: { region: "us-east-1", accessKeyId: "testing", secretAccessKey: "testing", motoVersion: peer.motoVersion! },
        stop: cleanup(server.stop, dir),
      };
    }
  }
}

function cleanup(stop: () => Promise<void>, dir: string): () => Promise<void> {
  return async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

async function spawnServer(
  name: ServerPeer,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  readyTimeoutMs: number,
): Promise<Omit<RunningServer, "info">> {
  const logs = path.join(PEER_CACHE, "logs");
  mkdirSync(logs, { recursive: true });
  pruneLogs(logs);
  const logFile = path.join(logs, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}.log`);
  const logFd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", logFd] });
  } finally {
    closeSync(logFd);
  }
  child.stdin!.on("error", () => {});
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const logTail = () => {
    try {
      return tail(readFileSync(logFile, "utf8"), 25);
    } catch {
      return "";
    }
  };

  let onEarlyExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`peers: ${name} did not start within ${readyTimeoutMs / 1000}s (log ${logFile}):\n${logTail()}`));
    }, readyTimeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`peers: cannot start ${name} (${cmd}): ${e.message}`));
    });
    onEarlyExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`peers: ${name} exited before it was ready (code ${code}, signal ${signal}; log ${logFile}):\n${logTail()}`));
    };
    child.once("exit", onEarlyExit);
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line.startsWith("{")) continue;
        try {
          const msg = JSON.parse(line) as { url?: string };
          if (msg.url) {
            clearTimeout(timer);
            resolve(msg.url);
            return;
          }
        } catch {
          // not our line
        }
      }
    });
  });
  child.off("exit", onEarlyExit!);
  child.stdout!.resume();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end(); // the server exits on stdin EOF …
      child.kill("SIGTERM"); // … or on SIGTERM
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    })());
  return { name, url, logFile, stop };
}

function pruneLogs(dir: string): void {
  const old = Date.now() - 3 * 24 * 3600_000;
  for (const f of readdirSync(dir)) {
    try {
      if (statSync(path.join(dir, f)).mtimeMs < old) rmSync(path.join(dir, f), { force: true });
    } catch {
      // another process pruned it
    }
  }
}

/** A JSON HTTP call with no header timeout (Spark answers can take minutes). */
export function httpJson<T = unknown>(
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  timeoutMs = 600_000,
): Promise<{ status: number; json: T }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        headers: data ? { "content-type": "application/json", "content-length": String(data.length) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ status: res.statusCode ?? 0, json: (text ? JSON.parse(text) : null) as T });
          } catch {
            reject(new Error(`peers: ${method} ${url} answered ${res.statusCode} with non-JSON: ${text.slice(0, 500)}`));
          }
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`peers: ${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(data);
  });
}
