import type { Detection } from "../../classify/detection.js";
import { detectBankAccount } from "./bank-account.js";
import { detectCard } from "./card.js";
import { detectEmail } from "./email.js";
import { detectIp } from "./ip.js";
import { detectPassport } from "./passport.js";
import { detectPhone } from "./phone.js";
import { detectRrn } from "./rrn.js";

/** A value detector: whole-value match, trimmed input, `undefined` when it does not apply. */
export type Detector = (value: string) => Detection | undefined;

/** All value detectors, most specific first. */
export const DETECTORS: readonly Detector[] = [
  detectRrn,
  detectCard,
  detectEmail,
  detectPhone,
  detectIp,
  detectPassport,
  detectBankAccount,
];
