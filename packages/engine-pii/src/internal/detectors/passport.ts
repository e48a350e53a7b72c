import type { Detection } from "../../classify/detection.js";

// Korean passports: type letter (M multiple, S single, R travel certificate, O official,
// D diplomatic, G government) + 8 digits; since December 2021: letter, 3 digits, letter, 4 digits.
const KR_PASSPORT = /^[MSRODG]\d{8}$/;
const KR_PASSPORT_2021 = /^[MSRODG]\d{3}[A-Z]\d{4}$/;
// Many other countries: one or two letters + 7 or 8 digits. Order numbers look the same.
const GENERIC_PASSPORT = /^[A-Z]{1,2}\d{7,8}$/;

export function detectPassport(value: string): Detection | undefined {
  if (KR_PASSPORT_2021.test(value)) return { kind: "passport", confidence: 0.75, variant: "kr-passport-2021" };
  if (KR_PASSPORT.test(value)) return { kind: "passport", confidence: 0.7, variant: "kr-passport" };
  if (GENERIC_PASSPORT.test(value)) return { kind: "passport", confidence: 0.4, variant: "generic-passport" };
  return undefined;
}
