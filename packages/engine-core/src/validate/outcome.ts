// The result of one validation rule, as reported, thrown and written to the audit table.

/** When a rule runs: `pre` on the staged input before anything is written, `post` on the table state about to be committed. */
export type ValidationPhase = "pre" | "post";

/** What one rule found. */
export interface ValidationOutcome {
  /** The rule name as written in the spec: `unique`, `range`, … */
  readonly rule: string;
  /** Where the rule is in the spec: `validate[3]` (or `validate[3].unique[1]` for one key set of several). */
  readonly path: string;
  readonly phase: ValidationPhase;
  readonly severity: "error" | "warn";
  readonly passed: boolean;
  /** The count or value the rule measured (failing rows, row count, latest timestamp, query value). */
  readonly observed: number | string | null;
  /** Up to five failing values (as text). */
  readonly failingExamples: readonly string[];
  /** `validate[2] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42)`. */
  readonly message: string;
}
