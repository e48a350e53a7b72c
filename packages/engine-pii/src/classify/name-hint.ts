import type { PiiKind } from "./pii-kind.js";

/** What a column's name alone suggests: a kind and a modest confidence. */
export interface NameHint {
  readonly kind: PiiKind;
  readonly confidence: number;
}

// Matched against the name in snake_case (camelCase split, lower-cased); Korean terms as written.
// First rule wins. Names that merely contain a word ("card_type", "ip_country") do not match.
const RULES: readonly (readonly [PiiKind, RegExp])[] = [
  ["rrn", /^(?:.*_)?(?:ssn|rrn|jumin(?:_?no)?|resident_(?:registration_)?(?:no|num|number)|national_id|주민(?:등록)?번호)$/],
  ["passport", /^(?:.*_)?passport(?:_?(?:no|num|number|id))?$|여권번호/],
  ["card", /^(?:.*_)?(?:(?:credit_?|debit_?)?card_?(?:no|num|number)|credit_?card|cc_?(?:no|num|number)|pan)$|카드번호/],
  ["bank-account", /^(?:.*_)?(?:bank_?)?(?:account|acct)_?(?:no|num|number)$|^(?:.*_)?bank_account$|계좌(?:번호)?/],
  ["email", /^(?:.*_)?e_?mail(?:_?(?:addr|address))?$|이메일/],
  ["phone", /^(?:.*_)?(?:phone|tel|telephone|mobile|cell|cellphone|hp|msisdn|fax)(?:_?(?:no|num|number))?$|전화|휴대폰|연락처/],
  ["ip", /^(?:.*_)?(?:ip|ipv4|ipv6|ip_?addr(?:ess)?|remote_addr)$/],
  ["birth-date", /^(?:.*_)?(?:dob|birth_?date|date_of_birth|birthday|birth_dt)$|생년월일/],
  ["name", /^(?:full_|first_|last_|given_|family_|customer_|user_|real_)?name$|^(?:이름|성명)$/],
  ["address", /^(?:.*_)?(?:address|addr|street|street_address|home_address)$|주소/],
];

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[\s\-.]+/g, "_")
    .toLowerCase();
}

/** The PII kind a column name hints at (e.g. `customer_email`, `phoneNo`, `주민번호`), if any. */
export function nameHint(columnName: string): NameHint | undefined {
  const n = snake(columnName.trim());
  for (const [kind, re] of RULES) if (re.test(n)) return { kind, confidence: 0.6 };
  return undefined;
}
