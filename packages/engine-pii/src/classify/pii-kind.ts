/** A PII grade as used in spec tags: 1 is the most sensitive, 3 the least. */
export type PiiGrade = 1 | 2 | 3;

/** The kinds of personal data this package detects from values (and, for the last three, from column names only). */
export type PiiKind =
  | "rrn"
  | "passport"
  | "card"
  | "bank-account"
  | "email"
  | "phone"
  | "ip"
  | "name"
  | "address"
  | "birth-date";

/** A column's PII tag as the spec writes it: `pii: { grade, kind }`. */
export interface PiiTag {
  readonly grade: PiiGrade;
  readonly kind: string;
}

/**
 * Default grade of each kind, used when a suggestion becomes a spec tag.
 *
 * | kind | grade | why |
 * |---|---|---|
 * | rrn, passport | 1 | unique identifiers (고유식별정보 under Korea's PIPA) |
 * | card, bank-account | 1 | financial account numbers: direct fraud risk |
 * | email, phone | 2 | direct contact identifiers |
 * | name, address, birth-date | 2 | identify a person in combination |
 * | ip | 3 | indirect, often dynamic identifier |
 */
export const DEFAULT_GRADES: Readonly<Record<PiiKind, PiiGrade>> = Object.freeze({
  rrn: 1,
  passport: 1,
  card: 1,
  "bank-account": 1,
  email: 2,
  phone: 2,
  name: 2,
  address: 2,
  "birth-date": 2,
  ip: 3,
});

/** Every kind, in the order of `DEFAULT_GRADES` (most sensitive first). */
export const PII_KINDS: readonly PiiKind[] = Object.freeze(Object.keys(DEFAULT_GRADES) as PiiKind[]);
