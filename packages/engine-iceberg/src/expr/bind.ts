import { InvalidMetadataError } from "../errors.js";
import { findFieldByName, type Schema } from "../spec/schema.js";
import { isPrimitive, typeToString } from "../spec/type-json.js";
import type { PrimitiveType } from "../spec/types.js";
import type { Expression, PredicateOp } from "./expression.js";
import { toLiteral } from "./literal.js";

/** A predicate bound to a field id, with literals converted to Iceberg values of the field's type. */
export interface BoundPredicate {
  readonly kind: "bound";
  readonly op: PredicateOp;
  readonly fieldId: number;
  readonly type: PrimitiveType;
  readonly values: readonly unknown[];
}

/** An expression whose predicates are bound to field ids; `not` has been pushed down to predicates. */
export type BoundExpression =
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  | { readonly kind: "and"; readonly left: BoundExpression; readonly right: BoundExpression }
  | { readonly kind: "or"; readonly left: BoundExpression; readonly right: BoundExpression }
  | BoundPredicate;

const NEGATE: Record<PredicateOp, PredicateOp> = {
  eq: "notEq", notEq: "eq", lt: "gtEq", ltEq: "gt", gt: "ltEq", gtEq: "lt",
  in: "notIn", notIn: "in", isNull: "notNull", notNull: "isNull", isNaN: "notNaN", notNaN: "isNaN",
};

/** Binds column names to field ids of a schema and pushes `not` down; unknown columns are an error. */
export function bind(expr: Expression, schema: Schema, options: { caseSensitive?: boolean } = {}): BoundExpression {
  const go = (e: Expression, negate: boolean): BoundExpression => {
    switch (e.kind) {
      case "true": return negate ? { kind: "false" } : e;
      case "false": return negate ? { kind: "true" } : e;
      case "not": return go(e.child, !negate);
      case "and": case "or": {
        const kind = (e.kind === "and") !== negate ? "and" : "or";
        return simplify({ kind, left: go(e.left, negate), right: go(e.right, negate) });
      }
      case "predicate": {
        const field = findFieldByName(schema, e.column, options);
        if (!field) throw new InvalidMetadataError(`expr: column ${e.column}: expected a column of the schema, got none by that name`);
        if (!isPrimitive(field.type)) throw new InvalidMetadataError(`expr: column ${e.column}: expected a primitive column, got ${typeToString(field.type)}`);
        const type = field.type;
        const op = negate ? NEGATE[e.op] : e.op;
        const values = e.values.map((v) => toLiteral(type, v));
        // A required column is never null.
        if (field.required && op === "isNull") return { kind: "false" };
        if (field.required && op === "notNull") return { kind: "true" };
        return { kind: "bound", op, fieldId: field.id, type, values };
      }
    }
  };
  return go(expr, false);
}

/** Folds constant true/false through and/or. */
export function simplify(e: BoundExpression): BoundExpression {
  if (e.kind === "and") {
    if (e.left.kind === "false" || e.right.kind === "false") return { kind: "false" };
    if (e.left.kind === "true") return e.right;
    if (e.right.kind === "true") return e.left;
  } else if (e.kind === "or") {
    if (e.left.kind === "true" || e.right.kind === "true") return { kind: "true" };
    if (e.left.kind === "false") return e.right;
    if (e.right.kind === "false") return e.left;
  }
  return e;
}
