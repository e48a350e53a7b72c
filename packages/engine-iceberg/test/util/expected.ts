import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CORPUS, type CorpusTable } from "./corpus.js";

/** One row of an EXPECTED.md snapshot table. */
export interface ExpectedSnapshot {
  snapshotId: bigint;
  parent: bigint | undefined;
  seq: bigint;
  timestampMs: bigint;
  schemaId: number | undefined;
  operation: string;
  /** Undefined when the origin cannot be read (missing manifest list). */
  liveRows: bigint | undefined;
}

/** One row of an EXPECTED.md "Files live in the current snapshot" table. */
export interface ExpectedFile {
  kind: "data" | "position-deletes" | "equality-deletes";
  equalityIds: number[] | undefined;
  file: string;
  dataSeq: bigint;
  spec: number;
  partition: Record<string, unknown>;
  recordCount: bigint;
  surviving: bigint | undefined;
}

/** Facts of one table section of an EXPECTED.md. */
export interface ExpectedFacts {
  snapshots: ExpectedSnapshot[];
  currentFiles: ExpectedFile[];
}

const cells = (line: string): string[] => line.split("|").slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, "").replace(/^\*\*|\*\*$/g, ""));

/** Parses the machine-checked facts of a corpus table from the EXPECTED.md next to it (first section matching its name). */
export function expectedFacts(t: CorpusTable): ExpectedFacts {
  const dir = t.tableDir.split("/")[0]!;
  const text = readFileSync(path.join(CORPUS, dir, "EXPECTED.md"), "utf8");
  const start = text.indexOf(`### Machine-checked facts for \`${t.name}\``);
  if (start < 0) throw new Error(`EXPECTED.md of ${t.name}: no machine-checked section`);
  const next = text.indexOf("### Machine-checked facts for", start + 10);
  const section = text.slice(start, next < 0 ? undefined : next);
  const lines = section.split("\n");
  const snapshots: ExpectedSnapshot[] = [];
  const currentFiles: ExpectedFile[] = [];
  let mode: "none" | "snap" | "files" = "none";
  for (const line of lines) {
    if (line.startsWith("#### Snapshots")) mode = "snap";
    else if (line.startsWith("#### Files live")) mode = "files";
    else if (line.startsWith("####")) mode = "none";
    if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| #") || line.startsWith("| kind")) continue;
    const c = cells(line);
    if (mode === "snap") {
      snapshots.push({
        snapshotId: BigInt(c[1]!), parent: c[2] === "-" ? undefined : BigInt(c[2]!), seq: c[3] === "-" ? 0n : BigInt(c[3]!),
        timestampMs: BigInt(c[4]!), schemaId: c[6] === "-" ? undefined : Number(c[6]), operation: c[7]!, liveRows: /^\d+$/.test(c[9]!) ? BigInt(c[9]!) : undefined,
      });
    } else if (mode === "files") {
      const kindCell = c[0]!;
      const kind = kindCell.startsWith("data") ? "data" : kindCell.startsWith("position") ? "position-deletes" : "equality-deletes";
      const eq = /equality_ids=\[([^\]]*)\]/.exec(kindCell);
      currentFiles.push({
        kind, equalityIds: eq ? eq[1]!.split(",").map((x) => Number(x.trim())) : undefined,
        file: c[1]!, dataSeq: c[2] === "-" ? 0n : BigInt(c[2]!), spec: Number(c[3]), partition: JSON.parse(c[4]!) as Record<string, unknown>,
        recordCount: BigInt(c[5]!), surviving: c[6] === "-" ? undefined : BigInt(c[6]!),
      });
    }
  }
  return { snapshots, currentFiles };
}
