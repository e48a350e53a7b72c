import { isIP } from "node:net";
import type { Detection } from "../../classify/detection.js";

export function detectIp(value: string): Detection | undefined {
  const version = isIP(value);
  if (version === 4) {
    // Four single-digit parts read as well as a version number ("1.4.2.0") as an address.
    const versionLike = value.split(".").every((part) => part.length === 1);
    return { kind: "ip", confidence: versionLike ? 0.4 : 0.9, variant: "ipv4" };
  }
  if (version === 6) {
    // "::" and "::1" alone are as likely to be separators or placeholders as data.
    const trivial = value === "::" || value === "::1";
    return { kind: "ip", confidence: trivial ? 0.5 : 0.95, variant: "ipv6" };
  }
  return undefined;
}
