// What a test can see of a table on disk: its rows through Engine, the files its metadata
// references, the files actually under its location, and an orphan sweep.

import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { referencedFiles, removeOrphanFiles, type Table } from "@engine/iceberg";
import type { Engine } from "@engine/core";
import { canonical } from "./expected.js";

/** Every file under a folder (absolute paths). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Rows of `ns.name` in the canonical form of expected.ts, or [] when the table does not exist. */
export async function tableRows(engine: Engine, name: string): Promise<string[]> {
  const [ns, t] = name.split(".") as [string, string];
  if (!(await engine.catalog.tableExists({ namespace: [ns], name: t }))) return [];
  const r = await engine.query(`SELECT id, region, amount, note FROM ${name}`);
  return canonical(r.rows());
}

/** Files the table references that are missing on disk (a half-written commit would show here). */
export async function missingReferenced(table: Table): Promise<string[]> {
  const refs = await referencedFiles(table);
  return [...refs].filter((p) => !p.endsWith("/version-hint.text") && !existsSync(p));
}

/** Removes every orphan (no age threshold); returns what was removed and what is left unreferenced. */
export async function sweepOrphans(table: Table): Promise<{ removed: readonly string[]; leftover: string[] }> {
  const { orphanFiles } = await removeOrphanFiles(table, { olderThanMs: Date.now() + 3_600_000 });
  const refs = await referencedFiles(await table.refresh());
  const local = (p: string): string => path.resolve(p.replace(/^file:\/\//, ""));
  const leftover = filesUnder(local(table.metadata.location)).filter((f) => !refs.has(f) && !refs.has(local(f)));
  return { removed: orphanFiles, leftover };
}

/** Unreferenced files under a table location, without deleting anything. */
export async function orphansOf(table: Table): Promise<readonly string[]> {
  return (await removeOrphanFiles(await table.refresh(), { olderThanMs: Date.now() + 3_600_000, dryRun: true })).orphanFiles;
}

/** Modification time of a file in ms (for fingerprint tests). */
export const mtimeOf = (f: string): number => statSync(f).mtimeMs;

/** Where a location is, as referencedFiles spells it: the local path, or the URL (s3a/s3n as s3). */
const spelled = (table: Table, location: string): string => table.io.localPath(location) ?? location.replace(/^s3[an]:\/\//, "s3://");

/** Referenced files the table's FileIO cannot find (S3 or local; the version hint is advisory). */
export async function missingObjects(table: Table): Promise<string[]> {
  const missing: string[] = [];
  for (const p of await referencedFiles(table)) {
    if (!p.endsWith("/version-hint.text") && !(await table.io.newInputFile(p).exists())) missing.push(p);
  }
  return missing;
}

/** Every object (or file) under a prefix, listed through the table's FileIO. */
export async function objectsUnder(table: Table, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of table.io.list(prefix)) out.push(spelled(table, f.location));
  return out.sort();
}

/**
 * Removes every orphan of the table (no age threshold), then lists `prefix` (the table location
 * or a whole warehouse prefix) through the table's FileIO: `leftover` is what is there and not
 * referenced by the table's metadata.
 */
export async function sweepObjects(table: Table, prefix = table.metadata.location): Promise<{ removed: readonly string[]; leftover: string[] }> {
  const { orphanFiles } = await removeOrphanFiles(table, { olderThanMs: Date.now() + 3_600_000 });
  const fresh = await table.refresh();
  const refs = await referencedFiles(fresh);
  return { removed: orphanFiles, leftover: (await objectsUnder(fresh, prefix)).filter((f) => !refs.has(f)) };
}
