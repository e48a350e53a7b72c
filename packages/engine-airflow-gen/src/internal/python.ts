// Python source literals. A JSON string literal is a valid Python 3 str literal (same escapes,
// four-hex-digit \u escapes included), so strings go through JSON.stringify; the rest maps JSON to Python.

/** A raw Python expression, written as is. */
export class PyExpr {
  constructor(readonly code: string) {}
}

/** Marks `code` as a Python expression rather than a string. */
export function py(code: string): PyExpr {
  return new PyExpr(code);
}

/** A value that can be written as a Python literal. */
export type PyValue = string | number | boolean | null | PyExpr | readonly PyValue[] | { readonly [key: string]: PyValue | undefined };

/** Writes `value` as a Python literal; dict and list items go one per line at `indent` + 4 spaces. */
export function pyLiteral(value: PyValue, indent = ""): string {
  if (value instanceof PyExpr) return value.code;
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`python: expected a finite number, got ${value}`);
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    const items = value as readonly PyValue[];
    if (items.length === 0) return "[]";
    if (items.every((v) => typeof v !== "object" || v === null)) return `[${items.map((v) => pyLiteral(v)).join(", ")}]`;
    return `[\n${items.map((v) => `${inner}${pyLiteral(v, inner)},\n`).join("")}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, PyValue | undefined>).filter((e): e is [string, PyValue] => e[1] !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(v, inner)},\n`).join("")}${indent}}`;
}

/** A call `name(k=v, …)` with one keyword argument per line. */
export function pyCall(name: string, kwargs: Readonly<Record<string, PyValue | undefined>>, indent = ""): string {
  const inner = `${indent}    `;
  const args = Object.entries(kwargs).filter((e): e is [string, PyValue] => e[1] !== undefined);
  return `${name}(\n${args.map(([k, v]) => `${inner}${k}=${pyLiteral(v, inner)},\n`).join("")}${indent})`;
}

/** A long text as a parenthesized run of implicitly concatenated string literals, one per line. */
export function pyText(text: string, indent = ""): string {
  const lines = text.split("\n");
  const parts = lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((p) => p !== "");
  if (parts.length <= 1) return JSON.stringify(text);
  return `(\n${parts.map((p) => `${indent}    ${JSON.stringify(p)}\n`).join("")}${indent})`;
}
