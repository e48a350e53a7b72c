// A bounds-checked walk over Avro binary data, run before avsc decodes it. avsc trusts the
// block counts of arrays and maps: a damaged count (a few flipped bits make 2^60) makes it loop
// that many times. The walk fails fast instead, so damaged files give InvalidMetadataError.

import { InvalidMetadataError } from "../errors.js";
import type { AvroSchema } from "./avro-file.js";

const PRIMITIVES = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);

/** Checks that one datum of `schema` starting at `pos` fits in `buf`; returns the offset after it. */
export function checkDatum(schema: AvroSchema, buf: Uint8Array, pos: number, where: string, named = new Map<string, AvroSchema>()): number {
  const fail = (what: string): never => { throw new InvalidMetadataError(`avro: ${where}: expected ${what} at byte ${pos}, got damaged data`); };
  const long = (): number => {
    let n = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) fail("a varint");
      const b = buf[pos++]!;
      n |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        const v = (n >> 1n) ^ -(n & 1n);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
        return Number(v);
      }
      shift += 7n;
    }
    return fail("a varint of at most 10 bytes");
  };
  const skip = (n: number): void => { if (n < 0 || pos + n > buf.length) fail(`${n} bytes`); pos += n; };
  const walk = (s: AvroSchema): void => {
    if (typeof s === "string") {
      if (PRIMITIVES.has(s)) {
        switch (s) {
          case "null": return;
          case "boolean": return skip(1);
          case "int": case "long": long(); return;
          case "float": return skip(4);
          case "double": return skip(8);
          default: return skip(long());
        }
      }
      const ref = named.get(s) ?? named.get(s.split(".").pop()!);
      if (!ref) return fail(`a known type ${s}`);
      return walk(ref);
    }
    if (Array.isArray(s)) {
      const i = long();
      if (i < 0 || i >= s.length) fail(`a union branch < ${s.length}`);
      return walk(s[i]!);
    }
    const o = s as Record<string, unknown>;
    if (typeof o["name"] === "string" && (o["type"] === "record" || o["type"] === "fixed" || o["type"] === "enum")) {
      named.set(o["name"], s);
      named.set((o["name"] as string).split(".").pop()!, s);
    }
    switch (o["type"]) {
      case "record": case "error":
        for (const f of (o["fields"] as { type: AvroSchema }[]) ?? []) walk(f.type);
        return;
      case "fixed": return skip(Number(o["size"]));
      case "enum": long(); return;
      case "array": case "map":
        for (;;) {
          let n = long();
          if (n === 0) return;
          if (n < 0) { n = -n; long(); }
          // Every item takes at least one byte unless it is null: a count past the end is damage.
          if (n > buf.length - pos && o[o["type"] === "array" ? "items" : "values"] !== "null") fail(`a block count that fits (${n})`);
          for (let k = 0; k < n; k++) {
            if (o["type"] === "map") skip(long());
            walk(o[o["type"] === "array" ? "items" : "values"] as AvroSchema);
          }
        }
      default:
        return walk(o["type"] as AvroSchema);
    }
  };
  walk(schema);
  return pos;
}
