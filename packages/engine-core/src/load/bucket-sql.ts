// Iceberg's bucket[N] transform as one DuckDB expression, so the bucket of every row is computed
// inside DuckDB (no UDF, nothing through JavaScript). Spec, Appendix B: Murmur3 x86 32-bit, seed 0,
// over the value's bytes — int/date widen to long; long/time/timestamp(tz) hash their 8 little-endian
// bytes; timestamp_ns is reduced to microseconds; string hashes UTF-8; uuid its 16 big-endian bytes;
// decimal the minimal two's-complement big-endian bytes of its unscaled value; binary/fixed as is.
// The bucket is `(hash & Integer.MAX_VALUE) % N`.
//
// DuckDB has no Murmur3, so it is spelled out with UBIGINT arithmetic on 32-bit words: a product
// of two words fits in 64 bits and is masked back to 32; rotations are two shifts. A value used
// more than once is bound once with `let` (a one-element list_transform) so the text stays linear.
// Byte strings go through their hex text: one 4-byte block is 8 hex digits read little-endian,
// and the blocks fold with list_reduce.
import type { IcebergType } from "@engine/iceberg";

const MASK = "4294967295::UBIGINT";
const C1 = "3432918353::UBIGINT"; // 0xcc9e2d51
const C2 = "461845907::UBIGINT"; // 0x1b873593
const N = "3864292196::UBIGINT"; // 0xe6546b64
const F1 = "2246822507::UBIGINT"; // 0x85ebca6b
const F2 = "3266489909::UBIGINT"; // 0xc2b2ae35

// Lambda parameter names; reset per expression so the same input compiles to the same text.
let counter = 0;
/** `body(x)` with `value` bound to a fresh lambda parameter, evaluated once per row. */
function bind(value: string, body: (x: string) => string): string {
  const x = `__b${counter++}`;
  return `list_transform([${value}], ${x} -> ${body(x)})[1]`;
}

const mul = (a: string, b: string): string => `((${a}) * (${b}) & ${MASK})`;
const xor = (a: string, b: string): string => `xor(${a}, ${b})`;
const rotl = (a: string, r: number): string => bind(a, (x) => `(((${x} << ${r}) & ${MASK}) | (${x} >> ${32 - r}))`);

/** Murmur3's per-block scramble of a 32-bit word. */
const mixK = (k: string): string => mul(rotl(mul(k, C1), 15), C2);
/** Folds one block into the running hash. */
const mixH = (h: string, k: string): string => `((${mul(rotl(xor(h, mixK(k)), 13), "5::UBIGINT")} + ${N}) & ${MASK})`;
/** Final avalanche after xor-ing in the length; returns the 32-bit hash as a UBIGINT. */
const finish = (h: string, length: string): string =>
  bind(xor(h, `CAST(${length} AS UBIGINT)`), (a) =>
    bind(mul(xor(a, `(${a} >> 16)`), F1), (b) =>
      bind(mul(xor(b, `(${b} >> 13)`), F2), (c) => xor(c, `(${c} >> 16)`))));

/** Murmur3 of a BIGINT expression's 8 little-endian bytes. */
export function murmur3LongSql(value: string): string {
  return bind(`CAST(${value} AS BIGINT)`, (v) => {
    const lo = `CAST((${v} & 4294967295) AS UBIGINT)`;
    const hi = `CAST(((${v} >> 32) & 4294967295) AS UBIGINT)`;
    return finish(mixH(mixH("0::UBIGINT", lo), hi), "8");
  });
}

/** A 4-byte little-endian word from 8 hex digits (big-endian byte order in the text). */
function wordLE(hex8: string): string {
  return bind(`CAST('0x' || ${hex8} AS UBIGINT)`, (w) =>
    `(((${w} & 255::UBIGINT) << 24) | (((${w} >> 8) & 255::UBIGINT) << 16) | (((${w} >> 16) & 255::UBIGINT) << 8) | (${w} >> 24))`);
}

/** Murmur3 of the bytes whose hex text (two digits per byte, any case) is `hex`. */
export function murmur3HexSql(hex: string): string {
  return bind(hex, (hx) => {
    const len = `(length(${hx}) // 2)`;
    const blocks = `list_transform(range(${len} // 4), __j -> ${wordLE(`substr(${hx}, 8 * __j + 1, 8)`)})`;
    const body = `list_reduce(${blocks}, (__h, __k) -> ${mixH("__h", "__k")}, 0::UBIGINT)`;
    // The 1–3 trailing bytes, little-endian, scrambled and xor-ed in without the block rotation.
    const tailBytes = `list_transform(range(${len} % 4), __t -> CAST('0x' || substr(${hx}, 8 * (${len} // 4) + 2 * __t + 1, 2) AS UBIGINT) << (8 * __t))`;
    const tail = `CASE WHEN ${len} % 4 = 0 THEN 0::UBIGINT ELSE ${mixK(`CAST(list_sum(${tailBytes}) AS UBIGINT)`)} END`;
    return finish(xor(body, tail), len);
  });
}

/** The hex text of a decimal's unscaled value as minimal two's-complement big-endian bytes. */
function decimalHex(column: string): string {
  return bind(`CAST(replace(CAST(${column} AS VARCHAR), '.', '') AS HUGEINT)`, (u) =>
    bind(`(length(bin(CASE WHEN ${u} < 0 THEN -${u} - 1 ELSE ${u} END)) // 8 + 1)`, (n) =>
      `right(lpad(hex(${u}), 32, '0'), 2 * ${n})`));
}

/** The hash input of `column` as Iceberg defines it: a long (`kind: long`) or bytes as hex text. */
function hashInput(column: string, type: IcebergType): { kind: "long" | "hex"; sql: string } | undefined {
  if (type.kind === "decimal") return { kind: "hex", sql: decimalHex(column) };
  if (type.kind === "fixed") return { kind: "hex", sql: `hex(${column})` };
  if (type.kind !== "primitive") return undefined;
  switch (type.name) {
    case "int": case "long": return { kind: "long", sql: column };
    case "date": return { kind: "long", sql: `(${column} - DATE '1970-01-01')` };
    case "time": case "timestamp": case "timestamptz": return { kind: "long", sql: `epoch_us(${column})` };
    case "timestamp_ns": case "timestamptz_ns":
      return { kind: "long", sql: bind(`epoch_ns(${column})`, (ns) => `((${ns} - (((${ns} % 1000) + 1000) % 1000)) // 1000)`) };
    case "string": return { kind: "hex", sql: `hex(encode(${column}))` };
    case "uuid": return { kind: "hex", sql: `replace(CAST(${column} AS VARCHAR), '-', '')` };
    case "binary": return { kind: "hex", sql: `hex(${column})` };
    default: return undefined;
  }
}

/** The signed 32-bit Murmur3 hash of `column` as Iceberg's bucket transform defines it (INTEGER). */
export function bucketHashSql(column: string, type: IcebergType): string {
  counter = 0;
  return bind(unsignedHash(column, type), (h) => `CAST(CAST(${h} AS BIGINT) - CASE WHEN ${h} >= 2147483648::UBIGINT THEN 4294967296 ELSE 0 END AS INTEGER)`);
}

function unsignedHash(column: string, type: IcebergType): string {
  const input = hashInput(column, type);
  if (!input) throw new Error(`load: bucket on ${JSON.stringify(type)} is not a hashable type`);
  return input.kind === "long" ? murmur3LongSql(input.sql) : murmur3HexSql(input.sql);
}

/** The bucket (`(hash & Integer.MAX_VALUE) % n`) of `column`, an INTEGER; NULL stays NULL. */
export function bucketSql(column: string, type: IcebergType, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`load: bucket needs a positive bucket count, got ${n}`);
  counter = 0;
  return `CASE WHEN ${column} IS NULL THEN NULL ELSE CAST((${unsignedHash(column, type)} & 2147483647::UBIGINT) % ${n} AS INTEGER) END`;
}
