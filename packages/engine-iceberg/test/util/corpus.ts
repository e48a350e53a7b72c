import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the shared material: `$ENGINE_SHARED_DIR`, else `<repo>/../shared`. */
export const SHARED = path.resolve(process.env["ENGINE_SHARED_DIR"] || path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../../../shared"));
/** The Iceberg corpus root. */
export const CORPUS = path.join(SHARED, "iceberg-corpus");
/** The spec reference data root. */
export const SPEC = path.join(SHARED, "iceberg-spec");
/** Whether the corpus is present (tests skip with a message otherwise). */
export const HAVE_CORPUS = existsSync(path.join(CORPUS, "PATHS.json"));
if (!HAVE_CORPUS) console.warn(`[engine-iceberg tests] ${CORPUS} is absent: corpus tests are skipped (set ENGINE_SHARED_DIR to the folder holding iceberg-corpus/)`);

/** One table of PATHS.json. */
export interface CorpusTable {
  name: string;
  tableDir: string;
  originalPrefix: string;
  currentMetadataFile: string;
  currentSnapshotId: string;
  currentSnapshotLiveRows: string;
  formatVersion: number;
  missingInOrigin: string[];
}

/** The tables of PATHS.json (empty when absent). */
export function corpusTables(): CorpusTable[] {
  if (!HAVE_CORPUS) return [];
  return (JSON.parse(readFileSync(path.join(CORPUS, "PATHS.json"), "utf8")) as { tables: CorpusTable[] }).tables;
}

/** The PATHS.json remapping rule for a table. */
export function remapperFor(t: CorpusTable): (p: string) => string {
  const root = path.join(CORPUS, t.tableDir) + "/";
  return (p) => (p.startsWith(t.originalPrefix) ? root + p.slice(t.originalPrefix.length) : p);
}

/** The absolute path of a table's current metadata file. */
export function metadataPath(t: CorpusTable): string {
  return path.join(CORPUS, t.tableDir, t.currentMetadataFile);
}
