import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { copy, countLines, deleteDatabase, deletePrefix, downloadDirectory, grep, list, movePrefix, uploadDirectory, type AwsOptions } from "../src/aws/index.js";
import { motoPeer, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { createBucket, motoAws } from "./util/aws-moto.js";

let moto: MotoPeer;
let aws: AwsOptions;
let bucket: string;
beforeAll(async () => {
  moto = await motoPeer();
  aws = motoAws(moto);
  bucket = uniqueName("tk").replaceAll("_", "-");
  await createBucket(moto, bucket);
});

describe("S3 toolkit", () => {
  it("uploads and downloads folders, lists with sizes, copies and moves prefixes", async () => {
    const src = mkdtempSync(path.join(tmpdir(), "tk-up-"));
    mkdirSync(path.join(src, "sub"));
    writeFileSync(path.join(src, "a.txt"), "alpha\n");
    writeFileSync(path.join(src, "sub", "b.txt"), "bravo bravo\n");
    const { uploaded } = await uploadDirectory(src, `s3://${bucket}/up`, { aws });
    expect(uploaded.sort()).toEqual([`s3://${bucket}/up/a.txt`, `s3://${bucket}/up/sub/b.txt`]);
    const listed = await list(`s3://${bucket}/up/`, { aws });
    expect(listed.objects.map((o) => [o.key, o.size])).toEqual([["up/a.txt", 6], ["up/sub/b.txt", 12]]);
    expect(listed.totalBytes).toBe(18);
    await copy(`s3://${bucket}/up/a.txt`, `s3://${bucket}/copied/a.txt`, { aws });
    const moved = await movePrefix(`s3://${bucket}/up/`, `s3://${bucket}/moved/`, { aws });
    expect(moved.moved.map((m) => m.to).sort()).toEqual([`s3://${bucket}/moved/a.txt`, `s3://${bucket}/moved/sub/b.txt`]);
    expect((await list(`s3://${bucket}/up/`, { aws })).objects).toEqual([]);
    const dst = mkdtempSync(path.join(tmpdir(), "tk-down-"));
    const { files } = await downloadDirectory(`s3://${bucket}/moved`, dst, { aws });
    expect(files.length).toBe(2);
    expect(readFileSync(path.join(dst, "sub", "b.txt"), "utf8")).toBe("bravo bravo\n");
  });

  it("counts lines and greps with line numbers, streaming, gunzipping by magic bytes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tk-grep-"));
    const lines = Array.from({ length: 50_000 }, (_, i) => (i % 10_000 === 123 ? `row ${i} ERROR disk full` : `row ${i} ok`));
    writeFileSync(path.join(dir, "log.gz"), gzipSync(lines.join("\n") + "\n"));
    writeFileSync(path.join(dir, "plain.log"), "one\ntwo ERROR\nthree\n");
    await uploadDirectory(dir, `s3://${bucket}/logs`, { aws });
    expect(await countLines(`s3://${bucket}/logs/log.gz`, { aws })).toBe(50_000);
    expect(await countLines(`s3://${bucket}/logs/`, { aws })).toBe(50_003);
    const hits = await grep(`s3://${bucket}/logs/`, /ERROR/, { aws });
    expect(hits.map((h) => [h.url.split("/").pop(), h.line])).toEqual([["log.gz", 124], ["log.gz", 10124], ["log.gz", 20124], ["log.gz", 30124], ["log.gz", 40124], ["plain.log", 2]]);
    expect(hits[0]!.text).toBe("row 123 ERROR disk full");
    expect((await grep(`s3://${bucket}/logs/`, "ERROR", { aws, maxMatches: 2 })).length).toBe(2);
  });

  it("deletes a prefix in batches of 1000, with a dry run first", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tk-del-"));
    for (let i = 0; i < 1203; i++) writeFileSync(path.join(dir, `f${i}`), "x");
    const sdk = await import("@aws-sdk/client-s3");
    const { s3ClientOf } = await import("../src/aws/index.js");
    const s3 = await s3ClientOf({ aws });
    await Promise.all(Array.from({ length: 1203 }, (_, i) => s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: `del/f${i}`, Body: "x" }))));
    const dry = await deletePrefix(`s3://${bucket}/del/`, { aws, dryRun: true });
    expect(dry.deleted.length).toBe(1203);
    expect((await list(`s3://${bucket}/del/`, { aws })).objects.length).toBe(1203);
    const real = await deletePrefix(`s3://${bucket}/del/`, { aws });
    expect(real.requests).toBe(2);
    expect((await list(`s3://${bucket}/del/`, { aws })).objects).toEqual([]);
  });
});

describe("Glue toolkit", () => {
  it("deletes a database with its tables and, on request, their data", async () => {
    const sdk = await import("@aws-sdk/client-glue");
    const { glueClientOf, uploadFile } = await import("../src/aws/index.js");
    const glue = await glueClientOf({ aws });
    const db = uniqueName("db");
    await glue.send(new sdk.CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    for (const t of ["t1", "t2"]) {
      await glue.send(new sdk.CreateTableCommand({ DatabaseName: db, TableInput: { Name: t, TableType: "EXTERNAL_TABLE", StorageDescriptor: { Location: `s3://${bucket}/gl/${t}` } } }));
      const f = path.join(mkdtempSync(path.join(tmpdir(), "tk-gl-")), "x.csv");
      writeFileSync(f, "a\n");
      await uploadFile(f, `s3://${bucket}/gl/${t}/x.csv`, { aws });
    }
    const r = await deleteDatabase(db, { aws, deleteData: true });
    expect(r).toEqual({ existed: true, tables: ["t1", "t2"], deletedObjects: 2 });
    expect((await list(`s3://${bucket}/gl/`, { aws })).objects).toEqual([]);
    expect((await deleteDatabase(db, { aws })).existed).toBe(false);
  });
});
