// A small JSON reader/writer that keeps 64-bit integers exact. JSON.parse turns 2^53+ into the
// nearest double, which corrupts Iceberg snapshot ids; here integer literals outside the safe
// range become bigint, and bigint values are written back as unquoted JSON numbers.

/** A parsed JSON value; integers beyond Number.MAX_SAFE_INTEGER are bigint. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** Parses JSON text, keeping unsafe integers as bigint. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new SyntaxError(`json: expected ${what} at offset ${i}, got ${JSON.stringify(text.slice(i, i + 12))}`);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      ws();
      if (text[i] === "}") { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a string key");
        const key = str();
        ws();
        if (text[i] !== ":") fail("':'");
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return obj; }
        fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === "]") { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return arr; }
        fail("',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) { i += 4; return true; }
    if (text.startsWith("false", i)) { i += 5; return false; }
    if (text.startsWith("null", i)) { i += 4; return null; }
    return num();
  };
  const str = (): string => {
    const start = ++i;
    // Fast path: no escapes.
    let j = start;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34) { i = j + 1; return text.slice(start, j); }
      if (c === 92) break;
      j++;
    }
    let out = text.slice(start, j);
    i = j;
    while (i < n) {
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === "\\") {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case "\\": out += "\\"; break;
          case "/": out += "/"; break;
          case "b": out += "\b"; break;
          case "f": out += "\f"; break;
          case "n": out += "\n"; break;
          case "r": out += "\r"; break;
          case "t": out += "\t"; break;
          case "u": {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("4 hex digits");
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default: i -= 2; fail("an escape");
        }
      } else { out += c; i++; }
    }
    return fail("'\"'");
  };
  const num = (): number | bigint => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("a JSON value");
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const v = Number(m[0]);
      return Number.isSafeInteger(v) ? v : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const result = value();
  ws();
  if (i < n) fail("end of input");
  return result;
}

// bigint → this marker + digits inside JSON.stringify, then unquoted by one replace. A string value
// that itself starts with the marker would be indistinguishable, so its presence forces the slow path.
const BIG_MARK = "\u0001bigint:";
const BIG_MARK_JSON = /"\\u0001bigint:(-?\d+)"/g;

/** Writes a value as JSON; bigint is written as an unquoted integer; `undefined` members are skipped. */
export function stringifyJson(value: unknown, indent = 0): string {
  return stringifyNative(value, indent) ?? stringifyPlain(value, indent);
}

/** JSON.stringify with bigints marked then unquoted: ~3× faster than the writer below on metadata files. */
function stringifyNative(value: unknown, indent: number): string | undefined {
  let clash = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return BIG_MARK + v.toString();
    if (typeof v === "string" && v.startsWith(BIG_MARK)) clash = true;
    return v;
  }, indent > 0 ? indent : undefined);
  if (clash) return undefined;
  return (text ?? "null").replace(BIG_MARK_JSON, "$1");
}

/** The portable writer, kept for values holding a string that starts with the bigint marker. */
function stringifyPlain(value: unknown, indent: number): string {
  const pad = (level: number): string => (indent > 0 ? "\n" + " ".repeat(indent * level) : "");
  const sep = indent > 0 ? " " : "";
  const write = (v: unknown, level: number): string | undefined => {
    if (v === null) return "null";
    switch (typeof v) {
      case "bigint": return v.toString();
      case "number": return Number.isFinite(v) ? String(v) : "null";
      case "boolean": return v ? "true" : "false";
      case "string": return JSON.stringify(v);
      case "undefined": case "function": case "symbol": return undefined;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const items = v.map((x) => write(x, level + 1) ?? "null");
      return "[" + items.map((s) => pad(level + 1) + s).join(",") + pad(level) + "]";
    }
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const s = write(x, level + 1);
      if (s !== undefined) parts.push(pad(level + 1) + JSON.stringify(k) + ":" + sep + s);
    }
    if (parts.length === 0) return "{}";
    return "{" + parts.join(",") + pad(level) + "}";
  };
  return write(value, 0) ?? "null";
}
