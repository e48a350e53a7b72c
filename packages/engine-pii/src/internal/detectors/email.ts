import type { Detection } from "../../classify/detection.js";

// Practical subset of RFC 5322's dot-atom: no quoted local parts, no IP-literal domains, a
// letter TLD (or an IDN `xn--` label) of 2+ characters. Rejects `a@localhost`, `a..b@x.com`.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

export function detectEmail(value: string): Detection | undefined {
  if (value.length > 254) return undefined;
  if (!EMAIL.test(value)) return undefined;
  const at = value.lastIndexOf("@");
  if (at > 64) return undefined; // RFC 5321: local part at most 64 octets
  return { kind: "email", confidence: 0.98, variant: "email" };
}
