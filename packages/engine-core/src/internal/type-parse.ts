import { parseType, type IcebergType, type NestedField } from "@engine/iceberg";
import { SpecError } from "../errors.js";

/**
 * Parses a spec column type: primitives as Iceberg writes them (`long`, `decimal(12,2)`) and
 * nested types `list<T>`, `map<K,V>`, `struct<name: T, …>`. Field ids are left at 0; the
 * caller assigns them (see `assignFieldIds`).
 */
export function parseSpecType(text: string): IcebergType {
  const p = new Parser(text);
  const t = p.type();
  p.end();
  return t;
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  type(): IcebergType {
    this.ws();
    const word = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(this.text.slice(this.at))?.[0] ?? "";
    const lower = word.toLowerCase();
    if (lower === "list" || lower === "array") {
      this.at += word.length; this.eat("<");
      const element = this.type(); this.eat(">");
      return { kind: "list", elementId: 0, elementRequired: false, element };
    }
    if (lower === "map") {
      this.at += word.length; this.eat("<");
      const key = this.type(); this.eat(",");
      const value = this.type(); this.eat(">");
      return { kind: "map", keyId: 0, key, valueId: 0, valueRequired: false, value };
    }
    if (lower === "struct") {
      this.at += word.length; this.eat("<");
      const fields: NestedField[] = [];
      for (;;) {
        this.ws();
        const name = /^[^:<>,\s]+/.exec(this.text.slice(this.at))?.[0];
        if (!name) this.fail("a field name");
        this.at += name.length; this.eat(":");
        fields.push({ id: 0, name, required: false, type: this.type() });
        this.ws();
        if (this.text[this.at] === ",") { this.at++; continue; }
        this.eat(">");
        return { kind: "struct", fields };
      }
    }
    // A primitive runs until the next top-level `,` or `>`; parentheses hold decimal parameters.
    const start = this.at;
    let depth = 0;
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (depth === 0 && (c === "," || c === ">")) break;
      this.at++;
    }
    const prim = this.text.slice(start, this.at).trim();
    try {
      return parseType(prim.toLowerCase());
    } catch (cause) {
      throw new SpecError(`spec: type: expected an Iceberg type like "decimal(10,2)", got "${this.text}"`, { cause });
    }
  }

  eat(ch: string): void {
    this.ws();
    if (this.text[this.at] !== ch) this.fail(`"${ch}"`);
    this.at++;
  }

  end(): void {
    this.ws();
    if (this.at !== this.text.length) this.fail("end of type");
  }

  private ws(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private fail(expected: string): never {
    throw new SpecError(`spec: type: expected ${expected} at position ${this.at} of "${this.text}"`);
  }
}
