// A small predicate tree over column names (unbound) and, after binding, over field ids.

/** Comparison and set operators of a predicate. */
export type PredicateOp = "eq" | "notEq" | "lt" | "ltEq" | "gt" | "gtEq" | "in" | "notIn" | "isNull" | "notNull" | "isNaN" | "notNaN";

/** An unbound predicate on a column name; values are Iceberg values or convenient JS forms (ISO date strings, numbers for longs). */
export interface Predicate { readonly kind: "predicate"; readonly op: PredicateOp; readonly column: string; readonly values: readonly unknown[] }
/** A boolean expression over predicates. */
export type Expression =
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  | { readonly kind: "and"; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "or"; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "not"; readonly child: Expression }
  | Predicate;

const pred = (op: PredicateOp, column: string, values: readonly unknown[]): Predicate => Object.freeze({ kind: "predicate", op, column, values: Object.freeze([...values]) });

/** Always true (no filter). */
export const alwaysTrue = (): Expression => ({ kind: "true" });
/** Always false. */
export const alwaysFalse = (): Expression => ({ kind: "false" });
/** `column = value`. */
export const eq = (column: string, value: unknown): Expression => pred("eq", column, [value]);
/** `column <> value`. */
export const notEq = (column: string, value: unknown): Expression => pred("notEq", column, [value]);
/** `column < value`. */
export const lt = (column: string, value: unknown): Expression => pred("lt", column, [value]);
/** `column <= value`. */
export const ltEq = (column: string, value: unknown): Expression => pred("ltEq", column, [value]);
/** `column > value`. */
export const gt = (column: string, value: unknown): Expression => pred("gt", column, [value]);
/** `column >= value`. */
export const gtEq = (column: string, value: unknown): Expression => pred("gtEq", column, [value]);
/** `column IN (values…)`. */
export const isIn = (column: string, values: readonly unknown[]): Expression => pred("in", column, values);
/** `column NOT IN (values…)`. */
export const notIn = (column: string, values: readonly unknown[]): Expression => pred("notIn", column, values);
/** `column IS NULL`. */
export const isNull = (column: string): Expression => pred("isNull", column, []);
/** `column IS NOT NULL`. */
export const notNull = (column: string): Expression => pred("notNull", column, []);
/** `column IS NaN`. */
export const isNaN = (column: string): Expression => pred("isNaN", column, []);
/** `column IS NOT NaN`. */
export const notNaN = (column: string): Expression => pred("notNaN", column, []);
/** Conjunction of expressions (true when empty). */
export const and = (...exprs: readonly Expression[]): Expression =>
  exprs.length === 0 ? alwaysTrue() : exprs.reduce((l, r) => ({ kind: "and", left: l, right: r }));
/** Disjunction of expressions (false when empty). */
export const or = (...exprs: readonly Expression[]): Expression =>
  exprs.length === 0 ? alwaysFalse() : exprs.reduce((l, r) => ({ kind: "or", left: l, right: r }));
/** Negation. */
export const not = (child: Expression): Expression => ({ kind: "not", child });
/** `in` under its operator name, for symmetry with `notIn`. */
export { isIn as in };
