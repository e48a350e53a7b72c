import { IcebergError } from "../../errors.js";

/**
 * Imports an optional package (an AWS SDK client) on first use, so the local path never loads
 * it; fails with an "install X" error naming what needs it when it is absent.
 */
export async function importOptional<T>(pkg: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string })?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || /Cannot find (module|package)/.test(String((e as Error)?.message))) {
      throw new IcebergError("MISSING_DEPENDENCY", `${neededBy}: expected the optional package ${pkg} to be installed, got none; install it with \`npm install ${pkg}\``, {
        context: { package: pkg }, cause: e,
      });
    }
    throw e;
  }
}

/** The S3 client package, loaded lazily. */
export const loadS3Sdk = (neededBy = "io: s3"): Promise<typeof import("@aws-sdk/client-s3")> =>
  importOptional("@aws-sdk/client-s3", neededBy, () => import("@aws-sdk/client-s3"));

/** The S3 multipart upload helper, loaded lazily. */
export const loadS3Storage = (neededBy = "io: s3"): Promise<typeof import("@aws-sdk/lib-storage")> =>
  importOptional("@aws-sdk/lib-storage", neededBy, () => import("@aws-sdk/lib-storage"));
