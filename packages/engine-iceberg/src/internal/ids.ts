import { randomBytes, randomUUID } from "node:crypto";

/** A random positive 63-bit snapshot id (never 0). */
export function newSnapshotId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn;
    if (id !== 0n) return id;
  }
}

/** A random UUID string. */
export const newUuid = (): string => randomUUID();

/** Sleeps for a number of milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
