// `{param}` placeholders in a source path, filled from load parameters: `data/{date}/*.csv`.
// `{{` and `}}` stand for literal braces.

/** The result of filling placeholders: the text, and the names that had no value. */
export interface SubstitutionResult {
  readonly text: string;
  readonly missing: readonly string[];
}

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `{name}` placeholders with `params[name]`; names without a value are listed in `missing`. */
export function substituteParams(text: string, params: Readonly<Record<string, string>> = {}): SubstitutionResult {
  const missing: string[] = [];
  const out = text.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const value = Object.hasOwn(params, name!) ? params[name!] : undefined;
    if (value === undefined) {
      if (!missing.includes(name!)) missing.push(name!);
      return match;
    }
    return value;
  });
  return { text: out, missing };
}

/** Lists the placeholder names used in a text, in order of first use. */
export function listParams(text: string): string[] {
  return substituteParams(text).missing.slice();
}
