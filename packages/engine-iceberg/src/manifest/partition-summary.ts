import { compareValues } from "../internal/compare.js";
import { toBinary } from "../spec/single-value.js";
import { isPrimitive } from "../spec/type-json.js";
import type { StructType } from "../spec/types.js";
import type { PartitionFieldSummary } from "./manifest-file.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Spec (manifest list `partitions`): per partition field, whether any value is null or NaN and the bounds of the others. */
export function summarizePartitions(partitionType: StructType, partitions: Iterable<readonly unknown[]>): PartitionFieldSummary[] {
  const n = partitionType.fields.length;
  const state = partitionType.fields.map(() => ({ containsNull: false, containsNan: false, min: undefined as unknown, max: undefined as unknown }));
  for (const p of partitions) {
    for (let i = 0; i < n; i++) {
      const v = p[i];
      const s = state[i]!;
      const type = partitionType.fields[i]!.type;
      if (v === null || v === undefined) { s.containsNull = true; continue; }
      if (typeof v === "number" && Number.isNaN(v)) { s.containsNan = true; continue; }
      if (s.min === undefined || compareValues(type, v, s.min) < 0) s.min = v;
      if (s.max === undefined || compareValues(type, v, s.max) > 0) s.max = v;
    }
  }
  return state.map((s, i) => {
    const type = partitionType.fields[i]!.type;
    const out: Mutable<PartitionFieldSummary> = { containsNull: s.containsNull };
    const floating = type.kind === "primitive" && (type.name === "float" || type.name === "double");
    if (floating) out.containsNan = s.containsNan;
    if (s.min !== undefined && isPrimitive(type)) out.lowerBound = toBinary(type, s.min);
    if (s.max !== undefined && isPrimitive(type)) out.upperBound = toBinary(type, s.max);
    return out;
  });
}
