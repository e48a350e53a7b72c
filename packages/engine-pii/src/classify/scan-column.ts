import { PiiArgumentError } from "../errors.js";
import type { ColumnSuggestion, ScanOptions } from "./column-suggestion.js";
import { detectValue } from "./detect-value.js";
import { nameHint } from "./name-hint.js";
import { DEFAULT_GRADES, type PiiKind } from "./pii-kind.js";

// Weakest detection that still counts towards a kind's share; generic passports (0.4) count,
// but pull the mean confidence down.
const MIN_DETECTION_CONFIDENCE = 0.3;
// Below this share of matching values, a name hint whose kind values can show is doubted.
const CONTRADICTION_SHARE = 0.1;
const CONTRADICTION_MIN_SAMPLED = 10;

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Suggests a PII tag for one column from a sample of its values and its name, or `undefined`.
 *
 * The first `sampleSize` non-empty values are examined (pass a random sample; `scanRelation`
 * draws one). A kind is suggested from values when at least `minShare` of them match it; the
 * confidence is that share times the matches' mean detector confidence, raised (noisy-or) by a
 * name hint that agrees. A name hint alone gives 0.6, or 0.3 when enough values contradict it.
 *
 * ```ts
 * scanColumn("contact", ["a@x.com", "b@y.org", null]);
 * // { column: "contact", kind: "email", grade: 2, confidence: 0.98, matches: 2, sampled: 2, source: "values" }
 * ```
 */
export function scanColumn(
  name: string,
  values: Iterable<string | null | undefined>,
  options: ScanOptions = {},
): ColumnSuggestion | undefined {
  const sampleSize = options.sampleSize ?? 1000;
  const minShare = options.minShare ?? 0.5;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new PiiArgumentError(`pii: scan: sampleSize: expected a positive integer, got ${String(sampleSize)}`);
  }
  if (!(minShare > 0 && minShare <= 1)) {
    throw new PiiArgumentError(`pii: scan: minShare: expected a number in (0, 1], got ${String(minShare)}`);
  }

  let sampled = 0;
  const matches = new Map<PiiKind, { count: number; confidenceSum: number }>();
  for (const raw of values) {
    if (sampled >= sampleSize) break;
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (value === "") continue;
    sampled++;
    const seen = new Set<PiiKind>();
    for (const d of detectValue(value)) {
      if (d.confidence < MIN_DETECTION_CONFIDENCE || seen.has(d.kind)) continue;
      seen.add(d.kind); // detections come most confident first: keep the best per kind
      const m = matches.get(d.kind) ?? { count: 0, confidenceSum: 0 };
      m.count++;
      m.confidenceSum += d.confidence;
      matches.set(d.kind, m);
    }
  }

  let best: { kind: PiiKind; count: number; score: number; share: number } | undefined;
  for (const [kind, m] of matches) {
    const share = m.count / sampled;
    const score = share * (m.confidenceSum / m.count);
    if (best === undefined || score > best.score) best = { kind, count: m.count, score, share };
  }

  const hint = nameHint(name);
  if (best !== undefined && best.share >= minShare) {
    const agrees = hint?.kind === best.kind;
    const confidence = agrees ? 1 - (1 - best.score) * (1 - hint.confidence) : best.score;
    return suggestion(name, best.kind, confidence, best.count, sampled, agrees ? "values+name" : "values");
  }
  if (hint !== undefined) {
    const hinted = matches.get(hint.kind)?.count ?? 0;
    const detectable = !["name", "address", "birth-date"].includes(hint.kind);
    const contradicted =
      detectable && sampled >= CONTRADICTION_MIN_SAMPLED && hinted / sampled < CONTRADICTION_SHARE;
    return suggestion(name, hint.kind, contradicted ? hint.confidence / 2 : hint.confidence, hinted, sampled, "name");
  }
  return undefined;
}

function suggestion(
  column: string,
  kind: PiiKind,
  confidence: number,
  matches: number,
  sampled: number,
  source: ColumnSuggestion["source"],
): ColumnSuggestion {
  return { column, kind, grade: DEFAULT_GRADES[kind], confidence: round(confidence), matches, sampled, source };
}
