// `@engine/iceberg/io/s3`: the S3 FileIO. Importing this module registers it for the `s3`, `s3a`
// and `s3n` schemes; `@aws-sdk/client-s3` (and `@aws-sdk/lib-storage` for multipart writes) load
// on first use.
import { registerFileIO } from "../registry.js";
import { S3FileIO } from "./s3-file-io.js";
import type { S3Properties } from "./s3-client.js";

export * from "./properties.js";
export { S3FileIO, isS3NotFound, httpStatusOf, type S3FileIOOptions } from "./s3-file-io.js";
export { createS3Client, s3ClientConfig, retryConfigFrom, type S3Properties } from "./s3-client.js";
export { parseS3Url, formatS3Url, type S3Location } from "./s3-location.js";
export { importOptional, loadS3Sdk, loadS3Storage } from "./optional-import.js";

/**
 * Registers S3FileIO for `s3:`, `s3a:` and `s3n:` with default properties that the catalog's or
 * table's own properties override (done once with no defaults on import).
 *
 * ```ts
 * registerS3FileIO({ [S3_ENDPOINT]: "http://127.0.0.1:5000", [S3_PATH_STYLE_ACCESS]: "true" });
 * ```
 */
export function registerS3FileIO(defaults: S3Properties = {}): void {
  const factory = (props: Readonly<Record<string, string>>) => new S3FileIO({ ...defaults, ...props });
  for (const scheme of ["s3", "s3a", "s3n"]) registerFileIO(scheme, factory);
}

registerS3FileIO();
