import { KeyMaterialError, MissingDependencyError } from "../errors.js";
import { assertKeyLength } from "../internal/key-check.js";
import type { KeyMaterial, KeyProvider } from "./key-provider.js";

/** The slice of `@aws-sdk/client-kms`'s `KMSClient` this provider uses. */
export interface KmsClientLike {
  send(command: object): Promise<{ readonly Plaintext?: Uint8Array | undefined }>;
}

/** Options of `kmsKeyProvider`. */
export interface KmsKeyProviderOptions {
  /** The KMS key id, ARN or alias that encrypted the data key. */
  readonly keyId: string;
  /** The encrypted data key (bytes, or base64 as `aws kms generate-data-key` prints it). */
  readonly ciphertextBlob: Uint8Array | string;
  /** A client to use; default a new `KMSClient()` with the SDK's default configuration. */
  readonly client?: KmsClientLike;
}

const KMS_PACKAGE = "@aws-sdk/client-kms";

interface KmsModule {
  KMSClient: new (config: object) => KmsClientLike;
  DecryptCommand: new (input: { CiphertextBlob: Uint8Array; KeyId: string }) => object;
}

async function loadKms(): Promise<KmsModule> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
  const specifier: string = KMS_PACKAGE;
  try {
    return (await import(specifier)) as KmsModule;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new MissingDependencyError(
        KMS_PACKAGE,
        `pii: kmsKeyProvider needs ${KMS_PACKAGE}: install it (npm install ${KMS_PACKAGE})`,
        { cause },
      );
    }
    throw cause;
  }
}

/**
 * A provider that decrypts a data key with AWS KMS on first use (envelope encryption) and
 * keeps the plaintext in memory; `@aws-sdk/client-kms` is loaded lazily and must be installed
 * by the caller.
 *
 * ```ts
 * const provider = kmsKeyProvider({ keyId: "alias/engine-pii", ciphertextBlob: process.env.ENGINE_PII_KEY_BLOB! });
 * ```
 */
export function kmsKeyProvider(options: KmsKeyProviderOptions): KeyProvider {
  let pending: Promise<KeyMaterial> | undefined;
  const id = `kms:${options.keyId}`;
  const decrypt = async (): Promise<KeyMaterial> => {
    const kms = await loadKms();
    const client = options.client ?? new kms.KMSClient({});
    const blob =
      typeof options.ciphertextBlob === "string"
        ? Uint8Array.from(Buffer.from(options.ciphertextBlob, "base64"))
        : options.ciphertextBlob;
    let plaintext: Uint8Array | undefined;
    try {
      const out = await client.send(new kms.DecryptCommand({ CiphertextBlob: blob, KeyId: options.keyId }));
      plaintext = out.Plaintext;
    } catch (cause) {
      throw new KeyMaterialError("PII_KEY_UNAVAILABLE", `pii: ${id}: KMS Decrypt failed`, {
        context: { keyId: options.keyId },
        cause,
      });
    }
    if (plaintext === undefined) {
      throw new KeyMaterialError("PII_KEY_UNAVAILABLE", `pii: ${id}: KMS Decrypt returned no plaintext`, {
        context: { keyId: options.keyId },
      });
    }
    assertKeyLength(plaintext, id);
    return Uint8Array.from(plaintext);
  };
  return {
    id,
    getKey() {
      pending ??= decrypt().catch((e: unknown) => {
        pending = undefined; // let a later call retry
        throw e;
      });
      return pending.then((k) => Uint8Array.from(k));
    },
  };
}
