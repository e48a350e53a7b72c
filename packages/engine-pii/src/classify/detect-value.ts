import { DETECTORS } from "../internal/detectors/index.js";
import type { Detection } from "./detection.js";

/**
 * Runs every detector on one whole value (trimmed) and returns what matched, most confident first.
 *
 * ```ts
 * detectValue("010-1234-5678"); // [{ kind: "phone", confidence: 0.95, variant: "kr-mobile" }]
 * ```
 */
export function detectValue(value: string): Detection[] {
  const v = value.trim();
  if (v.length === 0 || v.length > 254) return [];
  const found: Detection[] = [];
  for (const detect of DETECTORS) {
    const d = detect(v);
    if (d !== undefined) found.push(d);
  }
  return found.sort((a, b) => b.confidence - a.confidence);
}
