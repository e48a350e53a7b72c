import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { AlreadyExistsError, FileNotCreatedError, IcebergError } from "../src/index.js";
import { S3FileIO } from "../src/io/s3/index.js";

// How S3FileIO.createExclusive classifies failures, with a scripted client: what the SDK throws
// after its retries (status and attempt count in `$metadata`) and what the bucket holds then.
// The interop tests check the same against moto.

const LOC = "s3://lake/wh/t/metadata/v2.metadata.json";
const OURS = new TextEncoder().encode('{"snapshot-id": 1}');

/** An SDK service error as the retry middleware leaves it. */
function sdkError(name: string, status: number | undefined, attempts: number): Error {
  return Object.assign(new Error(`${name} (scripted)`), { name, $metadata: { ...(status ? { httpStatusCode: status } : {}), attempts } });
}

/** An S3FileIO whose PUT fails with `put` and whose GET answers with `stored` (undefined: NoSuchKey). */
function scripted(put: Error, stored?: Uint8Array): { io: S3FileIO; calls: string[] } {
  const calls: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string } }) => {
      const name = command.constructor.name;
      calls.push(name);
      if (name === "PutObjectCommand") throw put;
      if (name === "GetObjectCommand") {
        if (!stored) throw sdkError("NoSuchKey", 404, 1);
        return { Body: { transformToByteArray: async () => stored } };
      }
      throw new Error(`unexpected ${name}`);
    },
  } as unknown as S3Client;
  return { io: new S3FileIO({}, { client }), calls };
}

const create = (io: S3FileIO): Promise<unknown> => io.newOutputFile(LOC).createExclusive(OURS).then(() => "created", (e: unknown) => e);

describe("S3FileIO.createExclusive", () => {
  it("says the object was not created when S3 rejected the only attempt with a 4xx (403, 404 NoSuchBucket, 400)", async () => {
    for (const [name, status] of [["AccessDenied", 403], ["NoSuchBucket", 404], ["EntityTooLarge", 400]] as const) {
      const error = await create(scripted(sdkError(name, status, 1)).io);
      expect(error, name).toBeInstanceOf(FileNotCreatedError);
      expect((error as Error).message).toMatch(new RegExp(`create ${LOC}.*nothing was created.*${name}.*HTTP ${status}`));
    }
  });

  it("leaves the outcome open (IO_ERROR) when an earlier attempt may have stored the object, or for 5xx and network errors", async () => {
    for (const put of [sdkError("AccessDenied", 403, 3), sdkError("InternalError", 500, 1), sdkError("TimeoutError", undefined, 4), sdkError("ConditionalRequestConflict", 409, 2)]) {
      const error = await create(scripted(put).io);
      expect(error, put.name).toBeInstanceOf(IcebergError);
      expect(error, put.name).not.toBeInstanceOf(FileNotCreatedError);
      expect(error, put.name).not.toBeInstanceOf(AlreadyExistsError);
      expect((error as IcebergError).code).toBe("IO_ERROR");
    }
  });

  it("reports a 412 on the first attempt as AlreadyExistsError without reading the object", async () => {
    const { io, calls } = scripted(sdkError("PreconditionFailed", 412, 1), OURS);
    expect(await create(io)).toBeInstanceOf(AlreadyExistsError);
    expect(calls).toEqual(["PutObjectCommand"]);
    expect(await create(scripted(sdkError("ConditionalRequestConflict", 409, 1)).io)).toBeInstanceOf(AlreadyExistsError);
  });

  it("takes a 412 after retries as its own write when the object holds its bytes (the first attempt landed, its answer was lost)", async () => {
    const { io, calls } = scripted(sdkError("PreconditionFailed", 412, 2), OURS);
    expect(await create(io)).toBe("created");
    expect(calls).toEqual(["PutObjectCommand", "GetObjectCommand"]);
  });

  it("reports a 412 after retries as AlreadyExistsError when another writer's bytes are there", async () => {
    expect(await create(scripted(sdkError("PreconditionFailed", 412, 2), new TextEncoder().encode('{"snapshot-id": 2}')).io)).toBeInstanceOf(AlreadyExistsError);
  });
});
