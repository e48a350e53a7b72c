import { compareValues } from "../internal/compare.js";
import { bytesEqual } from "../internal/bytes.js";
import type { BoundExpression, BoundPredicate } from "./bind.js";

function equal(p: BoundPredicate, a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesEqual(a, b);
  return compareValues(p.type, a, b) === 0;
}

/** Evaluates a bound predicate on one value with SQL null semantics (comparisons with null are false). */
export function evalPredicate(p: BoundPredicate, v: unknown): boolean {
  const isNull = v === null || v === undefined;
  switch (p.op) {
    case "isNull": return isNull;
    case "notNull": return !isNull;
    case "isNaN": return typeof v === "number" && Number.isNaN(v);
    case "notNaN": return !(typeof v === "number" && Number.isNaN(v));
  }
  if (isNull) return false;
  const x = p.values[0];
  switch (p.op) {
    case "eq": return equal(p, v, x);
    case "notEq": return !equal(p, v, x);
    case "lt": return compareValues(p.type, v, x) < 0;
    case "ltEq": return compareValues(p.type, v, x) <= 0;
    case "gt": return compareValues(p.type, v, x) > 0;
    case "gtEq": return compareValues(p.type, v, x) >= 0;
    case "in": return p.values.some((y) => equal(p, v, y));
    case "notIn": return !p.values.some((y) => equal(p, v, y));
  }
}

/** Evaluates a bound expression on a row given as a lookup by field id. */
export function evaluate(expr: BoundExpression, get: (fieldId: number) => unknown): boolean {
  switch (expr.kind) {
    case "true": return true;
    case "false": return false;
    case "and": return evaluate(expr.left, get) && evaluate(expr.right, get);
    case "or": return evaluate(expr.left, get) || evaluate(expr.right, get);
    case "bound": return evalPredicate(expr, get(expr.fieldId));
  }
}
