// Issue 6, "Must show": erasure across three tables — one partitioned, one with merge-on-read
// position deletes written by Spark — finds the subject's bytes before and none after; other
// subjects' rows are untouched; PyIceberg and Spark read the erased tables with the expected
// counts; time travel to the pre-erasure snapshot fails because it is gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "@engine/core";
import { peerSkipped, runPython, sparkPeer, uniqueName, type SparkPeer } from "../../../test/util/peers.js";
import { eraseSubjects, staticKeyProvider, type ErasureCertificate, type SubjectTable } from "../src/index.js";

const skip = peerSkipped("spark") || peerSkipped("python");
const SUBJECT = 7;

describe.skipIf(skip)("eraseSubjects on tables Engine and Spark wrote", () => {
  let spark: SparkPeer;
  let engine: Engine;
  const ns = uniqueName("pii");
  let tables: SubjectTable[];
  let cert: ErasureCertificate;
  const othersBefore: Record<string, unknown> = {};
  const preErasure: Record<string, bigint> = {};

  beforeAll(async () => {
    spark = await sparkPeer();
    engine = await Engine.open({ warehouse: spark.warehouse });
    const customers = Array.from({ length: 30 }, (_, i) => ({ customer_id: i + 1, email: `member${i + 1}@shop.example`, tier: i % 3 }));
    await engine.load({
      table: `${ns}.customers`, source: { format: "memory" },
      columns: [{ name: "customer_id", type: "long", required: true }, { name: "email", type: "string", pii: { grade: 2, kind: "email" } }, { name: "tier", type: "int" }],
      write: { mode: "append" },
    }, { data: customers });
    const orders = Array.from({ length: 120 }, (_, i) => ({ order_id: i + 1, customer_id: (i % 30) + 1, amount: i + 0.5, order_ts: new Date(Date.UTC(2024, 2, 1 + (i % 4), 12)).toISOString() }));
    await engine.load({
      table: `${ns}.orders`, source: { format: "memory" },
      columns: [{ name: "order_id", type: "long", required: true }, { name: "customer_id", type: "long" }, { name: "amount", type: "double" }, { name: "order_ts", type: "timestamptz" }],
      partition: ["day(order_ts)"], write: { mode: "append" },
    }, { data: orders });
    await spark.sql(`CREATE TABLE local.${ns}.events (event_id bigint, customer_id bigint, note string) USING iceberg
      TBLPROPERTIES ('format-version'='2', 'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read')`);
    await spark.sql(`INSERT INTO local.${ns}.events SELECT id, id % 30 + 1, concat('note about member', CAST(id % 30 + 1 AS STRING), '@shop.example') FROM range(0, 90)`);
    // Merge-on-read: position delete files over the data file that also holds the subject.
    await spark.sql(`DELETE FROM local.${ns}.events WHERE event_id IN (6, 10, 11, 12)`);
    tables = [
      { table: `${ns}.customers`, column: "customer_id", piiColumns: ["email"] },
      { table: `${ns}.orders`, column: "customer_id" },
      { table: `${ns}.events`, column: "customer_id", piiColumns: ["note"] },
    ];
    for (const t of ["customers", "orders", "events"]) {
      othersBefore[t] = await spark.checksum({ sql: `SELECT * FROM local.${ns}.${t} WHERE customer_id <> ${SUBJECT}` });
      preErasure[t] = (await engine.openTable(`${ns}.${t}`)).currentSnapshot()!.snapshotId;
    }
    const events = await engine.openTable(`${ns}.events`);
    const tasks = await events.newScan().planFiles();
    expect(tasks.some((t) => t.deletes.length > 0)).toBe(true);
    cert = await eraseSubjects(engine, { subjects: [SUBJECT], tables, keyProvider: staticKeyProvider(new Uint8Array(32).fill(9)) });
  });
  afterAll(() => engine?.close());

  it("found the subject before and nothing after, in every file", () => {
    expect(cert.before.findings).toBeGreaterThan(0);
    expect(cert.verification.findings, JSON.stringify(cert.verification.findings, null, 1)).toEqual([]);
    expect(cert.verification.parquetFilesDecoded).toBeGreaterThan(0);
    expect(cert.verification.avroFilesDecoded).toBeGreaterThan(0);
    expect(cert.status).toBe("erased");
    const events = cert.tables.find((t) => t.table === `${ns}.events`)!;
    expect(events.deleteFilesRemoved.length).toBeGreaterThan(0);
  });

  it("leaves other subjects' rows untouched (Spark's checksums)", async () => {
    for (const t of ["customers", "orders", "events"]) {
      expect(await spark.checksum({ sql: `SELECT * FROM local.${ns}.${t}` })).toEqual(othersBefore[t]);
    }
  });

  it("is read by PyIceberg with the expected counts", async () => {
    const counts = await runPython<Record<string, number>>(
      `from pyiceberg.table import StaticTable
result = {k: StaticTable.from_metadata(v).scan().to_arrow().num_rows for k, v in args.items()}`,
      Object.fromEntries(await Promise.all(["customers", "orders", "events"].map(async (t) => [t, (await engine.openTable(`${ns}.${t}`)).metadataLocation] as const))),
    );
    // 30 customers − 1; 120 orders − 4; 90 events − 4 deleted by Spark − 3 of the subject (ids 6, 36, 66; 6 was already deleted)
    expect(counts).toEqual({ customers: 29, orders: 116, events: 84 });
  });

  it("cannot time travel to the pre-erasure snapshot", async () => {
    for (const t of ["customers", "orders", "events"]) {
      await expect(spark.sql(`SELECT count(*) FROM local.${ns}.${t} VERSION AS OF ${preErasure[t]}`)).rejects.toThrow();
      await expect(engine.query(`select count(*) from ${ns}.${t}`, { asOf: { [`${ns}.${t}`]: preErasure[t]! } })).rejects.toThrow();
    }
  });
});
