import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlreadyExistsError, FileNotCreatedError, IcebergError, fileIOFor } from "../src/index.js";
import { S3FileIO, S3_MULTIPART_PART_SIZE, S3_RETRY_NUM_RETRIES, importOptional } from "../src/io/s3/index.js";
import { motoPeer, uniqueName, type MotoPeer } from "../../../test/util/peers.js";
import { createBucket, motoProps, startFaultProxy, startLostAnswerProxy, type FaultProxy } from "./util/aws-moto.js";

let moto: MotoPeer;
let bucket: string;
let io: S3FileIO;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeAll(async () => {
  moto = await motoPeer();
  bucket = uniqueName("s3io").replaceAll("_", "-");
  await createBucket(moto, bucket);
  io = new S3FileIO(motoProps(moto));
});

/** What moto itself says about an object (a client of ours, but only HEAD: size and ETag come from moto). */
async function head(key: string): Promise<{ size: number; etag: string }> {
  const sdk = await import("@aws-sdk/client-s3");
  const out = await (await io.client()).send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { size: Number(out.ContentLength), etag: String(out.ETag) };
}

describe("S3FileIO", () => {
  it("is registered for s3, s3a and s3n on import and keeps no local path", async () => {
    for (const scheme of ["s3", "s3a", "s3n"]) expect(await fileIOFor(`${scheme}://${bucket}/x`, motoProps(moto))).toBeInstanceOf(S3FileIO);
    expect(io.localPath()).toBeUndefined();
  });

  it("writes, reads whole and by range, stats and tells missing objects apart", async () => {
    const loc = `s3://${bucket}/rt/a.bin`;
    const data = enc("0123456789abcdefghij");
    await io.newOutputFile(loc).write(data);
    const f = io.newInputFile(loc);
    expect(dec(await f.read())).toBe("0123456789abcdefghij");
    expect(dec(await f.readRange(5, 4))).toBe("5678");
    expect(dec(await f.readRange(18, 10))).toBe("ij");
    expect(await f.readRange(40, 4)).toEqual(new Uint8Array(0));
    expect(await f.length()).toBe(20);
    expect(await f.exists()).toBe(true);
    const missing = io.newInputFile(`s3://${bucket}/rt/none.bin`);
    expect(await missing.exists()).toBe(false);
    await expect(missing.read()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await head("rt/a.bin")).size).toBe(20);
  });

  it("writes files larger than one part as a multipart upload (moto's ETag counts the parts)", async () => {
    const big = new S3FileIO({ ...motoProps(moto), [S3_MULTIPART_PART_SIZE]: String(5 * 1024 * 1024) });
    const data = randomBytes(11 * 1024 * 1024 + 17);
    const loc = `s3://${bucket}/mp/big.bin`;
    await big.newOutputFile(loc).write(data);
    const h = await head("mp/big.bin");
    expect(h.size).toBe(data.length);
    expect(h.etag).toMatch(/-3"?$/);
    const back = await big.newInputFile(loc).read();
    expect(Buffer.from(back).equals(data)).toBe(true);
    expect(Buffer.from(await big.newInputFile(loc).readRange(6 * 1024 * 1024, 100)).equals(data.subarray(6 * 1024 * 1024, 6 * 1024 * 1024 + 100))).toBe(true);
  });

  it("creates exclusively: the second writer gets AlreadyExistsError and the first content stays", async () => {
    const loc = `s3://${bucket}/ex/v1.metadata.json`;
    const results = await Promise.allSettled([io.newOutputFile(loc).createExclusive(enc("first")), io.newOutputFile(loc).createExclusive(enc("second"))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(AlreadyExistsError);
    await expect(io.newOutputFile(loc).createExclusive(enc("third"))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(["first", "second"]).toContain(dec(await io.newInputFile(loc).read()));
  });

  it("says an exclusive create was not made when S3 rejects it (404 NoSuchBucket), and leaves a 5xx after retries open", async () => {
    const missing = await io.newOutputFile(`s3://${bucket}-missing/v1.metadata.json`).createExclusive(enc("{}")).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FileNotCreatedError);
    expect((missing as Error).message).toMatch(/nothing was created.*NoSuchBucket.*HTTP 404/);
    const proxy = await startFaultProxy(moto.endpoint, 1);
    try {
      const down = await new S3FileIO({ ...motoProps(moto, proxy.url), [S3_RETRY_NUM_RETRIES]: "1" }).newOutputFile(`s3://${bucket}/ex/down.json`).createExclusive(enc("{}")).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(IcebergError);
      expect(down).not.toBeInstanceOf(FileNotCreatedError);
      expect((down as IcebergError).code).toBe("IO_ERROR");
    } finally {
      await proxy.close();
    }
  });

  it("takes the 412 of a retried exclusive create whose first answer was lost as its own write", async () => {
    const loc = `s3://${bucket}/ex/lost/v2.metadata.json`;
    const proxy = await startLostAnswerProxy(moto.endpoint, (req) => req.method === "PUT" && (req.url ?? "").includes("/ex/lost/"));
    try {
      await new S3FileIO(motoProps(moto, proxy.url)).newOutputFile(loc).createExclusive(enc("mine"));
      expect(proxy.lost).toBe(1);
      expect(dec(await io.newInputFile(loc).read())).toBe("mine");
      // Another writer's retried create of the same key still loses.
      await expect(new S3FileIO(motoProps(moto, proxy.url)).newOutputFile(loc).createExclusive(enc("theirs"))).rejects.toBeInstanceOf(AlreadyExistsError);
    } finally {
      await proxy.close();
    }
  });

  it("lists a prefix as a folder, every page, with sizes and modification times", async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `ls/t/f${String(i).padStart(4, "0")}.txt`);
    await runPool(keys, 32, (k, i) => io.newOutputFile(`s3://${bucket}/${k}`).write(enc("x".repeat(i % 7))));
    await io.newOutputFile(`s3://${bucket}/ls/t2/other.txt`).write(enc("no"));
    const listed = [];
    for await (const f of io.list(`s3://${bucket}/ls/t`)) listed.push(f);
    expect(listed).toHaveLength(1005);
    expect(listed.map((f) => f.location)).toEqual(keys.map((k) => `s3://${bucket}/${k}`));
    expect(listed[6]!.size).toBe(6);
    expect(Math.abs(listed[0]!.lastModifiedMs - Date.now())).toBeLessThan(10 * 60_000);
    const none = [];
    for await (const f of io.list(`s3://${bucket}/nothing-here`)) none.push(f);
    expect(none).toEqual([]);
  });

  it("deletes more than 1000 objects in batches of 1000, ignoring missing ones", async () => {
    let deleteCalls = 0;
    const counter = await startFaultProxy(moto.endpoint, 0, (req) => {
      if (req.method === "POST" && /[?&]delete(=|&|$)/.test(req.url ?? "")) deleteCalls++;
      return false;
    });
    try {
      const viaProxy = new S3FileIO(motoProps(moto, counter.url));
      const keys = Array.from({ length: 1201 }, (_, i) => `del/k${i}`);
      await runPool(keys, 32, (k) => viaProxy.newOutputFile(`s3://${bucket}/${k}`).write(enc("d")));
      await viaProxy.delete([...keys.map((k) => `s3://${bucket}/${k}`), `s3://${bucket}/del/never-existed`]);
      expect(deleteCalls).toBe(2);
      const left = [];
      for await (const f of io.list(`s3://${bucket}/del`)) left.push(f);
      expect(left).toEqual([]);
    } finally {
      await counter.close();
    }
  });
});

describe("S3FileIO under injected S3 faults", () => {
  let proxy: FaultProxy;
  beforeAll(async () => { proxy = await startFaultProxy(moto.endpoint, 0.3); });
  afterAll(async () => { await proxy?.close(); });

  it("retries 500/503/SlowDown with backoff: writes, multipart, reads, lists and deletes succeed", async () => {
    const flaky = new S3FileIO({ ...motoProps(moto, proxy.url), [S3_RETRY_NUM_RETRIES]: "8", [S3_MULTIPART_PART_SIZE]: String(5 * 1024 * 1024) });
    const big = randomBytes(10 * 1024 * 1024 + 3);
    await flaky.newOutputFile(`s3://${bucket}/flaky/big.bin`).write(big);
    const small = Array.from({ length: 40 }, (_, i) => `flaky/s${i}`);
    await runPool(small, 8, (k) => flaky.newOutputFile(`s3://${bucket}/${k}`).write(enc(k)));
    await flaky.newOutputFile(`s3://${bucket}/flaky/meta.json`).createExclusive(enc("{}"));
    expect(Buffer.from(await flaky.newInputFile(`s3://${bucket}/flaky/big.bin`).read()).equals(big)).toBe(true);
    for (const k of small.slice(0, 10)) expect(dec(await flaky.newInputFile(`s3://${bucket}/${k}`).read())).toBe(k);
    const listed = [];
    for await (const f of flaky.list(`s3://${bucket}/flaky`)) listed.push(f.location);
    expect(listed).toHaveLength(42);
    await flaky.delete(listed);
    expect(proxy.stats.faults).toBeGreaterThan(10);
    // What moto holds, read without the proxy.
    const left = [];
    for await (const f of io.list(`s3://${bucket}/flaky`)) left.push(f);
    expect(left).toEqual([]);
  });

  it("fails cleanly with the status when retries run out", async () => {
    proxy.rate = 1;
    try {
      const noRetry = new S3FileIO({ ...motoProps(moto, proxy.url), [S3_RETRY_NUM_RETRIES]: "1" });
      const err = await noRetry.newOutputFile(`s3://${bucket}/flaky/never.bin`).write(enc("x")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IcebergError);
      expect((err as IcebergError).code).toBe("IO_ERROR");
      expect([500, 503]).toContain((err as IcebergError).context["status"]);
      expect(await io.newInputFile(`s3://${bucket}/flaky/never.bin`).exists()).toBe(false);
    } finally {
      proxy.rate = 0.3;
    }
  });
});

describe("importOptional", () => {
  it("says which package to install when an optional AWS package is missing", async () => {
    const missing = Object.assign(new Error("Cannot find package '@aws-sdk/client-s3'"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(importOptional("@aws-sdk/client-s3", "io: s3", () => Promise.reject(missing))).rejects.toThrow(/install it with `npm install @aws-sdk\/client-s3`/);
  });
});

async function runPool<T>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}
