import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseTableMetadata, parseType, serializeTableMetadata, typeFromJson, typeToJson, typeToString } from "../src/index.js";
import { CORPUS, HAVE_CORPUS } from "./util/corpus.js";

const fixture = (name: string): string => readFileSync(path.join(CORPUS, "_fixtures/table-metadata-java", name), "utf8");

describe.skipIf(!HAVE_CORPUS)("parseTableMetadata (Java fixtures)", () => {
  it("accepts TableMetadataV1Valid.json", () => {
    const md = parseTableMetadata(fixture("TableMetadataV1Valid.json"));
    expect(md.formatVersion).toBe(1);
    expect(md.schemas.length).toBe(1);
  });
  it("accepts TableMetadataV2Valid.json with 2 snapshots, a log of 2 and identifier fields on schema 1", () => {
    const md = parseTableMetadata(fixture("TableMetadataV2Valid.json"));
    expect(md.snapshots.length).toBe(2);
    expect(md.snapshotLog.length).toBe(2);
    expect(md.currentSnapshotId).toBe(3055729675574597004n);
    expect(md.snapshots.some((s) => s.snapshotId === md.currentSnapshotId)).toBe(true);
    expect(md.schemas.find((s) => s.schemaId === 0)!.identifierFieldIds).toBeUndefined();
    expect(md.schemas.find((s) => s.schemaId === 1)!.identifierFieldIds).toEqual([1, 2]);
  });
  it("accepts TableMetadataV2ValidMinimal.json with no snapshots, logs or properties", () => {
    const md = parseTableMetadata(fixture("TableMetadataV2ValidMinimal.json"));
    expect(md.snapshots).toEqual([]);
    expect(md.snapshotLog).toEqual([]);
    expect(md.properties).toEqual({});
    expect(md.metadataLog).toEqual([]);
  });
  it("accepts TableMetadataV3ValidMinimal.json", () => {
    expect(parseTableMetadata(fixture("TableMetadataV3ValidMinimal.json")).formatVersion).toBe(3);
  });
  it("accepts statistics and partition-statistics files", () => {
    expect(parseTableMetadata(fixture("TableMetadataStatisticsFiles.json")).statistics?.length).toBe(1);
    expect(parseTableMetadata(fixture("TableMetadataPartitionStatisticsFiles.json")).partitionStatistics?.length).toBeGreaterThan(0);
  });
  const rejects: [string, RegExp][] = [
    ["TableMetadataUnsupportedVersion.json", /^Cannot read unsupported version/],
    ["TableMetadataV2MissingPartitionSpecs.json", /partition-specs must exist in format v2/],
    ["TableMetadataV2MissingLastPartitionId.json", /last-partition-id must exist in format v2/],
    ["TableMetadataV2MissingSortOrder.json", /sort-orders must exist in format v2/],
    ["TableMetadataV2MissingSchemas.json", /schemas must exist in format v2/],
    ["TableMetadataV2CurrentSchemaNotFound.json", /Cannot find schema with current-schema-id=2 from schemas/],
    ["TableMetadataV1MissingSchemaType.json", /Cannot parse type from json:/],
  ];
  for (const [file, message] of rejects) {
    it(`rejects ${file}`, () => {
      expect(() => parseTableMetadata(fixture(file))).toThrow(message);
    });
  }
});

describe.skipIf(!HAVE_CORPUS)("parseTableMetadata (engine-written files)", () => {
  it("reads gzip metadata detected by magic bytes", () => {
    const md = parseTableMetadata(readFileSync(path.join(CORPUS, "spark-lineitem-v1-gzip-metadata/metadata/v2.gz.metadata.json")));
    expect(md.currentSnapshotId).toBe(4468019210336628573n);
  });
  it("upgrades v1 legacy schema, partition-spec and snapshot manifests", () => {
    const md = parseTableMetadata(readFileSync(path.join(CORPUS, "spark-v1-legacy-manifests/default/legacy_v1/metadata/v2.metadata.json")));
    expect(md.schemas.length).toBe(1);
    expect(md.partitionSpecs.length).toBe(1);
    expect(md.snapshots[0]!.manifestList).toBeUndefined();
    expect(md.snapshots[0]!.manifests!.length).toBeGreaterThan(0);
    expect(md.refs["main"]?.snapshotId).toBe(2456114553637229296n);
  });
});

describe("serializeTableMetadata", () => {
  const text = `{"format-version":2,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1","location":"s3://b/t",
    "last-sequence-number":9007199254740993,"last-updated-ms":1602638573590,"last-column-id":1,"current-schema-id":0,
    "schemas":[{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"x","required":true,"type":"decimal(10,2)"}]}],
    "default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[{"name":"x_b","transform":"bucket[16]","source-id":1,"field-id":1000}]}],
    "last-partition-id":1000,"default-sort-order-id":0,"sort-orders":[{"order-id":0,"fields":[]}],"properties":{"a":"b"},
    "current-snapshot-id":9223372036854775807,"refs":{"main":{"snapshot-id":9223372036854775807,"type":"branch"}},
    "snapshots":[{"snapshot-id":9223372036854775807,"sequence-number":9007199254740993,"timestamp-ms":1602638573590,
    "summary":{"operation":"append","added-records":"1"},"manifest-list":"s3://b/t/metadata/snap.avro","schema-id":0}],
    "snapshot-log":[{"timestamp-ms":1602638573590,"snapshot-id":9223372036854775807}],"metadata-log":[]}`;
  it("keeps 64-bit ids exact when parsing and writes them as unquoted numbers", () => {
    const md = parseTableMetadata(text);
    expect(md.currentSnapshotId).toBe(9223372036854775807n);
    expect(md.lastSequenceNumber).toBe(9007199254740993n);
    const out = serializeTableMetadata(md);
    expect(out).toContain(`"current-snapshot-id":9223372036854775807`);
    expect(out).toContain(`"last-sequence-number":9007199254740993`);
    expect(parseTableMetadata(out)).toEqual(md);
  });
  it("writes v1 metadata with the deprecated schema and partition-spec fields", () => {
    const md = { ...parseTableMetadata(text), formatVersion: 1 as const };
    const json = JSON.parse(serializeTableMetadata(md)) as Record<string, unknown>;
    expect(json["schema"]).toBeDefined();
    expect(json["partition-spec"]).toEqual([{ name: "x_b", transform: "bucket[16]", "source-id": 1, "field-id": 1000 }]);
    expect(json["last-sequence-number"]).toBeUndefined();
  });
  it("round-trips through gzip bytes", () => {
    const md = parseTableMetadata(text);
    expect(parseTableMetadata(gzipSync(Buffer.from(serializeTableMetadata(md))))).toEqual(md);
  });
});

describe("parseType", () => {
  it("parses decimal, fixed and primitive type strings and formats them back", () => {
    expect(parseType("decimal(10,2)")).toEqual({ kind: "decimal", precision: 10, scale: 2 });
    expect(parseType("fixed[16]")).toEqual({ kind: "fixed", length: 16 });
    expect(typeToString(parseType("decimal( 38 , 10 )"))).toBe("decimal(38,10)");
    expect(() => parseType("money")).toThrow(/expected an Iceberg type like "decimal\(10,2\)", got "money"/);
  });
  it("round-trips nested struct, list and map JSON types", () => {
    const json = {
      type: "struct", fields: [
        { id: 2, name: "l", required: false, type: { type: "list", "element-id": 3, element: "string", "element-required": true } },
        { id: 4, name: "m", required: true, type: { type: "map", "key-id": 5, key: "string", "value-id": 6, value: "timestamptz", "value-required": false } },
      ],
    };
    expect(typeToJson(typeFromJson(json))).toEqual(json);
  });
});
