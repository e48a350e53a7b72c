// Small, deterministic inputs for the reliability tests: CSV batches and the specs that load them.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Mode = "append" | "overwrite" | "replace-partitions" | "merge";
export const MODES: readonly Mode[] = ["append", "overwrite", "replace-partitions", "merge"];

/** One row of a batch. */
export interface Row { id: number; region: string; amount: number; note: string }

const REGIONS = ["eu", "us", "apac", "latam"];

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Batch `n` of a lane: 5–40 rows with unique ids in a window that overlaps earlier batches (so
 * merges update), regions drawn from a subset (so replace-partitions keeps some partitions),
 * notes with commas, quotes and newlines (so the CSV reader is exercised).
 */
export function batchRows(seed: number, n: number): Row[] {
  const r = rng(seed * 1000 + n);
  const count = 5 + Math.floor(r() * 36);
  const regions = REGIONS.filter(() => r() < 0.6);
  if (regions.length === 0) regions.push(REGIONS[n % REGIONS.length]!);
  const ids = new Set<number>();
  while (ids.size < count) ids.add(Math.floor(r() * 120));
  return [...ids].map((id) => ({
    id,
    region: regions[id % regions.length]!,
    amount: Math.floor(r() * 1e6) - 5e5,
    note: ["plain", "with, comma", 'with "quote"', "multi\nline", ""][Math.floor(r() * 5)]! + ` b${n}`,
  }));
}

/** A CSV cell, quoted when needed (RFC 4180). */
export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes rows as a CSV file with a header. */
export function writeCsv(file: string, rows: readonly Row[]): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, ["id,region,amount,note", ...rows.map((x) => [x.id, x.region, x.amount, x.note].map(csvCell).join(","))].join("\n") + "\n");
  return file;
}

/** A spec loading `ns.name` from CSV with the given write mode (partitioned by region). */
export function specYaml(table: string, mode: Mode, source: string, extra = ""): string {
  return [
    `table: ${table}`,
    `source: { format: csv, path: ${JSON.stringify(source)}, options: { header: true } }`,
    "columns:",
    "  - { name: id, type: long, required: true }",
    "  - { name: region, type: string }",
    "  - { name: amount, type: long }",
    "  - { name: note, type: string }",
    ...(mode === "merge" ? ["key: [id]"] : []),
    "partition: [region]",
    `write: { mode: ${mode} }`,
    "validate:",
    "  - { notNull: [id] }",
    extra,
  ].join("\n") + "\n";
}

/** Writes a spec file and returns its path. */
export function writeSpec(file: string, yaml: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, yaml);
  return file;
}
