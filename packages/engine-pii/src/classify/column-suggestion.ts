import type { PiiGrade, PiiKind } from "./pii-kind.js";

/** A suggested `pii` tag for one column, with the evidence behind it. */
export interface ColumnSuggestion {
  readonly column: string;
  readonly kind: PiiKind;
  /** The default grade of `kind` (see `DEFAULT_GRADES`). */
  readonly grade: PiiGrade;
  /** 0..1: share of matching values × their mean detector confidence, combined with a name hint. */
  readonly confidence: number;
  /** Sampled values that matched `kind`. */
  readonly matches: number;
  /** Non-empty values examined. */
  readonly sampled: number;
  /** What the suggestion rests on. */
  readonly source: "values" | "name" | "values+name";
}

/** Options of `scanColumn`, `scanColumns` and `scanRelation`. */
export interface ScanOptions {
  /** Non-empty values examined per column; default 1000. */
  readonly sampleSize?: number;
  /** Share of examined values that must match one kind for the values alone to suggest it; default 0.5. */
  readonly minShare?: number;
}
