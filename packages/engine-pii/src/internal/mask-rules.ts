// Which `partial` rule a PII kind uses; shared by the JS and SQL maskers so they cannot drift.
export type PartialRule = "email" | "last4" | "rrn" | "ipv4" | "generic";

export function partialRule(kind: string | undefined): PartialRule {
  switch (kind) {
    case "email":
      return "email";
    case "phone":
    case "card":
    case "bank-account":
      return "last4";
    case "rrn":
      return "rrn";
    case "ip":
      return "ipv4";
    default:
      return "generic";
  }
}
