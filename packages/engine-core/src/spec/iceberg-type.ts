// A small parser for the Iceberg type strings a spec's `columns[].type` may hold. The iceberg
// package has its own full schema model; this one only checks and describes what a spec says so
// that spec checking does not depend on it.
// Spec: https://iceberg.apache.org/spec/#schemas-and-data-types

/** The primitive Iceberg type names a spec accepts. */
export const ICEBERG_PRIMITIVE_TYPES = [
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "string",
  "uuid",
  "binary",
] as const;

/** A primitive type name without parameters. */
export type IcebergPrimitiveName = (typeof ICEBERG_PRIMITIVE_TYPES)[number];

/** A parsed Iceberg type string. */
export type IcebergTypeNode =
  | { readonly kind: "primitive"; readonly name: IcebergPrimitiveName }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "fixed"; readonly length: number }
  | { readonly kind: "list"; readonly element: IcebergTypeNode }
  | { readonly kind: "map"; readonly key: IcebergTypeNode; readonly value: IcebergTypeNode }
  | { readonly kind: "struct"; readonly fields: readonly { readonly name: string; readonly type: IcebergTypeNode }[] };

/** Outcome of parsing a type string: the type, or why it is not one. */
export type IcebergTypeParseResult =
  | { readonly ok: true; readonly type: IcebergTypeNode }
  | { readonly ok: false; readonly reason: string };

const PRIMITIVES: ReadonlySet<string> = new Set(ICEBERG_PRIMITIVE_TYPES);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses an Iceberg type string such as `decimal(12,2)` or `map<string, list<long>>`; names are case-insensitive. */
export function parseIcebergType(text: string): IcebergTypeParseResult {
  const parser = new TypeParser(text);
  try {
    const type = parser.parseType();
    parser.skipSpace();
    if (!parser.atEnd()) parser.fail(`unexpected "${parser.rest()}"`);
    return { ok: true, type };
  } catch (error) {
    if (error instanceof TypeSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Formats a parsed type back into its canonical, lowercase, space-free string. */
export function formatIcebergType(type: IcebergTypeNode): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "decimal":
      return `decimal(${type.precision},${type.scale})`;
    case "fixed":
      return `fixed[${type.length}]`;
    case "list":
      return `list<${formatIcebergType(type.element)}>`;
    case "map":
      return `map<${formatIcebergType(type.key)},${formatIcebergType(type.value)}>`;
    case "struct":
      return `struct<${type.fields.map((f) => `${f.name}:${formatIcebergType(f.type)}`).join(",")}>`;
  }
}

/** True for every type that is not a list, map or struct. */
export function isPrimitiveType(type: IcebergTypeNode): boolean {
  return type.kind === "primitive" || type.kind === "decimal" || type.kind === "fixed";
}

class TypeSyntaxError extends Error {}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  rest(): string {
    return this.text.slice(this.pos);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  fail(reason: string, where = true): never {
    throw new TypeSyntaxError(where ? `${reason} at position ${this.pos}` : reason);
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) {
      this.fail(`expected "${char}"${this.atEnd() ? " before the end" : `, found "${this.text[this.pos]}"`}`);
    }
    this.pos++;
  }

  private peek(char: string): boolean {
    this.skipSpace();
    return this.text[this.pos] === char;
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    if (!match) this.fail(this.atEnd() ? "expected a type name before the end" : `expected a type name, found "${this.rest()}"`);
    this.pos += match[0].length;
    return match[0];
  }

  private integer(what: string): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.rest());
    if (!match) this.fail(`expected ${what} (an integer)`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  parseType(): IcebergTypeNode {
    const start = this.pos;
    const name = this.word().toLowerCase();
    switch (name) {
      case "decimal": {
        this.expect("(");
        const precision = this.integer("a precision");
        this.expect(",");
        const scale = this.integer("a scale");
        this.expect(")");
        if (precision < 1 || precision > 38) this.fail(`decimal precision must be 1 to 38, got ${precision}`, false);
        if (scale > precision) this.fail(`decimal scale must be 0 to the precision ${precision}, got ${scale}`, false);
        return { kind: "decimal", precision, scale };
      }
      case "fixed": {
        this.expect("[");
        const length = this.integer("a length");
        this.expect("]");
        if (length < 1) this.fail(`fixed length must be at least 1, got ${length}`, false);
        return { kind: "fixed", length };
      }
      case "list": {
        this.expect("<");
        const element = this.parseType();
        this.expect(">");
        return { kind: "list", element };
      }
      case "map": {
        this.expect("<");
        const key = this.parseType();
        this.expect(",");
        const value = this.parseType();
        this.expect(">");
        if (!isPrimitiveType(key)) this.fail("map keys must be a primitive type", false);
        return { kind: "map", key, value };
      }
      case "struct": {
        this.expect("<");
        const fields: { name: string; type: IcebergTypeNode }[] = [];
        const seen = new Set<string>();
        for (;;) {
          const fieldName = this.word();
          if (!FIELD_NAME.test(fieldName)) this.fail(`invalid struct field name "${fieldName}"`);
          if (seen.has(fieldName.toLowerCase())) this.fail(`duplicate struct field "${fieldName}"`, false);
          seen.add(fieldName.toLowerCase());
          this.expect(":");
          fields.push({ name: fieldName, type: this.parseType() });
          if (!this.peek(",")) break;
          this.pos++;
        }
        this.expect(">");
        return { kind: "struct", fields };
      }
      default:
        if (PRIMITIVES.has(name)) return { kind: "primitive", name: name as IcebergPrimitiveName };
        this.pos = start;
        this.skipSpace();
        return this.fail(`unknown type "${name}"`, this.pos > 0);
    }
  }
}
