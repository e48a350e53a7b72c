import { InvalidMetadataError } from "../errors.js";
import { bigintToMinBytes, bytesToUuid, fromUtf8, minBytesToBigint, utf8, uuidToBytes } from "../internal/bytes.js";
import { typeToString } from "./type-json.js";
import type { PrimitiveType } from "./types.js";

// Spec: "Appendix D: Single-value serialization" — binary form used for lower/upper bounds and
// manifest-list partition summaries.

/** Serializes one Iceberg value to the spec's single-value binary form. */
export function toBinary(type: PrimitiveType, value: unknown): Uint8Array {
  if (type.kind === "decimal") {
    // Spec: decimal stores the unscaled value as two's-complement big-endian, minimum bytes.
    return bigintToMinBytes(value as bigint);
  }
  if (type.kind === "fixed") return Uint8Array.from(value as Uint8Array);
  const view = (n: number): [Uint8Array, DataView] => {
    const b = new Uint8Array(n);
    return [b, new DataView(b.buffer)];
  };
  switch (type.name) {
    case "boolean": return Uint8Array.of(value ? 1 : 0); // Spec: 0x00 false, non-zero true.
    case "int": case "date": { const [b, d] = view(4); d.setInt32(0, value as number, true); return b; }
    case "long": case "time": case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns": {
      const [b, d] = view(8); d.setBigInt64(0, BigInt.asIntN(64, value as bigint), true); return b;
    }
    case "float": { const [b, d] = view(4); d.setFloat32(0, value as number, true); return b; }
    case "double": { const [b, d] = view(8); d.setFloat64(0, value as number, true); return b; }
    case "string": return utf8(value as string);
    case "uuid": return uuidToBytes(value as string); // Spec: 16-byte big-endian.
    case "binary": return Uint8Array.from(value as Uint8Array);
  }
}

/** Reads one Iceberg value from its single-value binary form. Accepts 4-byte forms for long/double (promoted columns). */
export function fromBinary(type: PrimitiveType, bytes: Uint8Array): unknown {
  if (type.kind === "decimal") return minBytesToBigint(bytes);
  if (type.kind === "fixed") return Uint8Array.from(bytes);
  const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number | number[]): void => {
    const ok = Array.isArray(n) ? n.includes(bytes.length) : bytes.length === n;
    if (!ok) throw new InvalidMetadataError(`value: ${typeToString(type)}: expected ${Array.isArray(n) ? n.join(" or ") : n} bytes, got ${bytes.length}`);
  };
  switch (type.name) {
    case "boolean": need(1); return bytes[0] !== 0;
    case "int": case "date": need(4); return d.getInt32(0, true);
    case "long": case "time": case "timestamp": case "timestamptz": case "timestamp_ns": case "timestamptz_ns":
      // A column promoted from int (or date → timestamp) keeps its old 4-byte bounds.
      need([4, 8]);
      return bytes.length === 4 ? BigInt(d.getInt32(0, true)) : d.getBigInt64(0, true);
    case "float": need(4); return d.getFloat32(0, true);
    case "double": need([4, 8]); return bytes.length === 4 ? d.getFloat32(0, true) : d.getFloat64(0, true);
    case "string": return fromUtf8(bytes);
    case "uuid": need(16); return bytesToUuid(bytes);
    case "binary": return Uint8Array.from(bytes);
  }
}
