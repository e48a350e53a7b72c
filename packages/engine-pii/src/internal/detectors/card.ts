import { isLuhnValid } from "../luhn.js";
import type { Detection } from "../../classify/detection.js";

// 13–19 digits, optionally grouped with one kind of separator (spaces or dashes).
const CARD = /^\d+(?:([ -])\d+)*$/;

interface Brand {
  readonly name: string;
  readonly lengths: readonly number[];
  readonly matches: (digits: string) => boolean;
}

const prefix = (digits: string, n: number): number => Number(digits.slice(0, n));

// Issuer identification number ranges (ISO/IEC 7812) of the networks users meet most.
// Order matters: Discover's 622126–622925 co-branded range sits inside UnionPay's 62.
const BRANDS: readonly Brand[] = [
  { name: "amex", lengths: [15], matches: (d) => /^3[47]/.test(d) },
  { name: "visa", lengths: [13, 16, 19], matches: (d) => d.startsWith("4") },
  {
    name: "mastercard",
    lengths: [16],
    matches: (d) => /^5[1-5]/.test(d) || (prefix(d, 4) >= 2221 && prefix(d, 4) <= 2720),
  },
  {
    name: "discover",
    lengths: [16, 17, 18, 19],
    matches: (d) =>
      d.startsWith("6011") || /^64[4-9]/.test(d) || d.startsWith("65") || (prefix(d, 6) >= 622126 && prefix(d, 6) <= 622925),
  },
  { name: "jcb", lengths: [16, 17, 18, 19], matches: (d) => prefix(d, 4) >= 3528 && prefix(d, 4) <= 3589 },
  { name: "unionpay", lengths: [16, 17, 18, 19], matches: (d) => d.startsWith("62") || d.startsWith("81") },
];

/** The card network whose IIN range and length fit these digits, if any. */
export function cardBrand(digits: string): string | undefined {
  return BRANDS.find((b) => b.lengths.includes(digits.length) && b.matches(digits))?.name;
}

export function detectCard(value: string): Detection | undefined {
  const m = CARD.exec(value);
  if (!m) return undefined;
  const separator = m[1];
  if (separator !== undefined && value.split(separator === " " ? "-" : " ").length > 1) return undefined;
  const digits = value.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19) return undefined;
  if (!isLuhnValid(digits)) return undefined;
  const brand = cardBrand(digits);
  if (brand === undefined) return undefined;
  if (separator !== undefined && !groupsLookLikeCard(value.split(separator))) return undefined;
  return { kind: "card", confidence: separator === undefined ? 0.9 : 0.95, variant: brand };
}

// Printed groupings: 4-4-4-4(-3), Amex 4-6-5, 4-6-4 (Diners-style), 6-13 (some UnionPay).
function groupsLookLikeCard(groups: readonly string[]): boolean {
  const shape = groups.map((g) => g.length).join("-");
  return /^4-4-4-(?:1|2|3|4|4-3)$|^4-6-5$|^4-6-4$|^6-1[0-3]$/.test(shape);
}
