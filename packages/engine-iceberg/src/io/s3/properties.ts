// Property keys of the S3 FileIO. Spec: the names PyIceberg (`pyiceberg/io/__init__.py`) and
// Java's S3FileIOProperties use, so one catalog configuration serves all three.

/** Custom endpoint (S3-compatible stores, moto, MinIO). */
export const S3_ENDPOINT = "s3.endpoint";
/** Region of the bucket; falls back to `client.region`, then the AWS default chain. */
export const S3_REGION = "s3.region";
/** Static access key id; absent means the AWS default credential chain. */
export const S3_ACCESS_KEY_ID = "s3.access-key-id";
/** Static secret access key. */
export const S3_SECRET_ACCESS_KEY = "s3.secret-access-key";
/** Session token of temporary credentials. */
export const S3_SESSION_TOKEN = "s3.session-token";
/** `"true"` addresses buckets by path (`endpoint/bucket/key`) instead of virtual hosts. */
export const S3_PATH_STYLE_ACCESS = "s3.path-style-access";
/** Retries after the first attempt on throttling and 5xx (Java's name); default 5. */
export const S3_RETRY_NUM_RETRIES = "s3.retry.num-retries";
/** SDK retry mode: `"standard"` (default) or `"adaptive"` (client-side rate limiting). */
export const S3_RETRY_MODE = "s3.retry-mode";
/** Part size of multipart uploads in bytes (Java's name); writes larger than one part go multipart; default 8 MiB, minimum 5 MiB. */
export const S3_MULTIPART_PART_SIZE = "s3.multipart.part-size-bytes";
/** Parts uploaded in parallel by one multipart write; default 4. */
export const S3_MULTIPART_CONCURRENCY = "s3.multipart.num-threads";

/** Client-wide region (PyIceberg's `client.region`), used when `s3.region` is absent. */
export const CLIENT_REGION = "client.region";
/** Client-wide access key id (PyIceberg's `client.access-key-id`). */
export const CLIENT_ACCESS_KEY_ID = "client.access-key-id";
/** Client-wide secret access key (PyIceberg's `client.secret-access-key`). */
export const CLIENT_SECRET_ACCESS_KEY = "client.secret-access-key";
/** Client-wide session token (PyIceberg's `client.session-token`). */
export const CLIENT_SESSION_TOKEN = "client.session-token";
