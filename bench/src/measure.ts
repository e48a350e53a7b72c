// Runs one case in its own child process and measures it from outside: wall time, the peak RSS
// of the largest process (GNU time's %M, i.e. getrusage of the children) and the peak of the
// summed RSS of the whole process tree sampled from /proc (Python + the JVM it starts count
// together). The case writes its own figures (operation time, files, …) as JSON to $BENCH_OUT.

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** What the runner knows about one case run. */
export interface Measured {
  readonly name: string;
  readonly ok: boolean;
  /** Wall time of the child process, start to exit (interpreter / JVM start-up included). */
  readonly processMs: number;
  /** Max RSS of the largest single process of the tree (GNU time %M). */
  readonly maxRssBytes: number;
  /** Peak of the summed RSS of the process tree, sampled every 100 ms. */
  readonly treeRssBytes: number;
  /** User + system CPU time of the child and its waited-for descendants (GNU time %U + %S). */
  readonly cpuMs: number;
  /** What the case reported (its own timings and counts); absent when it failed. */
  readonly report?: Record<string, unknown>;
  readonly error?: string;
}

const PAGE = 4096;

/** Runs `command args` with GNU time and a /proc sampler; the child's JSON report comes back in `report`. */
export async function measure(name: string, command: string, args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; log?: (s: string) => void } = {}): Promise<Measured> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const out = path.join(tmp, "report.json");
  const timeFile = path.join(tmp, "time.txt");
  const started = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "%M %e %U %S", "-o", timeFile, command, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env, BENCH_OUT: out },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => { options.log?.(d.toString()); });
  child.stderr.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); options.log?.(d.toString()); });
  let treePeak = 0;
  const sampler = setInterval(() => { treePeak = Math.max(treePeak, treeRss(child.pid!)); }, 100);
  const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  clearInterval(sampler);
  if (timer) clearTimeout(timer);
  const processMs = performance.now() - started;
  let maxRssBytes = 0;
  let cpuMs = 0;
  try {
    // The last line is "%M %e %U %S" (earlier lines may say the command exited non-zero).
    const [rssKb, , user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(/\s+/).map(Number);
    maxRssBytes = (rssKb ?? 0) * 1024;
    cpuMs = ((user ?? 0) + (sys ?? 0)) * 1000;
  } catch { /* killed */ }
  let report: Record<string, unknown> | undefined;
  try { report = JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>; } catch { /* failed before reporting */ }
  rmSync(tmp, { recursive: true, force: true });
  const ok = code === 0 && report !== undefined;
  return {
    name, ok, processMs, maxRssBytes, treeRssBytes: Math.max(treePeak, maxRssBytes), cpuMs,
    ...(report ? { report } : {}),
    ...(ok ? {} : { error: `exit ${code}: ${stderr.trim().split("\n").slice(-8).join("\n")}` }),
  };
}

/** Summed RSS of `root` and all its descendants, from /proc. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  let entries: string[];
  try { entries = readdirSync("/proc"); } catch { return 0; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(e);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * PAGE);
      const list = children.get(ppid) ?? [];
      list.push(pid);
      children.set(ppid, list);
    } catch { /* gone */ }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Writes a case's report where the runner expects it. */
export function reportCase(report: Record<string, unknown>): void {
  const out = process.env["BENCH_OUT"];
  const text = JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
  if (out) writeFileSync(out, text);
  else process.stdout.write(`${text}\n`);
}
