import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { tableSpecJsonSchema } from "../src/spec/index.js";

const SPECS = join(import.meta.dirname, "../../../examples/specs");
const exampleSpecs = readdirSync(SPECS, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".yaml"))
  .sort();

// A plain Ajv, as an editor or another tool would use the committed file: no custom options.
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictRequired: false }).compile(tableSpecJsonSchema);

describe("tableSpecJsonSchema", () => {
  it("equals the committed schema/table-spec.schema.json", () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, "../schema/table-spec.schema.json"), "utf8"));
    expect(committed).toEqual(tableSpecJsonSchema);
  });

  it("finds the example specs", () => {
    expect(exampleSpecs).toEqual(["sales/customers.yaml", "sales/orders.yaml", "web/events.yaml"]);
  });

  it.each(exampleSpecs)("validates examples/specs/%s", (file) => {
    const spec = parse(readFileSync(join(SPECS, file), "utf8"));
    expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects unknown keys at every level", () => {
    const spec = { table: "a.b", columns: [{ name: "id", type: "long", nullable: true }], write: { mode: "append", fast: true } };
    expect(validate(spec)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(["/columns/0 additionalProperties", "/write additionalProperties"]);
  });

  it("is a draft 2020-12 schema that requires table and columns", () => {
    expect(tableSpecJsonSchema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(tableSpecJsonSchema["required"]).toEqual(["table", "columns"]);
    expect(validate({ table: "a.b" })).toBe(false);
  });
});
