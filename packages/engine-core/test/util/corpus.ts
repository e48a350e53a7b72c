import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sharedDir } from "./tmp.js";

/** The Iceberg conformance corpus beside the repository, if present. */
export const corpusRoot = path.join(sharedDir, "iceberg-corpus");
export const corpusPresent = existsSync(path.join(corpusRoot, "PATHS.json"));

/** One table of PATHS.json. */
export interface CorpusTable {
  readonly name: string;
  readonly tableDir: string;
  readonly originalPrefix: string;
  readonly currentMetadataFile: string;
  readonly currentSnapshotId: string;
  readonly currentSnapshotLiveRows: string;
}

export function corpusTables(): CorpusTable[] {
  return (JSON.parse(readFileSync(path.join(corpusRoot, "PATHS.json"), "utf8")) as { tables: CorpusTable[] }).tables;
}

/** Live row counts per snapshot id from the table's EXPECTED.md (its own section when the file covers several tables). */
export function expectedLiveRows(table: CorpusTable): Map<string, number> {
  const top = table.name.split("/")[0]!;
  const text = readFileSync(path.join(corpusRoot, top, "EXPECTED.md"), "utf8");
  const sections = text.split(/^### Machine-checked facts for /m).slice(1);
  const section = sections.find((s) => s.startsWith(`\`${table.name}\``)) ?? sections[0] ?? text;
  const out = new Map<string, number>();
  for (const line of section.split("\n")) {
    const m = /^\|\s*\d+\s*\|\s*`(\d+)`\s*\|.*\|\s*\*\*(\d+)\*\*\s*\|\s*$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}
