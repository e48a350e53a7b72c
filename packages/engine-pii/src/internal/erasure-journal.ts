// The erasure journal: one JSON file per unfinished erasure under `<warehouse>/_engine/erasures/`,
// so that a run killed between the rewrite commit and the expiry is found and finished (or
// reported) by the next one. It holds subject hashes and file paths, never subject values; it is
// deleted when the erasure is verified.

import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** Per-table progress of an erasure. */
export interface JournalTable {
  stage: "planned" | "committed" | "expired";
  snapshotBefore: string | null;
  snapshotsBefore: string[];
  erasureSnapshotId?: string;
  removedPaths: string[];
  filesRewritten: { from: string; to: string | null }[];
  deleteFilesRemoved: string[];
  rowsErased: number;
}

/** One unfinished erasure. */
export interface Journal {
  erasureId: string;
  startedAt: string;
  subjectHashes: string[];
  graceMs: number;
  expireAfter?: string;
  tables: Record<string, JournalTable>;
}

export function journalDir(warehouse: string): string {
  return path.join(warehouse, "_engine", "erasures");
}

export async function readJournals(warehouse: string): Promise<Journal[]> {
  const dir = journalDir(warehouse);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Journal[] = [];
  for (const n of names.filter((x) => x.endsWith(".json")).sort()) {
    try {
      out.push(JSON.parse(await readFile(path.join(dir, n), "utf8")) as Journal);
    } catch {
      // a torn write never happens (rename), but an unreadable file must not stop erasures
    }
  }
  return out;
}

/** Writes the journal atomically (write + rename). */
export async function writeJournal(warehouse: string, journal: Journal): Promise<void> {
  const dir = journalDir(warehouse);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${journal.erasureId}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(journal, null, 2));
  await rename(tmp, file);
}

export async function removeJournal(warehouse: string, erasureId: string): Promise<void> {
  await rm(path.join(journalDir(warehouse), `${erasureId}.json`), { force: true });
}
