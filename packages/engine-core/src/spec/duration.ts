// Durations as specs write them: "90s", "15m", "12h", "2d", "1w", "365d".

/** The pattern a duration string must match: a whole number followed by ms, s, m, h, d or w. */
export const DURATION_PATTERN = "^[0-9]+(ms|s|m|h|d|w)$";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses a duration such as "2d" into milliseconds; returns undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
