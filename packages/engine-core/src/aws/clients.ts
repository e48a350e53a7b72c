import type { AthenaClient } from "@aws-sdk/client-athena";
import type { GlueClient } from "@aws-sdk/client-glue";
import type { S3Client } from "@aws-sdk/client-s3";
import { EngineError } from "../errors.js";

/** Where and as whom to reach AWS; everything optional (the AWS default chain fills the gaps). */
export interface AwsOptions {
  readonly region?: string;
  /** One endpoint for every service (moto, LocalStack). */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Attempts per call, retries included (SDK standard retry strategy); default 5. */
  readonly maxAttempts?: number;
  /** `"adaptive"` adds client-side rate limiting to the standard strategy. */
  readonly retryMode?: "standard" | "adaptive";
  /** S3 path-style addressing (S3-compatible stores); defaults to true when `endpoint` is set. */
  readonly forcePathStyle?: boolean;
}

/** The SDK clients a piece of the AWS toolkit may need; missing ones are built from `aws`. */
export interface AwsClients {
  readonly s3?: S3Client;
  readonly glue?: GlueClient;
  readonly athena?: AthenaClient;
  readonly aws?: AwsOptions;
}

/**
 * Imports an optional AWS SDK package on first use; fails with an "install X" error when it is
 * absent, so the local path never needs one.
 */
export async function importAws<T>(pkg: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string })?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new EngineError("MISSING_DEPENDENCY", `${neededBy}: expected the optional package ${pkg} to be installed, got none; install it with \`npm install ${pkg}\``, { context: { package: pkg }, cause: e });
    }
    throw e;
  }
}

/** `@aws-sdk/client-athena`, loaded lazily. */
export const loadAthenaSdk = (): Promise<typeof import("@aws-sdk/client-athena")> =>
  importAws("@aws-sdk/client-athena", "athena", () => import("@aws-sdk/client-athena"));
/** `@aws-sdk/client-glue`, loaded lazily. */
export const loadGlueSdk = (): Promise<typeof import("@aws-sdk/client-glue")> =>
  importAws("@aws-sdk/client-glue", "glue", () => import("@aws-sdk/client-glue"));
/** `@aws-sdk/client-s3`, loaded lazily. */
export const loadS3Sdk = (): Promise<typeof import("@aws-sdk/client-s3")> =>
  importAws("@aws-sdk/client-s3", "s3", () => import("@aws-sdk/client-s3"));

function common(o: AwsOptions = {}) {
  return {
    ...(o.region ? { region: o.region } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    maxAttempts: o.maxAttempts ?? 5,
    retryMode: o.retryMode ?? "standard",
  };
}

/** An Athena client for the options (or the one given). */
export async function athenaClientOf(c: AwsClients = {}): Promise<AthenaClient> {
  if (c.athena) return c.athena;
  const sdk = await loadAthenaSdk();
  return new sdk.AthenaClient(common(c.aws));
}

/** A Glue client for the options (or the one given). */
export async function glueClientOf(c: AwsClients = {}): Promise<GlueClient> {
  if (c.glue) return c.glue;
  const sdk = await loadGlueSdk();
  return new sdk.GlueClient(common(c.aws));
}

/** An S3 client for the options (or the one given); path-style when a custom endpoint is set. */
export async function s3ClientOf(c: AwsClients = {}): Promise<S3Client> {
  if (c.s3) return c.s3;
  const sdk = await loadS3Sdk();
  const o = c.aws ?? {};
  return new sdk.S3Client({
    ...common(o),
    forcePathStyle: o.forcePathStyle ?? o.endpoint !== undefined,
    ...(o.endpoint ? { requestChecksumCalculation: "WHEN_REQUIRED" as const, responseChecksumValidation: "WHEN_REQUIRED" as const } : {}),
  });
}

/** The S3 FileIO properties (`s3.*`) equivalent to AWS options, for `@engine/iceberg/io/s3` and the Glue catalog. */
export function s3PropertiesOf(o: AwsOptions = {}): Record<string, string> {
  return {
    ...(o.region ? { "s3.region": o.region, "client.region": o.region } : {}),
    ...(o.endpoint ? { "s3.endpoint": o.endpoint, "s3.path-style-access": String(o.forcePathStyle ?? true) } : {}),
    ...(o.credentials
      ? {
        "s3.access-key-id": o.credentials.accessKeyId, "s3.secret-access-key": o.credentials.secretAccessKey,
        "client.access-key-id": o.credentials.accessKeyId, "client.secret-access-key": o.credentials.secretAccessKey,
        ...(o.credentials.sessionToken ? { "s3.session-token": o.credentials.sessionToken, "client.session-token": o.credentials.sessionToken } : {}),
      }
      : {}),
    ...(o.maxAttempts ? { "s3.retry.num-retries": String(Math.max(0, o.maxAttempts - 1)) } : {}),
    ...(o.retryMode ? { "s3.retry-mode": o.retryMode } : {}),
  };
}
