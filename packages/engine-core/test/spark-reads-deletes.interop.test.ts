// Delete files WE write and commit with RowDelta (merge-on-read, format v2) are read by Spark
// (vectorized and row-based Parquet readers), listed by Spark's metadata tables with the right
// content, counts, sequence numbers and summaries, read by PyIceberg (position deletes; it refuses
// equality deletes), and survive Spark's own rewrite procedures. The expected rows are computed by
// plain DuckDB from the input rows minus the deleted keys, never from what Engine reads.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { FileContent, toLocalPath, type DataFile, type PrimitiveType, type Table } from "@engine/iceberg";
import { peerSkipped, runPython, sparkPeer, tempDir, uniqueName, type SparkPeer } from "../../../test/util/peers.js";
import { plainDuckDb } from "./util/interop.js";
import { POSITION_DELETE_COLUMNS, writeContentFile, type ContentColumn } from "./util/content-files.js";

const skip = peerSkipped("spark") || peerSkipped("python");

/** Rows deleted by position: eu rows spread over both loads' files, us rows of the first load's file only. */
const POS_EU = [2, 4, 44, 50];
const POS_US = [7, 9, 21];
/** Equality-deleted ids (us partition): 7 is already position-deleted, 999 matches nothing, 12 lives in eu and must stay. */
const EQ_US = [7, 11, 13, 61, 999, 12];
/** Rows re-adding deleted keys: in the equality delete's own snapshot, and in a later one. Both must stay. */
const SAME_SNAPSHOT_ROW = { id: 11, name: "same-snapshot", region: "us" };
const LATER_ROW = { id: 13, name: "later", region: "us" };

const INPUT_SQL = (lo: number, hi: number): string =>
  `SELECT i::BIGINT AS id, 'n' || i AS name, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END AS region FROM range(${lo}, ${hi}) t(i)`;
const list = (xs: readonly number[]): string => xs.join(", ");
const key = (r: Record<string, unknown>): string => `${String(r.id)}|${String(r.name)}|${String(r.region)}`;
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

describe.skipIf(skip)("Spark and PyIceberg read the delete files Engine commits", () => {
  let spark: SparkPeer;
  let engine: Engine;
  let dir: string;
  const ns = uniqueName("srd");
  const T = `${ns}.events`;
  const ST = `local.${ns}.events`;
  let inputs: string[];
  /** Snapshot ids: after the position deletes, after the equality deletes, after the later append. */
  let posSnap: string, eqSnap: string;
  const deleteFiles: Record<"eu" | "us" | "eq", DataFile> = {} as never;
  let sameSnapshotFile: DataFile;
  /** The data files the position deletes were written against. */
  let originalFiles: string[];

  /** What DuckDB says the table holds, from the inputs and the deleted keys alone. */
  async function expected(stage: "pos" | "eq" | "final"): Promise<string[]> {
    const extra = stage === "pos" ? [] : stage === "eq" ? [SAME_SNAPSHOT_ROW] : [SAME_SNAPSHOT_ROW, LATER_ROW];
    const rows = await plainDuckDb(`SELECT id::VARCHAR AS id, name, region FROM read_parquet([${inputs.map((p) => `'${p}'`).join(", ")}])
      WHERE id NOT IN (${list([...POS_EU, ...POS_US])})
        ${stage === "pos" ? "" : `AND NOT (region = 'us' AND id IN (${list(EQ_US)}))`}
      ${extra.map((r) => `UNION ALL SELECT '${r.id}', '${r.name}', '${r.region}'`).join(" ")}`);
    return sorted(rows.map(key));
  }

  /** Spark's rows through the Iceberg DataFrame reader, with or without the vectorized Parquet reader. */
  async function sparkRows(opts: { snapshotId?: string; vectorized: boolean }): Promise<string[]> {
    return spark.run<string[]>(
      `r = spark.read.format("iceberg").option("vectorization-enabled", args["vec"])
if args["snap"] is not None: r = r.option("snapshot-id", args["snap"])
result = sorted(f"{x['id']}|{x['name']}|{x['region']}" for x in r.load(args["table"]).collect())`,
      { table: ST, vec: String(opts.vectorized), snap: opts.snapshotId ?? null },
    );
  }

  async function engineRows(snapshotId?: string): Promise<string[]> {
    const r = await engine.query(`SELECT id, name, region FROM ${T}`, snapshotId ? { asOf: { [T]: BigInt(snapshotId) } } : {});
    return sorted(r.rows().map(key));
  }

  /** Spark's totals in the current snapshot's summary agree with the files its metadata tables list. */
  async function expectTotalsMatchFiles(): Promise<void> {
    const [files] = await spark.query(`SELECT
        count_if(content = 0) AS data_files, CAST(sum(IF(content = 0, record_count, 0)) AS BIGINT) AS records,
        count_if(content > 0) AS delete_files,
        CAST(coalesce(sum(IF(content = 1, record_count, 0)), 0) AS BIGINT) AS pos, CAST(coalesce(sum(IF(content = 2, record_count, 0)), 0) AS BIGINT) AS eq
      FROM ${ST}.files`);
    const [snap] = await spark.query(`SELECT summary FROM ${ST}.snapshots ORDER BY committed_at DESC LIMIT 1`);
    const summary = snap!.summary as Record<string, string>;
    expect({
      "total-data-files": summary["total-data-files"], "total-records": summary["total-records"], "total-delete-files": summary["total-delete-files"],
      "total-position-deletes": summary["total-position-deletes"], "total-equality-deletes": summary["total-equality-deletes"],
    }).toEqual({
      "total-data-files": String(files!.data_files), "total-records": String(files!.records), "total-delete-files": String(files!.delete_files),
      "total-position-deletes": String(files!.pos), "total-equality-deletes": String(files!.eq),
    });
  }

  beforeAll(async () => {
    spark = await sparkPeer();
    dir = tempDir("engine-srd-");
    // Engine's warehouse IS Spark's Hadoop catalog warehouse: local.<ns>.events is our table.
    engine = await Engine.open({ warehouse: spark.warehouse });
    inputs = [path.join(dir, "in1.parquet"), path.join(dir, "in2.parquet")];
    await plainDuckDb(`COPY (${INPUT_SQL(1, 41)}) TO '${inputs[0]}' (FORMAT parquet)`, `COPY (${INPUT_SQL(41, 81)}) TO '${inputs[1]}' (FORMAT parquet)`);
    const columns = [{ name: "id", type: "long", required: true }, { name: "name", type: "string" }, { name: "region", type: "string" }];
    for (const input of inputs) {
      await engine.load({ table: T, source: { format: "parquet", path: input }, columns, partition: ["region"], write: { mode: "append" } });
    }
    let table: Table = await engine.openTable(T);
    expect(table.metadata.formatVersion).toBe(2);
    const spec = table.spec();
    const schema = table.schema();
    const column = (name: string): ContentColumn => {
      const f = schema.fields.find((x) => x.name === name)!;
      return { name, id: f.id, type: f.type as PrimitiveType };
    };
    const tasks = await table.newScan().planFiles();
    const files = (region: string): DataFile[] => tasks.map((t) => t.file).filter((f) => f.partition[0] === region);
    expect(files("eu").length).toBeGreaterThanOrEqual(2);
    expect(files("us").length).toBeGreaterThanOrEqual(2);
    originalFiles = tasks.map((t) => t.file.filePath);

    // Snapshot: position deletes. The rows' positions come from DuckDB's file_row_number of each data file.
    const positions = async (region: string, ids: readonly number[]): Promise<{ file: string; pos: number }[]> => {
      const out: { file: string; pos: number }[] = [];
      for (const f of files(region)) {
        const rows = await plainDuckDb(`SELECT file_row_number::INTEGER AS pos FROM read_parquet('${toLocalPath(f.filePath)}', file_row_number = true) WHERE id IN (${list(ids)})`);
        out.push(...rows.map((r) => ({ file: f.filePath, pos: Number(r.pos) })));
      }
      expect(out).toHaveLength(ids.length);
      return out;
    };
    const posFile = async (region: "eu" | "us", ids: readonly number[]): Promise<DataFile> => {
      const hits = await positions(region, ids);
      const targets = [...new Set(hits.map((h) => h.file))];
      const rows = hits.map((h) => `('${h.file}', ${h.pos}::BIGINT)`).join(", ");
      return writeContentFile({
        content: FileContent.PositionDeletes,
        location: `${table.location()}/data/region=${region}/pos-deletes-${region}.parquet`,
        // Spec: position delete rows are sorted by file_path, then pos.
        select: `SELECT file_path, pos FROM (VALUES ${rows}) AS t(file_path, pos) ORDER BY file_path, pos`,
        columns: POSITION_DELETE_COLUMNS,
        specId: spec.specId,
        partition: [region],
        ...(targets.length === 1 ? { referencedDataFile: targets[0]! } : {}),
      });
    };
    deleteFiles.eu = await posFile("eu", POS_EU);
    deleteFiles.us = await posFile("us", POS_US);
    expect(deleteFiles.eu.referencedDataFile).toBeUndefined(); // spans two data files
    expect(deleteFiles.us.referencedDataFile).toBeDefined();
    table = await table.newRowDelta().addDeletes(deleteFiles.eu).addDeletes(deleteFiles.us)
      .validateDataFilesExist(tasks.map((t) => t.file.filePath)).commit();
    posSnap = table.currentSnapshot()!.snapshotId.toString();

    // Snapshot: equality deletes on id in the us partition, plus a data file re-adding a deleted id.
    deleteFiles.eq = await writeContentFile({
      content: FileContent.EqualityDeletes,
      location: `${table.location()}/data/region=us/eq-deletes-us.parquet`,
      select: `SELECT i::BIGINT AS id FROM (VALUES ${EQ_US.map((i) => `(${i})`).join(", ")}) AS t(i) ORDER BY id`,
      columns: [column("id")],
      specId: spec.specId,
      partition: ["us"],
      equalityIds: [column("id").id],
    });
    sameSnapshotFile = await writeContentFile({
      content: FileContent.Data,
      location: `${table.location()}/data/region=us/same-snapshot.parquet`,
      select: `SELECT ${SAME_SNAPSHOT_ROW.id}::BIGINT AS id, '${SAME_SNAPSHOT_ROW.name}' AS name, '${SAME_SNAPSHOT_ROW.region}' AS region`,
      columns: [column("id"), column("name"), column("region")],
      specId: spec.specId,
      partition: ["us"],
    });
    table = await table.newRowDelta().addDeletes(deleteFiles.eq).addRows(sameSnapshotFile).commit();
    eqSnap = table.currentSnapshot()!.snapshotId.toString();

    // A later snapshot re-adding another equality-deleted id.
    const later = path.join(dir, "later.parquet");
    await plainDuckDb(`COPY (SELECT ${LATER_ROW.id}::BIGINT AS id, '${LATER_ROW.name}' AS name, '${LATER_ROW.region}' AS region) TO '${later}' (FORMAT parquet)`);
    await engine.load({ table: T, source: { format: "parquet", path: later }, columns, partition: ["region"], write: { mode: "append" } });
  });
  afterAll(() => engine?.close());

  it("Spark reads exactly the rows left after the position deletes (vectorized and row-based)", async () => {
    const want = await expected("pos");
    expect(want).toHaveLength(80 - POS_EU.length - POS_US.length);
    expect(await sparkRows({ snapshotId: posSnap, vectorized: true })).toEqual(want);
    expect(await sparkRows({ snapshotId: posSnap, vectorized: false })).toEqual(want);
  });

  it("Spark applies equality deletes only to older data in the same partition", async () => {
    const atEq = await expected("eq");
    const final = await expected("final");
    expect(final).toContain("11|same-snapshot|us");
    expect(final).toContain("13|later|us");
    expect(final).toContain("12|n12|eu");
    expect(final).not.toContain("11|n11|us");
    expect(await sparkRows({ snapshotId: eqSnap, vectorized: true })).toEqual(atEq);
    expect(await sparkRows({ snapshotId: eqSnap, vectorized: false })).toEqual(atEq);
    expect(await sparkRows({ vectorized: true })).toEqual(final);
    expect(await sparkRows({ vectorized: false })).toEqual(final);
    // And through SQL, which plans the scan on its own.
    expect(sorted((await spark.query(`SELECT id, name, region FROM ${ST}`)).map(key))).toEqual(final);
  });

  it("Spark's delete_files, entries and manifests tables list the delete files with their content, counts and sequence numbers", async () => {
    const del = await spark.query(`SELECT content, file_path, record_count, partition.region AS region, spec_id, equality_ids, referenced_data_file FROM ${ST}.delete_files`);
    const table = await engine.openTable(T);
    const idField = table.schema().fields.find((f) => f.name === "id")!.id;
    const specId = table.spec().specId;
    expect(sorted(del.map((r) => JSON.stringify([r.content, r.file_path, r.record_count, r.region, r.spec_id, r.equality_ids, r.referenced_data_file])))).toEqual(sorted([
      JSON.stringify([1, deleteFiles.eu.filePath, String(POS_EU.length), "eu", specId, null, null]),
      JSON.stringify([1, deleteFiles.us.filePath, String(POS_US.length), "us", specId, null, deleteFiles.us.referencedDataFile]),
      JSON.stringify([2, deleteFiles.eq.filePath, String(EQ_US.length), "us", specId, [idField], null]),
    ]));

    // Sequence numbers as Spark resolves them (inherited from the manifest list).
    const entries = await spark.query(`SELECT snapshot_id, sequence_number, file_sequence_number, data_file.content AS content, data_file.file_path AS file_path FROM ${ST}.entries WHERE status <> 2`);
    const seqOf = (p: string): bigint => BigInt(String(entries.find((e) => e.file_path === p)!.sequence_number));
    const original = entries.filter((e) => originalFiles.includes(String(e.file_path)));
    const later = entries.filter((e) => e.content === 0 && !originalFiles.includes(String(e.file_path)) && e.file_path !== sameSnapshotFile.filePath);
    expect(original).toHaveLength(originalFiles.length);
    expect(later).toHaveLength(1);
    for (const e of entries) expect(e.file_sequence_number, String(e.file_path)).toBe(e.sequence_number);
    const posSeq = seqOf(deleteFiles.eu.filePath);
    expect(seqOf(deleteFiles.us.filePath)).toBe(posSeq);
    expect(entries.find((e) => e.file_path === deleteFiles.eu.filePath)!.snapshot_id).toBe(posSnap);
    expect(entries.find((e) => e.file_path === deleteFiles.eq.filePath)!.snapshot_id).toBe(eqSnap);
    expect(seqOf(deleteFiles.eq.filePath)).toBe(seqOf(sameSnapshotFile.filePath));
    expect(seqOf(deleteFiles.eq.filePath)).toBe(posSeq + 1n);
    // Spec: position deletes apply to data with a data sequence number <= theirs, equality deletes to data with a strictly lower one.
    for (const e of original) expect(BigInt(String(e.sequence_number))).toBeLessThan(posSeq);
    expect(BigInt(String(later[0]!.sequence_number))).toBe(posSeq + 2n);

    // The manifest list's content field: Spark counts delete files only in delete manifests.
    const manifests = await spark.query(`SELECT content, added_snapshot_id, added_data_files_count, existing_data_files_count, added_delete_files_count, existing_delete_files_count FROM ${ST}.manifests`);
    const deleteManifests = manifests.filter((m) => m.content === 1);
    expect(deleteManifests.reduce((n, m) => n + Number(m.added_delete_files_count) + Number(m.existing_delete_files_count), 0)).toBe(3);
    expect(deleteManifests.every((m) => Number(m.added_data_files_count) + Number(m.existing_data_files_count) === 0)).toBe(true);
    expect(manifests.filter((m) => m.content === 0).every((m) => Number(m.added_delete_files_count) + Number(m.existing_delete_files_count) === 0)).toBe(true);
  });

  it("Spark's snapshots table shows each snapshot's operation and delete summary", async () => {
    const snaps = await spark.query(`SELECT snapshot_id, operation, summary FROM ${ST}.snapshots`);
    const summaryOf = (id: string) => {
      const s = snaps.find((x) => x.snapshot_id === id)!;
      return { operation: s.operation, ...(s.summary as Record<string, string>) };
    };
    expect(summaryOf(posSnap)).toMatchObject({
      operation: "delete",
      "added-delete-files": "2", "added-position-delete-files": "2", "added-position-deletes": String(POS_EU.length + POS_US.length),
      "total-delete-files": "2", "total-position-deletes": String(POS_EU.length + POS_US.length), "total-equality-deletes": "0",
      "total-records": "80", "changed-partition-count": "2",
    });
    expect(summaryOf(posSnap)).not.toHaveProperty("added-records");
    expect(summaryOf(eqSnap)).toMatchObject({
      operation: "overwrite",
      "added-data-files": "1", "added-records": "1",
      "added-delete-files": "1", "added-equality-delete-files": "1", "added-equality-deletes": String(EQ_US.length),
      "total-delete-files": "3", "total-equality-deletes": String(EQ_US.length), "total-position-deletes": String(POS_EU.length + POS_US.length),
      "total-records": "81", "changed-partition-count": "1",
    });
    await expectTotalsMatchFiles();
  });

  it("PyIceberg reads the position-delete snapshot and refuses the equality deletes", async () => {
    const py = await runPython<{ rows: string[]; tasks: Record<string, string[]>; deleteFiles: unknown[][]; error: string | null }>(`
import os
from pyiceberg.table import StaticTable
t = StaticTable.from_metadata(args["metadata"])
snap = int(args["snap"])
rows = sorted(f"{r['id']}|{r['name']}|{r['region']}" for r in t.scan(snapshot_id=snap).to_arrow().to_pylist())
tasks = {os.path.basename(task.file.file_path): sorted(os.path.basename(d.file_path) for d in task.delete_files) for task in t.scan(snapshot_id=snap).plan_files()}
dfs = t.inspect.delete_files(snapshot_id=snap).to_pylist()
try:
    t.scan().to_arrow()
    error = None
except ValueError as e:
    error = str(e)
result = {"rows": rows, "tasks": tasks, "deleteFiles": sorted([[d["content"], os.path.basename(d["file_path"]), d["record_count"]] for d in dfs]), "error": error}
`, { metadata: (await engine.openTable(T)).metadataLocation, snap: posSnap });
    expect(py.rows).toEqual(await expected("pos"));
    // Each data file gets exactly the delete files that name it (PyIceberg matches on file_path bounds).
    const want = new Map<string, string[]>();
    for (const t of await (await engine.openTable(T)).newScan({ snapshotId: BigInt(posSnap) }).planFiles()) want.set(path.basename(t.file.filePath), []);
    const named = await plainDuckDb(`SELECT DISTINCT file_path, filename FROM read_parquet(['${toLocalPath(deleteFiles.eu.filePath)}', '${toLocalPath(deleteFiles.us.filePath)}'], filename = true)`);
    for (const r of named) want.get(path.basename(String(r.file_path)))!.push(path.basename(String(r.filename)));
    expect(py.tasks).toEqual(Object.fromEntries([...want].map(([k, v]) => [k, v.sort()])));
    expect(py.deleteFiles).toEqual([
      [1, path.basename(deleteFiles.eu.filePath), POS_EU.length],
      [1, path.basename(deleteFiles.us.filePath), POS_US.length],
    ]);
    expect(py.error).toMatch(/equality deletes/);
  });

  it("Engine's own query reads the same rows at every snapshot", async () => {
    expect(await engineRows(posSnap)).toEqual(await expected("pos"));
    expect(await engineRows(eqSnap)).toEqual(await expected("eq"));
    expect(await engineRows()).toEqual(await expected("final"));
  });

  it("Engine reads the same rows after Spark rewrites our position deletes, then compacts the data files", async () => {
    const final = await expected("final");
    const [pd] = await spark.query(`CALL local.system.rewrite_position_delete_files(table => '${ns}.events', options => map('rewrite-all', 'true'))`);
    expect(Number(pd!.rewritten_delete_files_count)).toBe(2);
    expect(await sparkRows({ vectorized: true })).toEqual(final);
    expect(await engineRows()).toEqual(final);
    await expectTotalsMatchFiles();

    const [rw] = await spark.query(`CALL local.system.rewrite_data_files(table => '${ns}.events', options => map('delete-file-threshold', '1'))`);
    expect(Number(rw!.rewritten_data_files_count)).toBeGreaterThan(0);
    expect(await sparkRows({ vectorized: true })).toEqual(final);
    expect(await sparkRows({ vectorized: false })).toEqual(final);
    expect(await engineRows()).toEqual(final);
    await expectTotalsMatchFiles();
  });
});
