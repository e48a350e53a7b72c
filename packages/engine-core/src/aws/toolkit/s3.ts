// S3 chores teams otherwise write by hand around the SDK: listing with sizes, prefix deletes with a
// dry run, copies and moves, streaming line counts and grep (gzip-aware), directory transfers.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { createInterface } from "node:readline";
import type { S3Client } from "@aws-sdk/client-s3";
import { EngineError } from "../../errors.js";
import { loadS3Sdk, s3ClientOf, type AwsClients } from "../clients.js";

/** An S3 object as listed. */
export interface S3Object {
  /** `s3://bucket/key`. */
  readonly url: string;
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date | undefined;
}

/** `s3://bucket/key` → bucket and key. */
export function splitS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3[an]?:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m) throw new EngineError("INVALID_LOCATION", `s3: expected a location like s3://bucket/key, got "${url}"`, { context: { url } });
  return { bucket: m[1]!, key: m[2]! };
}

/** Spec: DeleteObjects takes at most 1000 keys; CopyObject copies at most 5 GB in one request. */
const DELETE_BATCH = 1000;
const COPY_SINGLE_MAX = 5 * 1024 ** 3;
const COPY_PART = 512 * 1024 ** 2;

async function client(c: AwsClients): Promise<S3Client> {
  return s3ClientOf(c);
}

/** Lists every object under a prefix (the prefix is taken literally: add `/` for a folder), with sizes. */
export async function* listObjects(prefix: string, c: AwsClients = {}): AsyncGenerator<S3Object> {
  const sdk = await loadS3Sdk();
  const s3 = await client(c);
  const { bucket, key } = splitS3Url(prefix);
  let token: string | undefined;
  do {
    const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: key, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      yield { url: `s3://${bucket}/${o.Key}`, key: o.Key, size: Number(o.Size ?? 0), lastModified: o.LastModified };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** All objects under a prefix with their total size. */
export async function list(prefix: string, c: AwsClients = {}): Promise<{ objects: S3Object[]; totalBytes: number }> {
  const objects: S3Object[] = [];
  for await (const o of listObjects(prefix, c)) objects.push(o);
  return { objects, totalBytes: objects.reduce((n, o) => n + o.size, 0) };
}

/** Options of deletePrefix. */
export interface DeletePrefixOptions extends AwsClients {
  /** List what would be deleted, delete nothing. */
  readonly dryRun?: boolean;
}

/** Deletes every object under a prefix in DeleteObjects batches of 1000; with `dryRun`, only says what would go. */
export async function deletePrefix(prefix: string, o: DeletePrefixOptions = {}): Promise<{ deleted: S3Object[]; dryRun: boolean; requests: number }> {
  const { objects } = await list(prefix, o);
  if (o.dryRun) return { deleted: objects, dryRun: true, requests: 0 };
  const requests = await deleteUrls(objects.map((x) => x.url), o);
  return { deleted: objects, dryRun: false, requests };
}

/** Deletes objects by URL in batches of 1000 per bucket; returns the number of DeleteObjects requests. */
export async function deleteUrls(urls: readonly string[], c: AwsClients = {}): Promise<number> {
  if (urls.length === 0) return 0;
  const sdk = await loadS3Sdk();
  const s3 = await client(c);
  const byBucket = new Map<string, string[]>();
  for (const u of urls) {
    const { bucket, key } = splitS3Url(u);
    (byBucket.get(bucket) ?? byBucket.set(bucket, []).get(bucket)!).push(key);
  }
  let requests = 0;
  for (const [bucket, keys] of byBucket) {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const out = await s3.send(new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true } }));
      requests++;
      const failed = (out.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
      if (failed.length > 0) throw new EngineError("S3_DELETE_FAILED", `s3: delete: expected every object deleted in s3://${bucket}, got ${failed.length} failures (first: ${failed[0]!.Key}: ${failed[0]!.Code})`, { context: { bucket, failed: failed.map((f) => f.Key) } });
    }
  }
  return requests;
}

/**
 * Copies one object server-side: CopyObject up to 5 GB; larger objects go as a multipart copy
 * (UploadPartCopy in 512 MiB ranges), since S3 refuses single copies above 5 GB.
 */
export async function copy(from: string, to: string, c: AwsClients = {}): Promise<void> {
  const sdk = await loadS3Sdk();
  const s3 = await client(c);
  const src = splitS3Url(from);
  const dst = splitS3Url(to);
  const source = `${src.bucket}/${src.key.split("/").map(encodeURIComponent).join("/")}`;
  const size = Number((await s3.send(new sdk.HeadObjectCommand({ Bucket: src.bucket, Key: src.key }))).ContentLength ?? 0);
  if (size <= COPY_SINGLE_MAX) {
    await s3.send(new sdk.CopyObjectCommand({ Bucket: dst.bucket, Key: dst.key, CopySource: source }));
    return;
  }
  const { UploadId } = await s3.send(new sdk.CreateMultipartUploadCommand({ Bucket: dst.bucket, Key: dst.key }));
  try {
    const parts = [];
    for (let start = 0, n = 1; start < size; start += COPY_PART, n++) {
      const end = Math.min(size, start + COPY_PART) - 1;
      const r = await s3.send(new sdk.UploadPartCopyCommand({ Bucket: dst.bucket, Key: dst.key, UploadId, PartNumber: n, CopySource: source, CopySourceRange: `bytes=${start}-${end}` }));
      parts.push({ PartNumber: n, ETag: r.CopyPartResult?.ETag });
    }
    await s3.send(new sdk.CompleteMultipartUploadCommand({ Bucket: dst.bucket, Key: dst.key, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (e) {
    await s3.send(new sdk.AbortMultipartUploadCommand({ Bucket: dst.bucket, Key: dst.key, UploadId })).catch(() => undefined);
    throw e;
  }
}

/** Moves (renames) every object under a prefix to another: copy each, then delete the originals once all copies succeeded. */
export async function movePrefix(from: string, to: string, o: DeletePrefixOptions = {}): Promise<{ moved: { from: string; to: string }[] }> {
  const { objects } = await list(from, o);
  const { key: fromKey } = splitS3Url(from);
  const dest = to.endsWith("/") || !from.endsWith("/") ? to : `${to}/`;
  const moved = objects.map((x) => ({ from: x.url, to: `${dest}${x.key.slice(fromKey.length)}` }));
  if (o.dryRun) return { moved };
  for (const m of moved) await copy(m.from, m.to, o);
  await deleteUrls(moved.map((m) => m.from), o);
  return { moved };
}

async function objectLines(url: string, c: AwsClients): Promise<AsyncIterable<string>> {
  const sdk = await loadS3Sdk();
  const s3 = await client(c);
  const { bucket, key } = splitS3Url(url);
  const out = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = out.Body as Readable;
  // Sniff the gzip magic bytes (1f 8b) from the first chunk without buffering the object.
  const iter = body[Symbol.asyncIterator]();
  const first = await iter.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Uint8Array);
  const rest = Readable.from((async function* () {
    if (head.length) yield head;
    for (let n = await iter.next(); !n.done; n = await iter.next()) yield n.value as Uint8Array;
  })());
  const stream = head[0] === 0x1f && head[1] === 0x8b ? rest.pipe(createGunzip()) : rest;
  return createInterface({ input: stream, crlfDelay: Infinity });
}

/** Counts the lines of an object (or of every object under a prefix ending in `/`), streaming and gunzipping when needed. */
export async function countLines(url: string, c: AwsClients = {}): Promise<number> {
  let n = 0;
  for (const u of await targets(url, c)) for await (const _ of await objectLines(u, c)) n++;
  return n;
}

/** One grep hit. */
export interface GrepMatch {
  readonly url: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** Finds lines matching a pattern in an object or every object under a prefix (ending in `/`), streaming, gzip-aware. */
export async function grep(url: string, pattern: RegExp | string, o: AwsClients & { readonly maxMatches?: number } = {}): Promise<GrepMatch[]> {
  const re = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
  const out: GrepMatch[] = [];
  for (const u of await targets(url, o)) {
    let line = 0;
    for await (const text of await objectLines(u, o)) {
      line++;
      re.lastIndex = 0;
      if (re.test(text)) {
        out.push({ url: u, line, text });
        if (o.maxMatches !== undefined && out.length >= o.maxMatches) return out;
      }
    }
  }
  return out;
}

async function targets(url: string, c: AwsClients): Promise<string[]> {
  if (!url.endsWith("/")) return [url];
  return (await list(url, c)).objects.map((x) => x.url);
}

/** Uploads one local file (multipart above 8 MiB, streamed from disk). */
export async function uploadFile(file: string, to: string, c: AwsClients = {}): Promise<void> {
  const { Upload } = await import("@aws-sdk/lib-storage").catch((e: unknown) => {
    throw new EngineError("MISSING_DEPENDENCY", "s3: expected the optional package @aws-sdk/lib-storage to be installed, got none; install it with `npm install @aws-sdk/lib-storage`", { cause: e });
  });
  const { bucket, key } = splitS3Url(to);
  await new Upload({ client: await client(c), params: { Bucket: bucket, Key: key, Body: createReadStream(file) }, partSize: 8 * 1024 * 1024, queueSize: 4 }).done();
}

/** Uploads every file below a local folder to a prefix, keeping relative paths. */
export async function uploadDirectory(dir: string, to: string, c: AwsClients = {}): Promise<{ uploaded: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const base = to.endsWith("/") ? to : `${to}/`;
  const uploaded: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    const url = `${base}${path.relative(dir, full).split(path.sep).join("/")}`;
    await uploadFile(full, url, c);
    uploaded.push(url);
  }
  return { uploaded };
}

/** Downloads one object to a local file, streamed. */
export async function downloadFile(from: string, file: string, c: AwsClients = {}): Promise<number> {
  const sdk = await loadS3Sdk();
  const s3 = await client(c);
  const { bucket, key } = splitS3Url(from);
  const out = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
  await mkdir(path.dirname(file), { recursive: true });
  await pipeline(out.Body as Readable, createWriteStream(file));
  return (await stat(file)).size;
}

/** Downloads every object under a prefix into a local folder, keeping relative keys. */
export async function downloadDirectory(from: string, dir: string, c: AwsClients = {}): Promise<{ files: string[] }> {
  const prefix = from.endsWith("/") ? from : `${from}/`;
  const { key: pkey } = splitS3Url(prefix);
  const files: string[] = [];
  for await (const o of listObjects(prefix, c)) {
    const rel = o.key.slice(pkey.length);
    if (!rel || rel.endsWith("/")) continue;
    const file = path.join(dir, ...rel.split("/"));
    if (!path.resolve(file).startsWith(path.resolve(dir))) throw new EngineError("INVALID_LOCATION", `s3: download: key ${o.key} escapes the target folder`);
    await downloadFile(o.url, file, c);
    files.push(file);
  }
  return { files };
}
