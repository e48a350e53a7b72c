import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  EntryStatus, fromBinary, readAvroFile, readManifest, readManifestList, writeManifest, writeManifestList, type ManifestEntry,
} from "../src/index.js";
import { CORPUS, HAVE_CORPUS } from "./util/corpus.js";
import { dataFile, SCHEMA, SPEC } from "./util/fixtures.js";

const dir = path.join(CORPUS, "_fixtures/avro-spark-manifest-and-list");
const LIST = "snap-8656952484400131532-1-a85973e4-4009-4cba-875e-5278a2c6027d.avro";
const MANIFEST = "a85973e4-4009-4cba-875e-5278a2c6027d-m0.avro";
const str = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

describe.skipIf(!HAVE_CORPUS)("readManifestList (Spark fixture)", () => {
  it("decodes the header and the single record as EXPECTED.md states", () => {
    const bytes = readFileSync(path.join(dir, LIST));
    const avro = readAvroFile(bytes);
    expect(avro.metadata.get("format-version")).toBe("2");
    expect(avro.metadata.get("snapshot-id")).toBe("8656952484400131532");
    expect(avro.metadata.get("parent-snapshot-id")).toBe("null");
    expect(avro.metadata.get("sequence-number")).toBe("1");
    expect(avro.metadata.get("avro.codec")).toBe("deflate");
    const [m, ...rest] = readManifestList(bytes);
    expect(rest).toEqual([]);
    expect(m).toEqual({
      manifestPath: "s3a://hyperparam-iceberg/warehouse/bunnies/metadata/a85973e4-4009-4cba-875e-5278a2c6027d-m0.avro",
      manifestLength: 7211n, partitionSpecId: 0, content: 0, sequenceNumber: 1n, minSequenceNumber: 1n,
      addedSnapshotId: 8656952484400131532n, addedFilesCount: 1, existingFilesCount: 0, deletedFilesCount: 0,
      addedRowsCount: 21n, existingRowsCount: 0n, deletedRowsCount: 0n, partitions: [],
    });
  });
});

describe.skipIf(!HAVE_CORPUS)("readManifest (Spark fixture)", () => {
  it("decodes the entry, inherits the sequence number and reads bounds as EXPECTED.md states", () => {
    const list = readManifestList(readFileSync(path.join(dir, LIST)));
    const m = readManifest(readFileSync(path.join(dir, MANIFEST)), { manifestFile: list[0]! });
    expect(m.formatVersion).toBe(2);
    expect(m.content).toBe(0);
    expect(m.specId).toBe(0);
    expect(m.partitionFields).toEqual([]);
    expect(m.schema?.fields.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.entries.length).toBe(1);
    const e = m.entries[0]!;
    expect(e.status).toBe(EntryStatus.Added);
    expect(e.snapshotId).toBe(8656952484400131532n);
    expect(e.sequenceNumber).toBe(1n);
    expect(e.fileSequenceNumber).toBe(1n);
    const f = e.dataFile;
    expect(f.filePath).toBe("s3a://hyperparam-iceberg/warehouse/bunnies/data/00000-1-ab020707-f0e6-43c8-98ed-5643ba60e97c-00001.parquet");
    expect(f.fileFormat).toBe("PARQUET");
    expect(f.recordCount).toBe(21n);
    expect(f.fileSizeInBytes).toBe(3224n);
    expect(Object.fromEntries(f.columnSizes!)).toEqual({ 1: 249n, 2: 128n, 3: 128n, 4: 104n, 5: 171n, 6: 87n, 7: 209n, 8: 107n });
    expect([...f.valueCounts!.values()].every((v) => v === 21n)).toBe(true);
    expect([...f.nullValueCounts!.values()].every((v) => v === 0n)).toBe(true);
    expect(Object.fromEntries(f.nanValueCounts!)).toEqual({ 2: 0n, 3: 0n });
    expect(f.splitOffsets).toEqual([4n]);
    expect(f.sortOrderId).toBe(0);
    expect(f.keyMetadata).toBeUndefined();
    expect(f.equalityIds).toBeUndefined();
    const type = (id: number) => m.schema!.fields.find((x) => x.id === id)!.type as never;
    const lower = (id: number) => fromBinary(type(id), f.lowerBounds!.get(id)!);
    const upper = (id: number) => fromBinary(type(id), f.upperBounds!.get(id)!);
    expect(str(f.lowerBounds!.get(1))).toBe("American Fuzzy L");
    expect([lower(2), lower(3), lower(4), lower(5), lower(6), lower(7), lower(8)]).toEqual([0.9, 1.5, 5n, "Belgium", "Erect", "Active", 1n]);
    expect([upper(1), upper(2), upper(3), upper(4), upper(5), upper(6), upper(7), upper(8)]).toEqual(["Thrianta", 4.5, 11, 12n, "USA", "Lop", "Sweet", 21n]);
  });
});

describe("writeManifest", () => {
  const partition = [19725, 3, 123456n, "f79c3e09-677c-4bbd-a479-3f349cb785e7"];
  const entries: ManifestEntry[] = [
    { status: EntryStatus.Added, snapshotId: 42n, dataFile: dataFile("/w/a.parquet", partition, 10n) },
    { status: EntryStatus.Existing, snapshotId: 41n, sequenceNumber: 3n, fileSequenceNumber: 3n, dataFile: dataFile("/w/b.parquet", [19726, 0, null, null], 5n) },
  ];
  for (const formatVersion of [1, 2] as const) {
    it(`round-trips a partitioned v${formatVersion} manifest with header keys and field ids`, () => {
      const { data, manifestFile } = writeManifest({ formatVersion, path: "/w/m.avro", spec: SPEC, schema: SCHEMA, snapshotId: 42n, sequenceNumber: 7n, entries });
      const avro = readAvroFile(data);
      expect(avro.metadata.get("avro.codec")).toBe("deflate");
      expect(avro.metadata.get("format-version")).toBe(String(formatVersion));
      expect(avro.metadata.get("partition-spec-id")).toBe("0");
      expect(avro.metadata.get("schema-id")).toBe("0");
      expect(JSON.parse(avro.metadata.get("partition-spec")!)).toHaveLength(4);
      if (formatVersion === 2) expect(avro.metadata.get("content")).toBe("data");
      expect(manifestFile.addedFilesCount).toBe(1);
      expect(manifestFile.existingFilesCount).toBe(1);
      expect(manifestFile.addedRowsCount).toBe(10n);
      expect(manifestFile.manifestLength).toBe(BigInt(data.length));
      expect(manifestFile.partitions![0]!.containsNull).toBe(false);
      expect(manifestFile.partitions![2]!.containsNull).toBe(true);
      const m = readManifest(data, { manifestFile });
      expect(m.entries.map((e) => e.dataFile.partition)).toEqual([partition, [19726, 0, null, null]]);
      expect(m.entries[0]!.dataFile.columnSizes).toEqual(new Map([[1, 80n]]));
      expect(m.entries[0]!.dataFile.lowerBounds).toEqual(entries[0]!.dataFile.lowerBounds);
      if (formatVersion === 2) {
        expect(m.entries[0]!.sequenceNumber).toBe(7n); // inherited: ADDED with null
        expect(m.entries[1]!.sequenceNumber).toBe(3n);
      } else {
        expect(m.entries.map((e) => e.sequenceNumber)).toEqual([0n, 0n]);
      }
      expect(m.entries.map((e) => e.snapshotId)).toEqual([42n, 41n]);
    });
  }
  it("writes uncompressed files when asked", () => {
    const { data } = writeManifest({ formatVersion: 2, path: "/w/m.avro", spec: SPEC, schema: SCHEMA, snapshotId: 1n, entries, codec: "null" });
    expect(readAvroFile(data).metadata.get("avro.codec")).toBe("null");
    expect(readManifest(data).entries.length).toBe(2);
  });
});

describe("writeManifestList", () => {
  it("round-trips v2 records and header keys, and v1 lists read with sequence number 0", () => {
    const { manifestFile } = writeManifest({ formatVersion: 2, path: "/w/m.avro", spec: SPEC, schema: SCHEMA, snapshotId: 9223372036854775807n, sequenceNumber: 5n,
      entries: [{ status: EntryStatus.Added, dataFile: dataFile("/w/a.parquet", [1, 1, 1n, null]) }] });
    const data = writeManifestList({ formatVersion: 2, snapshotId: 9223372036854775807n, parentSnapshotId: 1n, sequenceNumber: 5n, manifests: [manifestFile] });
    const avro = readAvroFile(data);
    expect(avro.metadata.get("snapshot-id")).toBe("9223372036854775807");
    expect(avro.metadata.get("parent-snapshot-id")).toBe("1");
    expect(avro.metadata.get("sequence-number")).toBe("5");
    expect(readManifestList(data)).toEqual([manifestFile]);
    const v1 = readManifestList(writeManifestList({ formatVersion: 1, snapshotId: 3n, manifests: [manifestFile] }));
    expect(v1[0]!.sequenceNumber).toBe(0n);
    expect(v1[0]!.addedSnapshotId).toBe(9223372036854775807n);
    expect(readAvroFile(writeManifestList({ formatVersion: 1, snapshotId: 3n, manifests: [] })).metadata.get("parent-snapshot-id")).toBe("null");
  });
});
