import type { PiiKind } from "./pii-kind.js";

/** One detector's verdict on one value: the kind, how sure it is (0..1) and which format matched. */
export interface Detection {
  readonly kind: PiiKind;
  /** 0..1; 0.5 and above counts as a match in the package's precision/recall figures. */
  readonly confidence: number;
  /** The format that matched, e.g. `"kr-mobile"`, `"visa"`, `"ipv6"`, `"kr-passport"`. */
  readonly variant: string;
}
