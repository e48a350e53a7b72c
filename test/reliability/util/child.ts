// Runs test/reliability/util/load-child.ts in child processes. The child is bundled once per
// test process with esbuild (workspace sources inlined, dependencies left external by absolute
// path), which halves its start-up CPU next to `node --import tsx`; tsx is the fallback.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildJob } from "./load-child.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, "../../..");
const CHILD_SOURCE = path.join(here, "load-child.ts");

let command: Promise<string[]> | undefined;

/** The argv (after `node`) that starts the load child. */
export function childCommand(): Promise<string[]> {
  return (command ??= bundle().catch(() => ["--conditions=source", "--import", "tsx", CHILD_SOURCE]));
}

async function bundle(): Promise<string[]> {
  const require = createRequire(path.join(REPO_ROOT, "package.json"));
  const tsxDir = path.dirname(require.resolve("tsx/package.json"));
  const esbuildPath = createRequire(path.join(tsxDir, "package.json")).resolve("esbuild");
  const esbuild = (await import(esbuildPath)) as typeof import("esbuild");
  const out = path.join(mkdtempSync(path.join(tmpdir(), "engine-rel-child-")), "load-child.mjs");
  await esbuild.build({
    entryPoints: [CHILD_SOURCE], bundle: true, platform: "node", format: "esm", target: "node20", outfile: out,
    conditions: ["source"], logLevel: "silent",
    banner: { js: "import { createRequire as __engineCr } from 'node:module'; const require = __engineCr(import.meta.url);" },
    plugins: [{
      name: "external-by-path",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.path.startsWith("@engine/") || args.path.startsWith("node:") || args.pluginData === "inner") return undefined;
          const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: "inner" });
          return r.errors.length > 0 ? undefined : { path: r.path, external: true };
        });
      },
    }],
  });
  if (!existsSync(out)) throw new Error("bundle missing");
  return [out];
}

/** One event line of the child. */
export interface ChildEvent {
  readonly event: "ready" | "result" | "error";
  readonly status?: string;
  readonly source?: string;
  readonly attempts?: number;
  readonly snapshotId?: string;
  readonly loadId?: string;
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
}

/** How a child ended. */
export interface ChildOutcome {
  readonly events: ChildEvent[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly ms: number;
}

/** Starts a load child; `killAfterReadyMs` SIGKILLs it that long after it reports ready. */
export async function runChild(job: ChildJob, options: { killAfterReadyMs?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; withoutFileReadOverride?: boolean } = {}): Promise<ChildOutcome> {
  const argv = await childCommand();
  const t0 = performance.now();
  // Root reads every file whatever its mode; without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH it obeys
  // mode bits on files it does not own the right way, and still reaches everything it owns.
  const [cmd, args] = options.withoutFileReadOverride
    ? ["setpriv", ["--bounding-set", "-dac_override,-dac_read_search", "--", process.execPath, ...argv, JSON.stringify(job)]]
    : [process.execPath, [...argv, JSON.stringify(job)]];
  const child: ChildProcess = spawn(cmd, args, {
    cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env,
    ...(options.uid !== undefined ? { uid: options.uid } : {}), ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  let stdout = "";
  let stderr = "";
  const events: ChildEvent[] = [];
  let buffered = "";
  const timeout = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
    buffered += d.toString();
    let i: number;
    while ((i = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      try {
        const e = JSON.parse(line) as ChildEvent;
        events.push(e);
        if (e.event === "ready" && options.killAfterReadyMs !== undefined) setTimeout(() => child.kill("SIGKILL"), options.killAfterReadyMs);
      } catch { /* not an event */ }
    }
  });
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
  clearTimeout(timeout);
  return { events, signal, code, stderr, stdout, ms: performance.now() - t0 };
}
