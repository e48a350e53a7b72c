// The spill folders an Engine makes for DuckDB under the OS temp folder. `close` removes its
// own; a process killed mid-load cannot, so each folder carries its process id and the next
// Engine to open removes those whose process is gone.

import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Folder name prefix: `engine-duckdb-<pid>-<random>`. */
const PREFIX = "engine-duckdb-";

/** Makes this process's spill folder under `root` (default: the OS temp folder). */
export function makeSpillFolder(root: string = tmpdir()): string {
  return mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
}

/**
 * Removes the spill folders under `root` whose process no longer runs and that belong to this
 * user; returns their paths. A folder whose process is alive (or whose owner we cannot tell)
 * is left alone, so a reused process id only delays a removal. Errors are swallowed: sweeping
 * is housekeeping and must never fail an open.
 */
export function sweepDeadSpillFolders(root: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^engine-duckdb-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const folder = path.join(root, name);
    try {
      const st = statSync(folder);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/** True when a process with this id exists (EPERM: it exists but is another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
