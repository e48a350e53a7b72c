import { isValidDate } from "../calendar.js";
import type { Detection } from "../../classify/detection.js";

const RRN = /^(\d{6})([- ]?)(\d{7})$/;
const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5] as const;

/**
 * Checks a 13-digit Korean resident (1–4) or foreigner (5–8) registration number: the birth
 * date for the century its gender digit implies, and the check digit
 * `(11 − Σ dᵢ·wᵢ mod 11) mod 10` with weights 2,3,4,5,6,7,8,9,2,3,4,5.
 * Numbers issued from October 2020 no longer carry a meaningful check digit; they fail here.
 */
export function isValidRrnDigits(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  const d = Array.from(digits, (c) => c.charCodeAt(0) - 48);
  const gender = d[6] ?? 0;
  if (gender < 1 || gender > 8) return false;
  const century = gender === 1 || gender === 2 || gender === 5 || gender === 6 ? 1900 : 2000;
  const year = century + (d[0] ?? 0) * 10 + (d[1] ?? 0);
  const month = (d[2] ?? 0) * 10 + (d[3] ?? 0);
  const day = (d[4] ?? 0) * 10 + (d[5] ?? 0);
  if (!isValidDate(year, month, day)) return false;
  if (Date.UTC(year, month - 1, day) > Date.now()) return false; // nobody is born in the future
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (d[i] ?? 0) * WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10 === d[12];
}

export function detectRrn(value: string): Detection | undefined {
  const m = RRN.exec(value);
  if (!m) return undefined;
  const digits = `${m[1]}${m[3]}`;
  if (!isValidRrnDigits(digits)) return undefined;
  const foreigner = (digits.charCodeAt(6) - 48) >= 5;
  return {
    kind: "rrn",
    confidence: m[2] === "" ? 0.9 : 0.97,
    variant: foreigner ? "kr-foreigner-registration" : "kr-resident-registration",
  };
}
