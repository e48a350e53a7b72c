// The repeatable `--param key=value` option.

import { InvalidArgumentError } from "commander";

/** Commander option parser that collects `key=value` pairs into a record. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf("=");
  const key = at < 0 ? "" : value.slice(0, at);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new InvalidArgumentError(`expected key=value with key matching /^[A-Za-z_][A-Za-z0-9_]*$/, got ${JSON.stringify(value)}`);
  }
  return { ...previous, [key]: value.slice(at + 1) };
}
