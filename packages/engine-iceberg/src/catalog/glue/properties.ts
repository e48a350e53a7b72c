// Catalog property keys of the Glue catalog. Spec: PyIceberg `catalog/glue.py` and Java's AwsProperties names.

/** The Glue catalog id (the AWS account id) to use instead of the caller's. */
export const GLUE_ID = "glue.id";
/** Region of the Glue Data Catalog; falls back to `client.region`, then the AWS default chain. */
export const GLUE_REGION = "glue.region";
/** Custom Glue endpoint (Glue-compatible metastores, moto). */
export const GLUE_ENDPOINT = "glue.endpoint";
/** Static access key id for Glue; falls back to `client.access-key-id`, then the default chain. */
export const GLUE_ACCESS_KEY_ID = "glue.access-key-id";
/** Static secret access key for Glue. */
export const GLUE_SECRET_ACCESS_KEY = "glue.secret-access-key";
/** Session token for Glue. */
export const GLUE_SESSION_TOKEN = "glue.session-token";
/** `"false"` makes Glue archive a table version on every commit; default `"true"` (skip), as PyIceberg. */
export const GLUE_SKIP_ARCHIVE = "glue.skip-archive";
/** Retries of Glue calls after the first attempt; default 10, as PyIceberg. */
export const GLUE_MAX_RETRIES = "glue.max-retries";
/** SDK retry mode of Glue calls: `"standard"` (default) or `"adaptive"`. */
export const GLUE_RETRY_MODE = "glue.retry-mode";
/**
 * `"true"` guards commits with a create-if-absent claim file next to the metadata, for
 * Glue-compatible metastores that ignore UpdateTable's VersionId (moto); real Glue does not need it.
 */
export const GLUE_COMMIT_CLAIM = "glue.commit-claim";
