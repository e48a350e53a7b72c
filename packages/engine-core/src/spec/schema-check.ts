// Checks a raw spec against `tableSpecJsonSchema` with Ajv and turns Ajv's errors into spec
// issues that name the path and say expected vs actual.

import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { tableSpecJsonSchema, VALIDATION_RULE_NAMES } from "./json-schema.js";
import { describeValue, type RawSpecIssue, type SpecPathSegment } from "./spec-issue.js";

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(tableSpecJsonSchema);
  return validator;
}

/** Checks a raw spec value against the JSON Schema; returns one issue per problem (empty when valid). */
export function checkSpecSchema(value: unknown): RawSpecIssue[] {
  const validate = compiled();
  if (validate(value)) return [];
  return toIssues(validate.errors ?? [], value);
}

function toIssues(errors: readonly ErrorObject[], root: unknown): RawSpecIssue[] {
  const issues: RawSpecIssue[] = [];
  for (const error of topLevel(errors)) issues.push(...explain(error, errors, root));
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.segments.join("\u0000")}|${issue.expected}|${issue.actual}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Errors not raised inside an anyOf/oneOf alternative (those are explained by their parent). */
function topLevel(errors: readonly ErrorObject[]): ErrorObject[] {
  const branches = errors.filter(isAlternative).map((error) => `${error.schemaPath}/`);
  return errors.filter((error) => !branches.some((prefix) => error.schemaPath.startsWith(prefix)));
}

function isAlternative(error: ErrorObject): boolean {
  return error.keyword === "anyOf" || error.keyword === "oneOf";
}

function explain(error: ErrorObject, all: readonly ErrorObject[], root: unknown): RawSpecIssue[] {
  const segments = pointerToSegments(error.instancePath, root);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const description = typeof parent["description"] === "string" ? (parent["description"] as string) : undefined;
  const actual = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params["missingProperty"]);
      const property = ((parent["properties"] ?? {}) as Record<string, Record<string, unknown>>)[missing];
      const expected = typeof property?.["description"] === "string" ? (property["description"] as string) : "a value";
      return [{ segments: [...segments, missing], expected, actual: "nothing" }];
    }
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const known = Object.keys((parent["properties"] ?? {}) as object).filter((k) => k !== "$schema");
      return [{ segments: [...segments, key], expected: `one of the keys ${known.join(", ")}`, actual: `unknown key "${key}"`, onKey: true }];
    }
    case "dependentRequired": {
      const property = String(params["property"]);
      const missing = String(params["missingProperty"]);
      return [{ segments: [...segments, property], expected: `"${property}" only together with "${missing}"`, actual: `"${property}" without "${missing}"`, onKey: true }];
    }
    case "anyOf":
    case "oneOf":
      return explainAlternatives(error, all, root, segments, description, actual);
    case "type":
      return [{ segments, expected: description ?? typeNoun(params["type"]), actual }];
    case "enum":
      return [{ segments, expected: `one of ${(params["allowedValues"] as unknown[]).map((v) => describeValue(v)).join(", ")}`, actual }];
    case "pattern":
      return [{ segments, expected: description ?? `a string matching /${String(params["pattern"])}/`, actual }];
    case "minLength":
      return [{ segments, expected: description ? `${description} (non-empty)` : "a non-empty string", actual }];
    case "minItems":
      return [{ segments, expected: `${description ?? "a list"} with at least ${String(params["limit"])} item(s)`, actual }];
    case "uniqueItems":
      return [{ segments, expected: `${description ?? "a list"} without duplicates`, actual: `${actual} (items ${String(params["j"])} and ${String(params["i"])} are equal)` }];
    case "minimum":
    case "maximum":
      return [{ segments, expected: `${description ?? "a number"} ${String(params["comparison"])} ${String(params["limit"])}`.trim(), actual }];
    case "minProperties":
    case "maxProperties":
      return [{ segments, expected: description ?? `an object ${error.message ?? ""}`, actual }];
    default:
      return [{ segments, expected: description ?? `a value that ${error.message ?? "matches the schema"}`, actual }];
  }
}

function explainAlternatives(
  error: ErrorObject,
  all: readonly ErrorObject[],
  root: unknown,
  segments: SpecPathSegment[],
  description: string | undefined,
  actual: string,
): RawSpecIssue[] {
  if (isRuleObject(error)) return explainRule(error, all, segments, actual);
  // When the value's JSON type matches exactly one alternative, that alternative's own errors say
  // more than "expected one of …": e.g. key: [order_id, 7] → key[1]: expected a column name.
  const prefix = `${error.schemaPath}/`;
  const byBranch = new Map<string, ErrorObject[]>();
  for (const candidate of all) {
    if (!candidate.schemaPath.startsWith(prefix)) continue;
    const branch = candidate.schemaPath.slice(prefix.length).split("/")[0]!;
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), candidate]);
  }
  const typeMatched = [...byBranch.entries()].filter(
    ([branch, errors]) => !errors.some((e) => e.keyword === "type" && e.instancePath === error.instancePath && e.schemaPath === `${prefix}${branch}/type`),
  );
  if (typeMatched.length === 1) {
    return topLevel(typeMatched[0]![1]).flatMap((e) => explain(e, all, root));
  }
  return [{ segments, expected: description ?? "a value of another shape", actual }];
}

function isRuleObject(error: ErrorObject): boolean {
  return error.keyword === "oneOf" && /^#\/properties\/validate\/items\/oneOf$/.test(error.schemaPath);
}

function explainRule(error: ErrorObject, all: readonly ErrorObject[], segments: SpecPathSegment[], actual: string): RawSpecIssue[] {
  const data = (error.data ?? {}) as Record<string, unknown>;
  const present = VALIDATION_RULE_NAMES.filter((name) => Object.hasOwn(data, name));
  if (present.length > 1) {
    return [{ segments, expected: "exactly one rule per list item", actual: `${present.length} rules (${present.join(", ")})` }];
  }
  // A misspelt rule name is already reported as an unknown key; saying "no rule" too adds nothing.
  const unknownKeyHere = all.some((e) => e.keyword === "additionalProperties" && e.instancePath === error.instancePath);
  if (unknownKeyHere) return [];
  return [{ segments, expected: `a rule object with exactly one of ${VALIDATION_RULE_NAMES.join(", ")}`, actual }];
}

function typeNoun(type: unknown): string {
  const names = Array.isArray(type) ? type : [type];
  const nouns = names.map((name) => {
    switch (name) {
      case "object":
        return "an object";
      case "array":
        return "a list";
      case "integer":
        return "an integer";
      default:
        return `a ${String(name)}`;
    }
  });
  return nouns.join(" or ");
}

/** Turns an Ajv instance path (JSON Pointer) into segments, using numbers where the value is an array. */
function pointerToSegments(pointer: string, root: unknown): SpecPathSegment[] {
  if (pointer === "") return [];
  const segments: SpecPathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}
