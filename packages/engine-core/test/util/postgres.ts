import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./tmp.js";

/** A throwaway PostgreSQL cluster started by scripts/peers/postgres-start.sh. */
export interface PostgresPeer {
  readonly url: string;
  readonly port: number;
  stop(): void;
}

/** Installs (if needed) and starts PostgreSQL on 127.0.0.1 on a free port. */
export function startPostgres(): PostgresPeer {
  const parent = mkdtempSync(path.join(tmpdir(), "engine-pg-peer-"));
  rmSync(parent, { recursive: true, force: true });
  const script = path.join(repoRoot, "scripts", "peers", "postgres-start.sh");
  const out = execFileSync("bash", [script, parent], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 });
  const info = JSON.parse(out.trim().split("\n").pop()!) as { url: string; port: string };
  return {
    url: info.url,
    port: Number(info.port),
    stop: () => { execFileSync("bash", [script, "--stop", parent], { stdio: "ignore" }); },
  };
}
