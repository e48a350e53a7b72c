// Spec text (YAML, or JSON, which is YAML) parsed into a plain value that remembers where every
// node was written, so issues can be reported as `file:line:col`.

import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { RawSpecIssue, SpecLocation, SpecPathSegment } from "./spec-issue.js";

/** A parsed spec text: its value, its syntax errors, and a way to locate a spec path in it. */
export interface SpecDocument {
  readonly value: unknown;
  /** Syntax errors, already located; when present `value` is undefined. */
  readonly syntaxErrors: readonly { readonly message: string; readonly line: number; readonly column: number }[];
  /** Finds the line and column of the node an issue points at (or of its nearest existing ancestor). */
  locate(issue: RawSpecIssue): SpecLocation;
}

/** Parses YAML or JSON spec text; `file` only labels locations. */
export function parseSpecDocument(text: string, file?: string): SpecDocument {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: `start: 2024-01-01` stays a string, `yes` stays a string.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const base = file === undefined ? {} : { file };
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      syntaxErrors: doc.errors.map((error) => ({ message: firstLine(error.message), ...position(error.pos[0]) })),
      locate: () => base,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml package resolves aliases only here and throws a ReferenceError for an alias with no
    // anchor before it (`*s`) or one that expands too much: report it like a syntax error, at the alias.
    const alias = firstAlias(doc);
    return {
      value: undefined,
      syntaxErrors: [{ message: firstLine((error as Error)?.message ?? String(error)), ...position(rangeStart(alias) ?? 0) }],
      locate: () => base,
    };
  }
  return {
    value,
    syntaxErrors: [],
    locate(issue) {
      const offset = findOffset(doc, issue.segments, issue.onKey === true);
      return offset === undefined ? base : { ...base, ...position(offset) };
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** Walks the document along `segments`; returns the start offset of the deepest node reached. */
function findOffset(doc: Document, segments: readonly SpecPathSegment[], onKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      if (last && onKey) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      // A key with no value (`type:`) has no value node: point at the key.
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return offset;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** The first alias (`*name`) of a document, which names the error when resolving aliases fails. */
function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, { Alias: (_key, node) => { found = node; return visit.BREAK; } });
  return found;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? (node as Node).range?.[0] : undefined;
}
