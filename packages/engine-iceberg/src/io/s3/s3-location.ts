import { IcebergError } from "../../errors.js";

/** A parsed `s3://bucket/key` location (`s3a:` and `s3n:` too). */
export interface S3Location {
  readonly scheme: string;
  readonly bucket: string;
  readonly key: string;
}

/** Splits an `s3://bucket/key` URL into scheme, bucket and key (the key has no leading slash). */
export function parseS3Url(location: string): S3Location {
  const m = /^(s3[an]?):\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (!m) throw new IcebergError("INVALID_LOCATION", `io: s3: expected a location like s3://bucket/key, got "${location}"`, { context: { location } });
  return { scheme: m[1]!.toLowerCase(), bucket: m[2]!, key: m[3]! };
}

/** Builds `scheme://bucket/key`. */
export function formatS3Url(bucket: string, key: string, scheme = "s3"): string {
  return `${scheme}://${bucket}/${key}`;
}
