// A generic reader and writer of Thrift's compact protocol, enough to edit a Parquet footer
// (`FileMetaData`) without a generated schema: a struct decodes to its fields in file order,
// each with its id, wire type and value, so fields this code knows nothing about (newer Parquet
// versions, encryption, geospatial statistics) are written back exactly as they were read.
//
// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md

/** Compact protocol type codes as they appear in field headers and collection headers. */
export const CompactType = Object.freeze({
  BOOLEAN_TRUE: 1,
  BOOLEAN_FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
});

/** A decoded value; what it holds follows the wire type it was read with (see `ThriftField`). */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftList | ThriftMap | ThriftStruct;

/** A list or set: the element type as written in its header, and the elements. */
export interface ThriftList {
  readonly kind: "list";
  /** `LIST` or `SET`. */
  readonly type: number;
  readonly elementType: number;
  readonly items: ThriftValue[];
}

/** A map: key and value types (0 for an empty map, whose header has none) and its entries. */
export interface ThriftMap {
  readonly kind: "map";
  readonly keyType: number;
  readonly valueType: number;
  readonly entries: [ThriftValue, ThriftValue][];
}

/** A struct: its fields in the order they were read (or are to be written). */
export interface ThriftStruct {
  readonly kind: "struct";
  readonly fields: ThriftField[];
}

/**
 * One field of a struct. `type` is the wire type; booleans use `BOOLEAN_TRUE` whatever their
 * value (the compact protocol folds the value into the field header), i8/i16/i32/double values
 * are numbers, i64 values bigints, binary values bytes.
 */
export interface ThriftField {
  readonly id: number;
  readonly type: number;
  value: ThriftValue;
}

/** Decodes one struct starting at `offset`; returns it and the offset just past its stop byte. */
export function decodeStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new Reader(bytes, offset);
  const struct = reader.struct();
  return { struct, end: reader.pos };
}

/** Encodes one struct, fields in their order in `struct.fields`. */
export function encodeStruct(struct: ThriftStruct): Uint8Array {
  const writer = new Writer();
  writer.struct(struct);
  return writer.finish();
}

/** A new struct with the given fields. */
export function struct(fields: ThriftField[] = []): ThriftStruct {
  return { kind: "struct", fields };
}

class Reader {
  constructor(private readonly bytes: Uint8Array, public pos: number) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new Error(`thrift: unexpected end of data at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** An unsigned varint of up to 64 bits. */
  private varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error(`thrift: varint longer than 10 bytes at byte ${this.pos}`);
    }
  }

  /** An unsigned varint of up to 32 bits, as a number. */
  private varint32(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * factor;
      if ((b & 0x80) === 0) return result;
      factor *= 128;
    }
    throw new Error(`thrift: 32-bit varint longer than 5 bytes at byte ${this.pos}`);
  }

  private zigzag32(): number {
    const u = this.varint32();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  struct(): ThriftStruct {
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return { kind: "struct", fields };
      const delta = header >> 4;
      const wire = header & 0x0f;
      const id = delta === 0 ? this.zigzag32() : lastId + delta;
      lastId = id;
      if (wire === CompactType.BOOLEAN_TRUE || wire === CompactType.BOOLEAN_FALSE) {
        fields.push({ id, type: CompactType.BOOLEAN_TRUE, value: wire === CompactType.BOOLEAN_TRUE });
      } else {
        fields.push({ id, type: wire, value: this.value(wire) });
      }
    }
  }

  private value(type: number): ThriftValue {
    switch (type) {
      // Outside a field header (collection elements) a boolean is one byte: 1 true, anything else false.
      case CompactType.BOOLEAN_TRUE:
      case CompactType.BOOLEAN_FALSE: return this.byte() === CompactType.BOOLEAN_TRUE;
      case CompactType.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case CompactType.I16:
      case CompactType.I32: return this.zigzag32();
      case CompactType.I64: {
        const u = this.varint();
        return (u >> 1n) ^ -(u & 1n);
      }
      case CompactType.DOUBLE: {
        if (this.pos + 8 > this.bytes.length) throw new Error(`thrift: unexpected end of data at byte ${this.pos}`);
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case CompactType.BINARY: {
        const n = this.varint32();
        if (this.pos + n > this.bytes.length) throw new Error(`thrift: binary of ${n} bytes runs past the end at byte ${this.pos}`);
        const v = this.bytes.slice(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case CompactType.LIST:
      case CompactType.SET: {
        const header = this.byte();
        const elementType = header & 0x0f;
        const size = header >> 4 === 0x0f ? this.varint32() : header >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elementType));
        return { kind: "list", type, elementType, items };
      }
      case CompactType.MAP: {
        const size = this.varint32();
        if (size === 0) return { kind: "map", keyType: 0, valueType: 0, entries: [] };
        const types = this.byte();
        const keyType = types >> 4;
        const valueType = types & 0x0f;
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(keyType), this.value(valueType)]);
        return { kind: "map", keyType, valueType, entries };
      }
      case CompactType.STRUCT: return this.struct();
      default: throw new Error(`thrift: unknown compact type ${type} at byte ${this.pos}`);
    }
  }
}

class Writer {
  private buf = new Uint8Array(1024);
  private pos = 0;

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
  }

  private varint(v: bigint): void {
    let u = v;
    while (u >= 0x80n) {
      this.byte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.byte(Number(u));
  }

  private varint32(v: number): void {
    let u = v;
    while (u >= 0x80) {
      this.byte((u % 128) | 0x80);
      u = Math.floor(u / 128);
    }
    this.byte(u);
  }

  private zigzag32(v: number): void {
    this.varint32(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  struct(s: ThriftStruct): void {
    let lastId = 0;
    for (const f of s.fields) {
      const wire = f.type === CompactType.BOOLEAN_TRUE || f.type === CompactType.BOOLEAN_FALSE
        ? (f.value === true ? CompactType.BOOLEAN_TRUE : CompactType.BOOLEAN_FALSE)
        : f.type;
      const delta = f.id - lastId;
      if (delta > 0 && delta <= 15) {
        this.byte((delta << 4) | wire);
      } else {
        this.byte(wire);
        this.zigzag32(f.id);
      }
      lastId = f.id;
      if (wire !== CompactType.BOOLEAN_TRUE && wire !== CompactType.BOOLEAN_FALSE) this.value(f.type, f.value);
    }
    this.byte(0);
  }

  private value(type: number, v: ThriftValue): void {
    switch (type) {
      case CompactType.BOOLEAN_TRUE:
      case CompactType.BOOLEAN_FALSE: this.byte(v === true ? CompactType.BOOLEAN_TRUE : CompactType.BOOLEAN_FALSE); return;
      case CompactType.BYTE: this.byte(v as number); return;
      case CompactType.I16:
      case CompactType.I32: this.zigzag32(v as number); return;
      case CompactType.I64: {
        const n = v as bigint;
        this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
        return;
      }
      case CompactType.DOUBLE: {
        this.ensure(8);
        new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, v as number, true);
        this.pos += 8;
        return;
      }
      case CompactType.BINARY: {
        const b = v as Uint8Array;
        this.varint32(b.length);
        this.ensure(b.length);
        this.buf.set(b, this.pos);
        this.pos += b.length;
        return;
      }
      case CompactType.LIST:
      case CompactType.SET: {
        const list = v as ThriftList;
        if (list.items.length < 15) {
          this.byte((list.items.length << 4) | list.elementType);
        } else {
          this.byte(0xf0 | list.elementType);
          this.varint32(list.items.length);
        }
        for (const item of list.items) this.value(list.elementType, item);
        return;
      }
      case CompactType.MAP: {
        const map = v as ThriftMap;
        this.varint32(map.entries.length);
        if (map.entries.length === 0) return;
        this.byte((map.keyType << 4) | map.valueType);
        for (const [k, x] of map.entries) {
          this.value(map.keyType, k);
          this.value(map.valueType, x);
        }
        return;
      }
      case CompactType.STRUCT: this.struct(v as ThriftStruct); return;
      default: throw new Error(`thrift: cannot write compact type ${type}`);
    }
  }
}
