// One problem found in a spec, and the helpers that render its path and values the same way in
// every message: `spec: columns[2].type: expected …, got "money"`.

/** A segment of a path into the spec: an object key or an array index. */
export type SpecPathSegment = string | number;

/** One problem found in a spec. */
export interface SpecIssue {
  /** The spec path, e.g. `columns[2].type` (empty for the spec itself). */
  readonly path: string;
  /** What the spec should hold there. */
  readonly expected: string;
  /** What it holds, rendered for the message. */
  readonly actual: string;
  /** The spec file, when the spec came from one. */
  readonly file?: string;
  /** 1-based line and column of the offending node, when the spec came from YAML or JSON text. */
  readonly line?: number;
  readonly column?: number;
  /** The full one-line message: `[file:line:col: ]spec: <path>: expected <expected>, got <actual>`. */
  readonly message: string;
}

/** An issue before it is located in a file; `segments` address the offending node, `onKey` its key. */
export interface RawSpecIssue {
  readonly segments: readonly SpecPathSegment[];
  readonly expected: string;
  readonly actual: string;
  /** Point at the key of the last segment rather than its value (unknown keys). */
  readonly onKey?: boolean;
}

/** Where an issue is in the spec text. */
export interface SpecLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders path segments as `columns[2].type`, quoting keys that are not identifiers: `properties["a.b"]`. */
export function formatSpecPath(segments: readonly SpecPathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Renders a spec value for the "got …" part of a message: JSON, shortened, or `nothing` when absent. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  } catch {
    // JSON fails on bigints and cycles; String fails on an object without a usable toString
    // (no prototype, or a `toString` key that is not a function).
    try {
      text = String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Builds a located issue with its one-line message. */
export function toSpecIssue(raw: RawSpecIssue, location: SpecLocation): SpecIssue {
  const path = formatSpecPath(raw.segments);
  const where =
    location.line !== undefined ? `${location.file ?? "<input>"}:${location.line}:${location.column ?? 1}: ` : location.file ? `${location.file}: ` : "";
  const message = `${where}spec: ${path === "" ? "" : `${path}: `}expected ${raw.expected}, got ${raw.actual}`;
  return {
    path,
    expected: raw.expected,
    actual: raw.actual,
    ...(location.file === undefined ? {} : { file: location.file }),
    ...(location.line === undefined ? {} : { line: location.line, column: location.column ?? 1 }),
    message,
  };
}
