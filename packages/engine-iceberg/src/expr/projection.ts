import type { PartitionField, PartitionSpec } from "../spec/partition-spec.js";
import { applyTransform, transformResultType } from "../spec/transform.js";
import { isPrimitive } from "../spec/type-json.js";
import { simplify, type BoundExpression, type BoundPredicate } from "./bind.js";

// Inclusive projection (spec: "Scan Planning"): a predicate on a source column becomes a
// predicate on partition values that is true for every partition that may hold a matching row.
// Transforms are monotonic (year/month/day/hour/truncate), so x < v implies f(x) <= f(v).

/** v ± 1 for integral values (int, long, date, time, timestamps, unscaled decimals); others unchanged. */
function step(v: unknown, by: 1 | -1): unknown {
  if (typeof v === "bigint") return v + BigInt(by);
  if (typeof v === "number" && Number.isInteger(v)) return v + by;
  return v;
}

function projectOne(p: BoundPredicate, field: PartitionField): BoundExpression {
  const t = field.transform;
  const resultType = transformResultType(t, p.type);
  if (!isPrimitive(resultType)) return { kind: "true" };
  const mk = (op: BoundPredicate["op"], values: readonly unknown[]): BoundExpression =>
    ({ kind: "bound", op, fieldId: field.fieldId, type: resultType, values });
  if (t.kind === "void") return { kind: "true" };
  if (p.op === "isNull" || p.op === "notNull") return mk(p.op, []);
  if (t.kind === "identity") return mk(p.op, p.values);
  const f = (v: unknown): unknown => applyTransform(t, p.type, v);
  if (t.kind === "bucket") {
    if (p.op === "eq") return mk("eq", [f(p.values[0])]);
    if (p.op === "in") return mk("in", p.values.map(f));
    return { kind: "true" };
  }
  // Order-preserving transforms.
  switch (p.op) {
    case "eq": return mk("eq", [f(p.values[0])]);
    case "in": return mk("in", p.values.map(f));
    // Java's ProjectionUtil: for integral values x < v is x <= v - 1, so f(x) <= f(v - 1) is tighter.
    case "lt": return mk("ltEq", [f(step(p.values[0], -1))]);
    case "ltEq": return mk("ltEq", [f(p.values[0])]);
    case "gt": return mk("gtEq", [f(step(p.values[0], 1))]);
    case "gtEq": return mk("gtEq", [f(p.values[0])]);
    default: return { kind: "true" };
  }
}

/** Projects a bound row filter onto a partition spec's fields (ids = partition field ids). */
export function projectToPartition(expr: BoundExpression, spec: PartitionSpec): BoundExpression {
  const go = (e: BoundExpression): BoundExpression => {
    switch (e.kind) {
      case "true": case "false": return e;
      case "and": return simplify({ kind: "and", left: go(e.left), right: go(e.right) });
      case "or": return simplify({ kind: "or", left: go(e.left), right: go(e.right) });
      case "bound": {
        let out: BoundExpression = { kind: "true" };
        for (const field of spec.fields) {
          if (field.sourceId !== e.fieldId) continue;
          out = simplify({ kind: "and", left: out, right: projectOne(e, field) });
        }
        return out;
      }
    }
  };
  return go(expr);
}
