import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FileContent, Table, eq, gtEq } from "../src/index.js";
import { corpusTables, HAVE_CORPUS, metadataPath, remapperFor, type CorpusTable } from "./util/corpus.js";
import { expectedFacts } from "./util/expected.js";

const base = (p: string): string => p.split("/").pop()!;
const open = (t: CorpusTable): Promise<Table> => Table.fromMetadataFile(metadataPath(t), { remap: remapperFor(t) });

describe.skipIf(!HAVE_CORPUS)("Table.newScan on the corpus", () => {
  for (const t of corpusTables()) {
    describe(t.name, () => {
      const facts = expectedFacts(t);

      it("opens the current metadata with the stated format version and current snapshot", async () => {
        const table = await open(t);
        expect(table.metadata.formatVersion).toBe(t.formatVersion);
        expect(table.currentSnapshot()?.snapshotId).toBe(BigInt(t.currentSnapshotId));
        expect(table.snapshots().map((s) => s.snapshotId)).toEqual(facts.snapshots.map((s) => s.snapshotId));
      });

      it("reads every snapshot's parent, sequence number, timestamp and schema id exactly", async () => {
        const table = await open(t);
        for (const f of facts.snapshots) {
          const s = table.snapshot(f.snapshotId)!;
          expect(s.parentSnapshotId).toBe(f.parent);
          expect(s.sequenceNumber).toBe(f.seq);
          expect(s.timestampMs).toBe(f.timestampMs);
          expect(s.summary.operation).toBe(f.operation);
          if (f.schemaId !== undefined) expect(s.schemaId ?? 0).toBe(f.schemaId);
        }
      });

      it("plans every snapshot: without deletes the record counts add up to the live rows", async () => {
        const table = await open(t);
        const missing = new Set(t.missingInOrigin);
        for (const f of facts.snapshots) {
          const snap = table.snapshot(f.snapshotId)!;
          if (snap.manifestList && missing.has(snap.manifestList)) {
            await expect(table.newScan({ snapshotId: f.snapshotId }).planFiles()).rejects.toThrow(/ENOENT|no such file/);
            continue;
          }
          const tasks = await table.newScan({ snapshotId: f.snapshotId }).planFiles();
          const rows = tasks.reduce((a, x) => a + x.file.recordCount, 0n);
          const withDeletes = tasks.some((x) => x.deletes.length > 0);
          if (withDeletes) expect(rows).toBeGreaterThanOrEqual(f.liveRows!);
          else expect(rows).toBe(f.liveRows);
          for (const task of tasks) expect(task.file.content).toBe(FileContent.Data);
        }
      });

      it("plans the current snapshot's data files with their sequence numbers, partitions, counts and deletes", async () => {
        const table = await open(t);
        const tasks = await table.newScan().planFiles();
        const dataFacts = facts.currentFiles.filter((f) => f.kind === "data");
        expect(tasks.map((x) => base(x.file.filePath)).sort()).toEqual(dataFacts.map((f) => f.file).sort());
        const deleteFacts = new Map(facts.currentFiles.filter((f) => f.kind !== "data").map((f) => [f.file, f]));
        for (const task of tasks) {
          const fact = dataFacts.find((f) => f.file === base(task.file.filePath))!;
          expect(task.dataSequenceNumber).toBe(fact.dataSeq);
          expect(task.file.specId).toBe(fact.spec);
          expect(task.spec.specId).toBe(fact.spec);
          expect(task.file.recordCount).toBe(fact.recordCount);
          const named = Object.fromEntries(task.spec.fields.map((pf, i) => {
            const v = task.file.partition[i];
            return [pf.name, typeof v === "bigint" ? Number(v) : v];
          }));
          expect(named).toEqual(fact.partition);
          // Paths are remapped into the corpus folder.
          expect(task.file.filePath.startsWith(path.join(metadataPath(t), "../.."))).toBe(true);
          if (fact.surviving !== undefined && fact.surviving < fact.recordCount) expect(task.deletes.length).toBeGreaterThan(0);
          for (const d of task.deletes) {
            const df = deleteFacts.get(base(d.file.filePath));
            expect(df, `delete file ${base(d.file.filePath)} is listed`).toBeDefined();
            expect(d.dataSequenceNumber).toBe(df!.dataSeq);
            // Spec: equality deletes need a strictly greater sequence number, position deletes >=.
            if (df!.kind === "equality-deletes") {
              expect(d.dataSequenceNumber).toBeGreaterThan(task.dataSequenceNumber);
              expect(d.file.content).toBe(FileContent.EqualityDeletes);
              expect([...(d.file.equalityIds ?? [])]).toEqual(df!.equalityIds);
            } else {
              expect(d.dataSequenceNumber).toBeGreaterThanOrEqual(task.dataSequenceNumber);
              expect(d.file.content).toBe(FileContent.PositionDeletes);
            }
            expect(d.file.recordCount).toBe(df!.recordCount);
          }
        }
      });
    });
  }
});

describe.skipIf(!HAVE_CORPUS)("Table (corpus specifics)", () => {
  const byName = (n: string): CorpusTable => corpusTables().find((t) => t.name === n)!;

  it("keeps an equality delete from removing the row re-inserted at the same sequence number (java-bunnies)", async () => {
    const tasks = await (await open(byName("java-bunnies-pos-eq-deletes"))).newScan().planFiles();
    const reinserted = tasks.find((x) => base(x.file.filePath) === "bunnies-updated-new-zealand.parquet")!;
    expect(reinserted.deletes).toEqual([]);
    const initial = tasks.find((x) => base(x.file.filePath) === "bunnies-initial.parquet")!;
    expect(initial.deletes.map((d) => base(d.file.filePath)).sort()).toEqual(["bunnies-eq-delete-new-zealand.parquet", "bunnies-pos-deletes.parquet"]);
  });

  it("scopes equality deletes to their partition (mytable_partitioned)", async () => {
    const tasks = await (await open(byName("java-equality-deletes/mytable_partitioned"))).newScan().planFiles();
    for (const task of tasks) for (const d of task.deletes) expect(d.file.partition).toEqual(task.file.partition);
  });

  it("time-travels by timestamp and rejects unknown snapshots (spark-lineitem-v2-cow)", async () => {
    const table = await open(byName("spark-lineitem-v2-cow"));
    const [first, second] = expectedFacts(byName("spark-lineitem-v2-cow")).snapshots;
    expect(table.snapshotAsOf(first!.timestampMs).snapshotId).toBe(first!.snapshotId);
    expect(table.snapshotAsOf(second!.timestampMs - 1n).snapshotId).toBe(first!.snapshotId);
    expect(table.snapshotAsOf(second!.timestampMs + 1000n).snapshotId).toBe(second!.snapshotId);
    expect(() => table.snapshotAsOf(first!.timestampMs - 1n)).toThrow(/no|none/i);
    const rows = (await table.newScan({ asOfTimestampMs: first!.timestampMs }).planFiles()).reduce((a, x) => a + x.file.recordCount, 0n);
    expect(rows).toBe(first!.liveRows);
    expect(() => table.newScan({ snapshotId: 1n })).toThrow(/snapshot 1/);
  });

  it("prunes by identity and day partitions through the file's own spec (spark-partition-evolution)", async () => {
    const t = byName("spark-partition-evolution");
    const table = await open(t);
    const facts = expectedFacts(t).currentFiles;
    // 19725 days since epoch = 2024-01-03; event_date is an identity partition in both specs.
    const tasks = await table.newScan({ filter: eq("event_date", "2024-01-03") }).planFiles();
    const expected = facts.filter((f) => f.partition["event_date"] === 19725).map((f) => f.file).sort();
    expect(expected.length).toBe(2);
    expect(tasks.map((x) => base(x.file.filePath)).sort()).toEqual(expected);
  });

  it("prunes day-partitioned files outside a timestamp predicate (pyiceberg-day-transform-map)", async () => {
    const t = byName("pyiceberg-day-transform-map");
    const table = await open(t);
    const facts = expectedFacts(t).currentFiles;
    const source = table.schema().fields.find((f) => f.id === table.spec().fields[0]!.sourceId)!;
    // 20455 days since epoch = 2026-01-02.
    const tasks = await table.newScan({ filter: gtEq(source.name, "2026-01-02T00:00:00+00:00") }).planFiles();
    expect(tasks.map((x) => base(x.file.filePath))).toEqual(facts.filter((f) => f.partition["_day"] === 20455).map((f) => f.file));
  });
});
