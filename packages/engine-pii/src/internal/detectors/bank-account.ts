import type { Detection } from "../../classify/detection.js";

// Dash-grouped layouts Korean banks print on passbooks (group lengths in digits), e.g.
// KB 6-2-6, Shinhan 3-3-6, Woori 4-3-6, Hana 3-6-5, NH 3-4-4-2, IBK 3-6-2-3, KakaoBank 4-2-7,
// SC 3-2-6. Without dashes an account number is just a number, so only grouped values count,
// and even then with low confidence.
const LAYOUTS = new Set(["3-2-6", "3-6-5", "3-3-6", "6-2-6", "4-3-6", "3-4-4-2", "3-6-2-3", "4-2-7", "3-2-4-3", "3-3-5", "6-2-7"]);

export function detectBankAccount(value: string): Detection | undefined {
  if (!/^\d+(?:-\d+){2,3}$/.test(value)) return undefined;
  const layout = value
    .split("-")
    .map((g) => g.length)
    .join("-");
  if (!LAYOUTS.has(layout)) return undefined;
  return { kind: "bank-account", confidence: 0.5, variant: `kr-${layout}` };
}
