import type { S3Client } from "@aws-sdk/client-s3";
import { AlreadyExistsError, FileNotCreatedError, IcebergError } from "../../errors.js";
import type { FileInfo, FileIO, InputFile, OutputFile } from "../file-io.js";
import { loadS3Sdk, loadS3Storage } from "./optional-import.js";
import { S3_MULTIPART_CONCURRENCY, S3_MULTIPART_PART_SIZE } from "./properties.js";
import { createS3Client, type S3Properties } from "./s3-client.js";
import { formatS3Url, parseS3Url } from "./s3-location.js";

/** Options of S3FileIO beyond its properties. */
export interface S3FileIOOptions {
  /** An S3 client to use instead of one built from the properties. */
  readonly client?: S3Client;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Spec: S3 DeleteObjects accepts at most 1000 keys per request. */
const DELETE_BATCH = 1000;

/** HTTP status of an AWS SDK error (undefined for network errors). */
export function httpStatusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** How many HTTP attempts the SDK made before this error (1 when it does not say). */
function attemptsOf(e: unknown): number {
  return (e as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
}

/** Whether an S3 error says the object (or bucket) is absent. */
export function isS3NotFound(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === "NoSuchKey" || name === "NotFound" || httpStatusOf(e) === 404;
}

const ioError = (op: string, location: string, e: unknown): IcebergError => {
  if (e instanceof IcebergError) return e;
  const status = httpStatusOf(e);
  const code = isS3NotFound(e) ? "NOT_FOUND" : "IO_ERROR";
  return new IcebergError(code, `io: s3: ${op} ${location} failed: ${(e as Error)?.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${(e as Error)?.message ?? String(e)}`, {
    context: { location, operation: op, ...(status ? { status } : {}) }, cause: e,
  });
};

/**
 * FileIO over Amazon S3 and S3-compatible stores: ranged reads, multipart writes of large files,
 * batched deletes, paginated listing, and create-if-absent through conditional writes
 * (`If-None-Match: *`), so a filesystem-style catalog on S3 commits safely. Retries with
 * backoff and jitter come from the SDK's retry strategy (see `s3ClientConfig`).
 *
 * ```ts
 * const io = new S3FileIO({ [S3_REGION]: "eu-west-1" });
 * const bytes = await io.newInputFile("s3://lake/wh/t/metadata/v1.metadata.json").read();
 * ```
 */
export class S3FileIO implements FileIO {
  readonly properties: S3Properties;
  private clientPromise: Promise<S3Client> | undefined;

  constructor(properties: S3Properties = {}, options: S3FileIOOptions = {}) {
    this.properties = { ...properties };
    if (options.client) this.clientPromise = Promise.resolve(options.client);
  }

  /** The S3 client (built on first use from the properties). */
  client(): Promise<S3Client> {
    this.clientPromise ??= createS3Client(this.properties);
    return this.clientPromise;
  }

  private partSize(): number {
    const n = Number(this.properties[S3_MULTIPART_PART_SIZE]);
    return Number.isFinite(n) && n > 0 ? Math.max(MIN_PART_SIZE, n) : DEFAULT_PART_SIZE;
  }

  newInputFile(location: string): InputFile {
    const { bucket, key } = parseS3Url(location);
    const get = async (range?: string): Promise<Uint8Array> => {
      const sdk = await loadS3Sdk();
      const client = await this.client();
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
      } catch (e) {
        // Spec (S3 GetObject): a range starting at or past the end answers 416 InvalidRange.
        if (range && httpStatusOf(e) === 416) return new Uint8Array(0);
        throw ioError(range ? `read range ${range} of` : "read", location, e);
      }
    };
    const head = async () => {
      const sdk = await loadS3Sdk();
      const client = await this.client();
      return client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    };
    return {
      location,
      read: () => get(),
      readRange: (offset, length) => (length <= 0 ? Promise.resolve(new Uint8Array(0)) : get(`bytes=${offset}-${offset + length - 1}`)),
      length: async () => {
        try {
          return Number((await head()).ContentLength ?? 0);
        } catch (e) {
          throw ioError("stat", location, e);
        }
      },
      exists: async () => {
        try {
          await head();
          return true;
        } catch (e) {
          if (isS3NotFound(e)) return false;
          throw ioError("stat", location, e);
        }
      },
    };
  }

  newOutputFile(location: string): OutputFile {
    const { bucket, key } = parseS3Url(location);
    return {
      location,
      // S3 PUTs are atomic: readers see the old object or all of the new one.
      write: async (data) => {
        const client = await this.client();
        try {
          if (data.byteLength > this.partSize()) {
            const { Upload } = await loadS3Storage();
            const queueSize = Number(this.properties[S3_MULTIPART_CONCURRENCY]) || 4;
            // lib-storage aborts the multipart upload itself when a part fails for good.
            await new Upload({ client, params: { Bucket: bucket, Key: key, Body: data }, partSize: this.partSize(), queueSize, leavePartsOnError: false }).done();
          } else {
            const sdk = await loadS3Sdk();
            await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
          }
        } catch (e) {
          throw ioError("write", location, e);
        }
      },
      // Spec (S3 conditional writes): `If-None-Match: *` fails with 412 when the key exists, and
      // with 409 ConditionalRequestConflict when another conditional write of the key is in flight.
      // The SDK retries a PUT whose answer was lost; the earlier attempt may have stored the object.
      // So a 412 after retries is ours when the object holds our bytes (callers write unique
      // content), and an error answer proves the object absent only when it answered the one attempt.
      createExclusive: async (data) => {
        const sdk = await loadS3Sdk();
        const client = await this.client();
        try {
          await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: data, IfNoneMatch: "*" }));
        } catch (e) {
          const status = httpStatusOf(e);
          const retried = attemptsOf(e) > 1;
          if (status === 412 || (e as Error)?.name === "PreconditionFailed") {
            if (retried && (await this.holds(location, data))) return;
            throw new AlreadyExistsError(`file ${location}`, { cause: e });
          }
          // 409: another conditional write of the key is in flight, after retries possibly our own.
          if (status === 409 && !retried) throw new AlreadyExistsError(`file ${location}`, { cause: e });
          // Spec (S3 error responses): a 4xx answer means the request was rejected and nothing was stored.
          if (status !== undefined && status >= 400 && status < 500 && status !== 409 && !retried) {
            throw new FileNotCreatedError(location, { cause: ioError("create", location, e) });
          }
          throw ioError("create", location, e);
        }
      },
    };
  }

  /** Whether the object holds exactly `data` (false when absent); throws when it cannot be read. */
  private async holds(location: string, data: Uint8Array): Promise<boolean> {
    let stored: Uint8Array;
    try {
      stored = await this.newInputFile(location).read();
    } catch (e) {
      if (e instanceof IcebergError && e.code === "NOT_FOUND") return false;
      throw e;
    }
    return stored.length === data.length && stored.every((b, i) => b === data[i]);
  }

  /** Deletes objects, at most 1000 per DeleteObjects request; absent keys are not an error. */
  async delete(locations: readonly string[]): Promise<void> {
    if (locations.length === 0) return;
    const sdk = await loadS3Sdk();
    const client = await this.client();
    const byBucket = new Map<string, string[]>();
    for (const l of locations) {
      const { bucket, key } = parseS3Url(l);
      const keys = byBucket.get(bucket);
      if (keys) keys.push(key); else byBucket.set(bucket, [key]);
    }
    for (const [bucket, keys] of byBucket) {
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        let out;
        try {
          out = await client.send(new sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        } catch (e) {
          throw ioError(`delete ${batch.length} objects in`, `s3://${bucket}`, e);
        }
        const failed = (out.Errors ?? []).filter((err) => err.Code !== "NoSuchKey");
        if (failed.length > 0) {
          throw new IcebergError("IO_ERROR", `io: s3: delete: expected ${batch.length} objects deleted in s3://${bucket}, got ${failed.length} failures (first: ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message ?? ""})`, {
            context: { bucket, failed: failed.map((f) => ({ key: f.Key, code: f.Code })) },
          });
        }
      }
    }
  }

  /** Lists every object below a prefix (as a folder: `prefix/`), paginated, with size and last-modified time. */
  async *list(prefix: string): AsyncIterable<FileInfo> {
    const { scheme, bucket, key } = parseS3Url(prefix);
    const folder = key === "" || key.endsWith("/") ? key : `${key}/`;
    const sdk = await loadS3Sdk();
    const client = await this.client();
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: folder, ...(token ? { ContinuationToken: token } : {}) }));
      } catch (e) {
        if ((e as Error)?.name === "NoSuchBucket") return;
        throw ioError("list", prefix, e);
      }
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        yield { location: formatS3Url(bucket, o.Key, scheme), size: Number(o.Size ?? 0), lastModifiedMs: o.LastModified ? o.LastModified.getTime() : 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Objects in S3 have no local path. */
  localPath(): string | undefined {
    return undefined;
  }
}
