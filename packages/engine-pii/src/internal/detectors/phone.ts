import type { Detection } from "../../classify/detection.js";

// Korean numbers: mobile 010 is always 3-4-4; the older 011/016-019 may have a 3-digit middle.
const KR_MOBILE_010 = /^010([-. ]?)\d{4}\1\d{4}$/;
const KR_MOBILE_OLD = /^01[16789]([-. ]?)\d{3,4}\1\d{4}$/;
// Seoul 02 and the 0[3-6][1-5] area codes; 070 (VoIP) and 050x (personal numbers).
const KR_LANDLINE = /^(?:02|0[3-6][1-5])([-. ]?)\d{3,4}\1\d{4}$/;
const KR_VOIP = /^(?:070|050[2-8])([-. ]?)\d{3,4}\1\d{4}$/;
// Nationwide representative numbers: 1544-1234, 1588-xxxx, 1600-xxxx, 1899-xxxx.
const KR_REPRESENTATIVE = /^1(?:5[4-9]|6[0-9]|8[0-9])\d-\d{4}$/;
// +82, the trunk 0 dropped (sometimes written as "(0)").
const KR_INTERNATIONAL = /^\+82[-. ]?(?:\(0\)[-. ]?)?(?:1[016789]|2|[3-6][1-5]|70)[-. ]?\d{3,4}[-. ]?\d{4}$/;
// NANP: area and exchange codes start with 2-9.
const NANP = /^(?:\([2-9]\d{2}\) ?|[2-9]\d{2}([-. ]))[2-9]\d{2}[-. ]\d{4}$/;
// Other national formats with a trunk 0 and consistent separators (UK 020 7946 0958, JP 03-1234-5678);
// not 010, which is a Korean mobile prefix that failed its own, stricter rule above.
const NATIONAL_TRUNK = /^(?!010)0[1-9]\d{0,3}([- ])\d{2,4}\1\d{4}$/;
// E.164 as written by people: + country code, then digits with single separators and optional parentheses.
const INTERNATIONAL = /^\+[1-9](?:[-. ]?\(?\d\)?){7,14}$/;

function digitCount(value: string): number {
  let n = 0;
  for (const c of value) if (c >= "0" && c <= "9") n++;
  return n;
}

export function detectPhone(value: string): Detection | undefined {
  const separated = /[-. ()]/.test(value);
  if (KR_MOBILE_010.test(value) || KR_MOBILE_OLD.test(value)) {
    return { kind: "phone", confidence: separated ? 0.95 : 0.9, variant: "kr-mobile" };
  }
  if (KR_INTERNATIONAL.test(value)) return { kind: "phone", confidence: 0.97, variant: "kr-international" };
  if (KR_LANDLINE.test(value)) return { kind: "phone", confidence: separated ? 0.9 : 0.7, variant: "kr-landline" };
  if (KR_VOIP.test(value)) return { kind: "phone", confidence: separated ? 0.85 : 0.7, variant: "kr-voip" };
  if (value.startsWith("+")) {
    const n = digitCount(value);
    if (n >= 8 && n <= 15 && INTERNATIONAL.test(value) && balancedParens(value)) {
      return { kind: "phone", confidence: 0.88, variant: "e164" };
    }
    return undefined;
  }
  if (NANP.test(value)) return { kind: "phone", confidence: 0.75, variant: "nanp" };
  if (KR_REPRESENTATIVE.test(value)) return { kind: "phone", confidence: 0.6, variant: "kr-representative" };
  if (NATIONAL_TRUNK.test(value)) {
    const n = digitCount(value);
    if (n >= 9 && n <= 11) return { kind: "phone", confidence: 0.6, variant: "national" };
  }
  return undefined;
}

function balancedParens(value: string): boolean {
  let depth = 0;
  for (const c of value) {
    if (c === "(") depth++;
    else if (c === ")") depth--;
    if (depth < 0 || depth > 1) return false;
  }
  return depth === 0;
}
