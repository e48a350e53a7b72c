import { bind, type BoundExpression } from "../expr/bind.js";
import { evaluate } from "../expr/evaluator.js";
import type { Expression } from "../expr/expression.js";
import { fileMightMatch, fileMustMatch } from "../expr/metrics-evaluator.js";
import { projectToPartition } from "../expr/projection.js";
import { projectStrict } from "../expr/strict-projection.js";
import { FileContent, type DataFile } from "../manifest/data-file.js";
import type { Table } from "../table/table.js";

/** How a row filter relates to a file: no rows, all rows, or maybe some rows match. */
export type MatchKind = "none" | "all" | "some";
/** Judges files against one bound row filter, caching projections per spec. */
export interface RowFilterMatcher { inclusive(specId: number): BoundExpression; match(f: DataFile): MatchKind }

/** Decides per file whether a row filter matches none, all or some of its rows (partition values first, then column metrics). */
export function rowFilterMatcher(base: Table, filter: Expression): RowFilterMatcher {
  const bound = bind(filter, base.schema());
  const inc = new Map<number, BoundExpression>();
  const inclusive = (specId: number): BoundExpression => {
    let p = inc.get(specId);
    if (!p) { const spec = base.specs().get(specId); p = spec ? projectToPartition(bound, spec) : { kind: "true" }; inc.set(specId, p); }
    return p;
  };
  // Each predicate may be proven by the partition (strict projection) or by the file's metrics, so
  // a conjunction of a partition predicate and a column-range predicate can still be proven whole.
  const leafStrict = new Map<number, Map<BoundExpression, BoundExpression>>();
  const strictLeaf = (specId: number, leaf: BoundExpression): BoundExpression => {
    let m = leafStrict.get(specId);
    if (!m) { m = new Map(); leafStrict.set(specId, m); }
    let p = m.get(leaf);
    if (!p) { const spec = base.specs().get(specId); p = spec ? projectStrict(leaf, spec) : { kind: "false" }; m.set(leaf, p); }
    return p;
  };
  const must = (e: BoundExpression, f: DataFile, value: (id: number) => unknown): boolean => {
    switch (e.kind) {
      case "true": return true;
      case "false": return false;
      case "and": return must(e.left, f, value) && must(e.right, f, value);
      case "or": return must(e.left, f, value) || must(e.right, f, value);
      case "bound":
        if (evaluate(strictLeaf(f.specId, e), value)) return true;
        // Delete files are judged by partition only: their column metrics describe deleted rows.
        return f.content === FileContent.Data && fileMustMatch(e, f);
    }
  };
  return {
    inclusive,
    match(f) {
      if (bound.kind === "true") return "all";
      if (bound.kind === "false") return "none";
      const ids = base.specs().get(f.specId)?.fields.map((x) => x.fieldId) ?? [];
      const value = (id: number): unknown => f.partition[ids.indexOf(id)];
      if (!evaluate(inclusive(f.specId), value)) return "none";
      if (f.content === FileContent.Data && !fileMightMatch(bound, f)) return "none";
      return must(bound, f, value) ? "all" : "some";
    },
  };
}
