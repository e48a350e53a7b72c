import { bigintToMinBytes, longLE, utf8, uuidToBytes } from "../internal/bytes.js";
import { floorDiv } from "../internal/datetime.js";
import { murmur3 } from "../internal/murmur3.js";
import { InvalidMetadataError } from "../errors.js";
import type { PrimitiveType } from "./types.js";
import { typeToString } from "./type-json.js";

/** The 32-bit Murmur3 hash of an Iceberg value as the bucket transform defines it (signed int). */
export function bucketHash(type: PrimitiveType, value: unknown): number {
  // Spec (Appendix B): int and date hash as hashLong(long(v)); long/time/timestamp as
  // hashBytes(littleEndianBytes(v)); timestamp_ns is first reduced to microseconds;
  // decimal hashes minBigEndian(unscaled); string utf8; uuid its 16 big-endian bytes.
  if (type.kind === "decimal") return murmur3(bigintToMinBytes(value as bigint));
  if (type.kind === "fixed") return murmur3(value as Uint8Array);
  switch (type.name) {
    case "int": case "date": return murmur3(longLE(BigInt(value as number)));
    case "long": case "time": case "timestamp": case "timestamptz": return murmur3(longLE(value as bigint));
    case "timestamp_ns": case "timestamptz_ns": return murmur3(longLE(floorDiv(value as bigint, 1000n)));
    case "string": return murmur3(utf8(value as string));
    case "uuid": return murmur3(uuidToBytes(value as string));
    case "binary": return murmur3(value as Uint8Array);
    default:
      throw new InvalidMetadataError(`transform: bucket: expected a hashable source type, got ${typeToString(type)}`);
  }
}

/** The bucket of a value: `(hash & Integer.MAX_VALUE) % n`. */
export function bucketOf(type: PrimitiveType, value: unknown, n: number): number {
  return (bucketHash(type, value) & 0x7fffffff) % n;
}
