import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  envKeyProvider,
  KeyMaterialError,
  kmsKeyProvider,
  MissingDependencyError,
  PiiArgumentError,
  staticKeyProvider,
  subjectKeyText,
  tokenize,
} from "../src/index.js";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const HEX_KEY = Buffer.from(KEY).toString("hex");

describe("tokenize", () => {
  it("is HMAC-SHA256 of the subject key's text, in hex", () => {
    const expected = createHmac("sha256", KEY).update("customer-42").digest("hex");
    expect(tokenize("customer-42", KEY)).toBe(expected);
    expect(tokenize("customer-42", KEY)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("matches RFC 4231 test case 6 (a key longer than the block)", () => {
    const key = new Uint8Array(131).fill(0xaa);
    expect(tokenize("Test Using Larger Than Block-Size Key - Hash Key First", key)).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
  });

  it("gives integers the same token whether number, bigint or decimal string", () => {
    expect(tokenize(42, KEY)).toBe(tokenize("42", KEY));
    expect(tokenize(42n, KEY)).toBe(tokenize("42", KEY));
    expect(tokenize(-9007199254740993n, KEY)).toBe(tokenize("-9007199254740993", KEY));
    expect(subjectKeyText(-0)).toBe("0");
  });

  it("is stable across calls and different per key", () => {
    const other = Uint8Array.from(KEY, (b) => b ^ 0xff);
    expect(tokenize("a", KEY)).toBe(tokenize("a", Uint8Array.from(KEY)));
    expect(tokenize("a", KEY)).not.toBe(tokenize("a", other));
  });

  it("refuses short keys and non-integer numbers", () => {
    expect(() => tokenize("a", new Uint8Array(16))).toThrow(KeyMaterialError);
    expect(() => tokenize("a", new Uint8Array(16))).toThrow("pii: tokenize: expected a key of at least 32 bytes, got 16");
    expect(() => tokenize(1.5, KEY)).toThrow(PiiArgumentError);
    expect(() => tokenize(Number.NaN, KEY)).toThrow(/pii: tokenize: subject key/);
  });
});

describe("envKeyProvider", () => {
  it("decodes hex and base64 keys", async () => {
    const hex = envKeyProvider("K", { env: { K: HEX_KEY } });
    expect(hex.id).toBe("env:K");
    expect(await hex.getKey()).toEqual(KEY);
    const b64 = envKeyProvider("K", { env: { K: Buffer.from(KEY).toString("base64") } });
    expect(await b64.getKey()).toEqual(KEY);
    const b64url = envKeyProvider("K", { env: { K: Buffer.from(new Uint8Array(48).fill(0xfb)).toString("base64url") } });
    expect((await b64url.getKey()).length).toBe(48);
  });

  it("reads ENGINE_PII_KEY by default", () => {
    expect(envKeyProvider().id).toBe("env:ENGINE_PII_KEY");
  });

  it("says when the variable is unset", async () => {
    const err = await envKeyProvider("ENGINE_PII_KEY", { env: {} }).getKey().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMaterialError);
    expect((err as KeyMaterialError).code).toBe("PII_KEY_MISSING");
    expect((err as Error).message).toMatch(/^pii: ENGINE_PII_KEY is not set: expected a key of at least 32 bytes/);
  });

  it("says when the key is too short, after which decoding, without showing it", async () => {
    const short = "00112233445566778899aabbccddeeff"; // 16 bytes as hex
    const err = await envKeyProvider("K", { env: { K: short } }).getKey().catch((e: unknown) => e);
    expect((err as KeyMaterialError).code).toBe("PII_KEY_TOO_SHORT");
    expect((err as Error).message).toBe("pii: K (decoded as hex): expected a key of at least 32 bytes, got 16");
    const b64 = Buffer.from("sixteen byte key").toString("base64");
    const err2 = await envKeyProvider("K", { env: { K: b64 } }).getKey().catch((e: unknown) => e);
    expect((err2 as Error).message).toBe("pii: K (decoded as base64): expected a key of at least 32 bytes, got 16");
    expect(JSON.stringify(err2) + String((err2 as Error).stack)).not.toContain(b64);
  });

  it("says when the value is neither hex nor base64", async () => {
    const err = await envKeyProvider("K", { env: { K: "not a key!" } }).getKey().catch((e: unknown) => e);
    expect((err as KeyMaterialError).code).toBe("PII_KEY_UNDECODABLE");
    expect((err as Error).message).not.toContain("not a key!");
  });
});

describe("staticKeyProvider", () => {
  it("returns a copy of its bytes", async () => {
    const p = staticKeyProvider(KEY, "test");
    const k = await p.getKey();
    k[0] = 99;
    expect((await p.getKey())[0]).toBe(1);
    expect(p.id).toBe("test");
  });

  it("refuses a short key at once", () => {
    expect(() => staticKeyProvider(new Uint8Array(31))).toThrow(KeyMaterialError);
  });
});

describe("kmsKeyProvider", () => {
  it("fails with an install hint when @aws-sdk/client-kms is absent", async () => {
    const p = kmsKeyProvider({ keyId: "alias/pii", ciphertextBlob: "AQID" });
    expect(p.id).toBe("kms:alias/pii");
    const err = await p.getKey().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingDependencyError);
    expect((err as MissingDependencyError).packageName).toBe("@aws-sdk/client-kms");
    expect((err as Error).message).toBe(
      "pii: kmsKeyProvider needs @aws-sdk/client-kms: install it (npm install @aws-sdk/client-kms)",
    );
  });
});
