import type { PartitionField, PartitionSpec } from "../spec/partition-spec.js";
import { applyTransform, transformResultType } from "../spec/transform.js";
import { isPrimitive } from "../spec/type-json.js";
import { simplify, type BoundExpression, type BoundPredicate } from "./bind.js";

// Strict projection (spec: "Scan Planning"; Java's Projections.strict): a predicate on partition
// values that, when true for a partition, guarantees the row filter holds for every row in it.
// It is used to prove that a whole data file matches a delete filter without reading it.

function strictOne(p: BoundPredicate, field: PartitionField): BoundExpression {
  const t = field.transform;
  if (t.kind === "void") return { kind: "false" };
  const resultType = transformResultType(t, p.type);
  if (!isPrimitive(resultType)) return { kind: "false" };
  const mk = (op: BoundPredicate["op"], values: readonly unknown[]): BoundExpression =>
    ({ kind: "bound", op, fieldId: field.fieldId, type: resultType, values });
  // Every non-void transform maps null to null and non-null to non-null.
  if (p.op === "isNull" || p.op === "notNull") return mk(p.op, []);
  if (t.kind === "identity") return mk(p.op, p.values);
  if (t.kind === "bucket") return { kind: "false" };
  // Order-preserving transforms: f(x) < f(v) implies x < v (and x <= v); f(x) > f(v) implies x > v.
  const f = (v: unknown): unknown => applyTransform(t, p.type, v);
  switch (p.op) {
    case "lt": case "ltEq": return mk("lt", [f(p.values[0])]);
    case "gt": case "gtEq": return mk("gt", [f(p.values[0])]);
    // f(x) != f(v) implies x != v.
    case "notEq": return mk("notEq", [f(p.values[0])]);
    case "notIn": return mk("notIn", p.values.map(f));
    default: return { kind: "false" };
  }
}

/** Projects a bound row filter onto a spec's partition fields so that a true result means every row of the partition matches. */
export function projectStrict(expr: BoundExpression, spec: PartitionSpec): BoundExpression {
  const go = (e: BoundExpression): BoundExpression => {
    switch (e.kind) {
      case "true": case "false": return e;
      case "and": return simplify({ kind: "and", left: go(e.left), right: go(e.right) });
      case "or": return simplify({ kind: "or", left: go(e.left), right: go(e.right) });
      case "bound": {
        // Any one partition field that proves the predicate is enough.
        let out: BoundExpression = { kind: "false" };
        for (const field of spec.fields) {
          if (field.sourceId !== e.fieldId) continue;
          out = simplify({ kind: "or", left: out, right: strictOne(e, field) });
        }
        return out;
      }
    }
  };
  return go(expr);
}
