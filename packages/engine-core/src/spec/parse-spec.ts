// The entry point from spec text or a plain object to a checked, normalized `TableSpec`.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SpecError } from "../errors.js";
import { normalizeSpec } from "./normalize.js";
import { checkSpecSchema } from "./schema-check.js";
import { checkSpecSemantics } from "./semantic-check.js";
import { parseSpecDocument } from "./spec-document.js";
import { describeValue, toSpecIssue, type RawSpecIssue, type SpecIssue, type SpecLocation } from "./spec-issue.js";
import type { TableSpec, TransformSpec } from "./table-spec.js";

/** Options of `parseSpec`. */
export interface ParseSpecOptions {
  /** The file the spec came from: labels error locations and anchors relative `transform` files. */
  readonly file?: string;
  /**
   * Values for `{param}` placeholders in `source.path` and `write.filter`. "defer" leaves every
   * placeholder unresolved and unchecked, for code generation: the job fills them at run time
   * (generated Glue jobs get `--engine-logical-date {{ ds }}` for `{date}`).
   */
  readonly params?: Readonly<Record<string, string>> | "defer";
}

const parsedSpecs = new WeakSet<object>();

/** True when `value` is a `TableSpec` produced by `parseSpec` or `loadSpec`. */
export function isTableSpec(value: unknown): value is TableSpec {
  return value !== null && typeof value === "object" && parsedSpecs.has(value);
}

/**
 * Parses and checks a spec given as YAML/JSON text or as a plain object; throws one `SpecError`
 * listing every problem (`context.errors` holds them as `SpecIssue[]`).
 *
 * ```ts
 * const spec = parseSpec("table: sales.orders\ncolumns: [{ name: id, type: long }]");
 * spec.columns[0].type; // "long"
 * ```
 */
export function parseSpec(input: string | object, options: ParseSpecOptions = {}): TableSpec {
  if (isTableSpec(input)) return input;
  const file = options.file;
  let value: unknown;
  let locate: (issue: RawSpecIssue) => SpecLocation = () => (file === undefined ? {} : { file });
  if (typeof input === "string") {
    const document = parseSpecDocument(input, file);
    if (document.syntaxErrors.length > 0) {
      const issues = document.syntaxErrors.map((error) =>
        toSpecIssue({ segments: [], expected: "valid YAML or JSON", actual: JSON.stringify(error.message) }, { ...(file === undefined ? {} : { file }), line: error.line, column: error.column }),
      );
      throw specError(issues, file);
    }
    value = document.value;
    locate = (issue) => document.locate(issue);
  } else {
    value = cloneInput(input);
  }

  const raw: RawSpecIssue[] = [...checkSpecSchema(value), ...checkSpecSemantics(value, options.params === undefined ? {} : { params: options.params })];
  const baseDir = file === undefined ? process.cwd() : dirname(resolve(file));
  let transform: TransformSpec | undefined;
  if (raw.length === 0) {
    const resolved = resolveTransform((value as Record<string, unknown>)["transform"], baseDir);
    if ("issue" in resolved) raw.push(resolved.issue);
    else transform = resolved.transform;
  }
  if (raw.length > 0) throw specError(sortByLocation(raw.map((issue) => toSpecIssue(issue, locate(issue)))), file);

  const spec = normalizeSpec(value as Record<string, unknown>, {
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(file === undefined ? {} : { file: resolve(file) }),
    ...(transform === undefined ? {} : { transform }),
  });
  parsedSpecs.add(spec);
  return spec;
}

function sortByLocation(issues: SpecIssue[]): SpecIssue[] {
  // Stable: issues without a location keep their order (schema issues first, then semantic ones).
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.index - b.index)
    .map(({ issue }) => issue);
}

function cloneInput(input: object): unknown {
  try {
    return structuredClone(input);
  } catch {
    return input;
  }
}

function resolveTransform(value: unknown, baseDir: string): { transform: TransformSpec | undefined } | { issue: RawSpecIssue } {
  if (value === undefined) return { transform: undefined };
  const given = typeof value === "string" ? { file: value } : (value as { file?: string; sql?: string });
  if (given.sql !== undefined) return { transform: { sql: given.sql } };
  const segments = typeof value === "string" ? ["transform"] : ["transform", "file"];
  const path = resolve(baseDir, given.file!);
  try {
    const sql = readFileSync(path, "utf8");
    if (sql.trim() === "") return { issue: { segments, expected: "a .sql file with a query", actual: `${describeValue(given.file)} (empty file ${path})` } };
    return { transform: { sql, file: path } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return { issue: { segments, expected: "a readable .sql file next to the spec", actual: `${describeValue(given.file)} (${code}: ${path})` } };
  }
}

/** Builds the one `SpecError` that reports all issues, one per `; `-separated part of the message. */
function specError(issues: readonly SpecIssue[], file: string | undefined): SpecError {
  return new SpecError(issues.map((issue) => issue.message).join("; "), { context: { errors: issues, ...(file === undefined ? {} : { file }) } });
}
