import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import {
  CLIENT_ACCESS_KEY_ID, CLIENT_REGION, CLIENT_SECRET_ACCESS_KEY, CLIENT_SESSION_TOKEN, S3_ACCESS_KEY_ID, S3_ENDPOINT,
  S3_PATH_STYLE_ACCESS, S3_REGION, S3_RETRY_MODE, S3_RETRY_NUM_RETRIES, S3_SECRET_ACCESS_KEY, S3_SESSION_TOKEN,
} from "./properties.js";
import { loadS3Sdk } from "./optional-import.js";

/** Properties (string map) of an S3 FileIO or client. */
export type S3Properties = Readonly<Record<string, string | undefined>>;

const first = (props: S3Properties, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = props[k];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
};

/** The retry settings an AWS SDK v3 client takes from properties: standard/adaptive mode, attempts = retries + 1. */
export function retryConfigFrom(props: S3Properties, retriesKey: string, modeKey: string, defaultRetries = 5): { maxAttempts: number; retryMode: "standard" | "adaptive" } {
  const n = Number(props[retriesKey]);
  const retries = props[retriesKey] !== undefined && Number.isInteger(n) && n >= 0 ? n : defaultRetries;
  return { maxAttempts: retries + 1, retryMode: props[modeKey] === "adaptive" ? "adaptive" : "standard" };
}

/**
 * The S3 client configuration for FileIO properties: region, endpoint, static credentials (else
 * the AWS default chain), path-style addressing, and the SDK's retry strategy, which backs off
 * exponentially with jitter on throttling (SlowDown, 503) and 5xx.
 */
export function s3ClientConfig(props: S3Properties): S3ClientConfig {
  const region = first(props, S3_REGION, CLIENT_REGION);
  const endpoint = first(props, S3_ENDPOINT);
  const accessKeyId = first(props, S3_ACCESS_KEY_ID, CLIENT_ACCESS_KEY_ID);
  const secretAccessKey = first(props, S3_SECRET_ACCESS_KEY, CLIENT_SECRET_ACCESS_KEY);
  const sessionToken = first(props, S3_SESSION_TOKEN, CLIENT_SESSION_TOKEN);
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
    forcePathStyle: props[S3_PATH_STYLE_ACCESS] === "true",
    ...retryConfigFrom(props, S3_RETRY_NUM_RETRIES, S3_RETRY_MODE),
    // S3-compatible stores often reject the SDK's default flexible checksums; send them only where S3 requires one.
    ...(endpoint ? { requestChecksumCalculation: "WHEN_REQUIRED" as const, responseChecksumValidation: "WHEN_REQUIRED" as const } : {}),
  };
}

/** A new S3 client for FileIO properties (loads `@aws-sdk/client-s3` on first use). */
export async function createS3Client(props: S3Properties = {}): Promise<S3Client> {
  const sdk = await loadS3Sdk();
  return new sdk.S3Client(s3ClientConfig(props));
}
