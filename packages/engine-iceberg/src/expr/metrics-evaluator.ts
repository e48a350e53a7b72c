import { compareValues } from "../internal/compare.js";
import type { DataFile } from "../manifest/data-file.js";
import type { PartitionFieldSummary } from "../manifest/manifest-file.js";
import { fromBinary } from "../spec/single-value.js";
import type { BoundExpression, BoundPredicate } from "./bind.js";

/** Column facts a file or manifest offers for pruning. Undefined means unknown. */
interface ColumnFacts {
  readonly lower?: unknown;
  readonly upper?: unknown;
  /** Whether the column may contain null (undefined: unknown = maybe). */
  readonly mayHaveNull: boolean;
  /** Whether every value is null. */
  readonly allNull: boolean;
  readonly mayHaveNaN: boolean;
}

function mightMatch(p: BoundPredicate, c: ColumnFacts): boolean {
  switch (p.op) {
    case "isNull": return c.mayHaveNull;
    case "notNull": return !c.allNull;
    case "isNaN": return c.mayHaveNaN;
    case "notNaN": return true;
    case "notEq": case "notIn": return true;
  }
  if (c.allNull) return false;
  const cmp = (a: unknown, b: unknown): number => compareValues(p.type, a, b);
  const { lower, upper } = c;
  const x = p.values[0];
  // Bounds never include NaN; a NaN literal compares as greater than everything.
  switch (p.op) {
    case "lt": return lower === undefined || cmp(lower, x) < 0;
    case "ltEq": return lower === undefined || cmp(lower, x) <= 0;
    case "gt": return upper === undefined || cmp(upper, x) > 0;
    case "gtEq": return upper === undefined || cmp(upper, x) >= 0;
    case "eq":
      return (lower === undefined || cmp(lower, x) <= 0) && (upper === undefined || cmp(upper, x) >= 0);
    case "in":
      return p.values.some((v) => (lower === undefined || cmp(lower, v) <= 0) && (upper === undefined || cmp(upper, v) >= 0));
  }
}

function walk(expr: BoundExpression, facts: (p: BoundPredicate) => ColumnFacts | undefined): boolean {
  switch (expr.kind) {
    case "true": return true;
    case "false": return false;
    case "and": return walk(expr.left, facts) && walk(expr.right, facts);
    case "or": return walk(expr.left, facts) || walk(expr.right, facts);
    case "bound": {
      const c = facts(expr);
      return c === undefined ? true : mightMatch(expr, c);
    }
  }
}

const decode = (p: BoundPredicate, b: Uint8Array | undefined): unknown => {
  if (b === undefined) return undefined;
  try { return fromBinary(p.type, b); } catch { return undefined; }
};

/** Whether a data file may contain rows matching a bound row filter, judged by its column metrics. */
export function fileMightMatch(expr: BoundExpression, file: DataFile): boolean {
  return walk(expr, (p) => {
    const id = p.fieldId;
    const nulls = file.nullValueCounts?.get(id);
    const values = file.valueCounts?.get(id);
    const nans = file.nanValueCounts?.get(id);
    return {
      lower: decode(p, file.lowerBounds?.get(id)),
      upper: decode(p, file.upperBounds?.get(id)),
      mayHaveNull: nulls === undefined || nulls > 0n,
      allNull: nulls !== undefined && values !== undefined && nulls === values,
      mayHaveNaN: nans === undefined || nans > 0n,
    };
  });
}

/** Whether a manifest may hold matching files, judged by its partition summaries; `expr` must be projected to partition field ids. */
export function summaryMightMatch(expr: BoundExpression, partitionFieldIds: readonly number[], summaries: readonly PartitionFieldSummary[] | undefined): boolean {
  if (!summaries || summaries.length === 0) return true;
  return walk(expr, (p) => {
    const i = partitionFieldIds.indexOf(p.fieldId);
    const s = summaries[i];
    if (i < 0 || !s) return undefined;
    const lower = decode(p, s.lowerBound);
    return {
      lower, upper: decode(p, s.upperBound),
      mayHaveNull: s.containsNull,
      allNull: lower === undefined && s.upperBound === undefined && s.containsNull && s.containsNan !== true,
      mayHaveNaN: s.containsNan !== false,
    };
  });
}

/** Whether every row of a data file is proven to match a bound row filter by its column metrics (Java's StrictMetricsEvaluator). */
export function fileMustMatch(expr: BoundExpression, file: DataFile): boolean {
  const must = (e: BoundExpression): boolean => {
    switch (e.kind) {
      case "true": return true;
      case "false": return false;
      case "and": return must(e.left) && must(e.right);
      case "or": return must(e.left) || must(e.right);
      case "bound": return mustMatch(e, file);
    }
  };
  return must(expr);
}

function mustMatch(p: BoundPredicate, file: DataFile): boolean {
  const id = p.fieldId;
  const nulls = file.nullValueCounts?.get(id);
  const values = file.valueCounts?.get(id);
  const nans = file.nanValueCounts?.get(id);
  const floating = p.type.kind === "primitive" && (p.type.name === "float" || p.type.name === "double");
  switch (p.op) {
    case "isNull": return nulls !== undefined && values !== undefined && nulls === values;
    case "notNull": return nulls === 0n;
    case "isNaN": return nans !== undefined && values !== undefined && nans === values;
    case "notNaN": return !floating || nans === 0n;
  }
  // Comparisons are false for null (and unordered for NaN): both must be proven absent.
  if (nulls !== 0n) return false;
  if (floating && nans !== 0n) return false;
  const lower = decode(p, file.lowerBounds?.get(id));
  const upper = decode(p, file.upperBounds?.get(id));
  const cmp = (a: unknown, b: unknown): number => compareValues(p.type, a, b);
  const x = p.values[0];
  // Truncated bounds still satisfy lower <= min <= max <= upper, which is all these rules use.
  switch (p.op) {
    case "lt": return upper !== undefined && cmp(upper, x) < 0;
    case "ltEq": return upper !== undefined && cmp(upper, x) <= 0;
    case "gt": return lower !== undefined && cmp(lower, x) > 0;
    case "gtEq": return lower !== undefined && cmp(lower, x) >= 0;
    case "eq": return lower !== undefined && upper !== undefined && cmp(lower, x) === 0 && cmp(upper, x) === 0;
    case "in": return lower !== undefined && upper !== undefined && cmp(lower, upper) === 0 && p.values.some((v) => cmp(lower, v) === 0);
    case "notEq": return (lower !== undefined && cmp(lower, x) > 0) || (upper !== undefined && cmp(upper, x) < 0);
    case "notIn": return p.values.every((v) => (lower !== undefined && cmp(lower, v) > 0) || (upper !== undefined && cmp(upper, v) < 0));
  }
}
