// The two spec changes code generation needs: parsing with deferred {param}s and the glue section.

import { describe, expect, it } from "vitest";
import { parseSpec } from "../src/index.js";

const base = { table: "a.b", source: { format: "csv", path: "s3://in/{date}/*.csv" }, columns: [{ name: "id", type: "long" }] };

describe("spec changes for code generation", () => {
  it("keeps {param} placeholders unresolved and unchecked with params: defer", () => {
    expect(() => parseSpec(base)).toThrow("{date}");
    expect(parseSpec(base, { params: "defer" }).source.path).toBe("s3://in/{date}/*.csv");
    expect(parseSpec(base, { params: { date: "2024-01-05" } }).source.path).toBe("s3://in/2024-01-05/*.csv");
    const filtered = { ...base, write: { mode: "overwrite", filter: { id: "{n}" } } };
    expect(parseSpec(filtered, { params: "defer" }).write.filter).toEqual({ id: "{n}" });
  });

  it("has an optional glue section, checked by the JSON Schema", () => {
    const glue = { workerType: "G.2X", workers: 4, sizeHint: "20GB", executionClass: "FLEX", glueVersion: "5.0" };
    expect(parseSpec({ ...base, glue }, { params: "defer" }).glue).toEqual(glue);
    expect(parseSpec(base, { params: "defer" }).glue).toBeUndefined();
    expect(() => parseSpec({ ...base, glue: { workers: 1 } }, { params: "defer" })).toThrow(/glue\.workers/);
    expect(() => parseSpec({ ...base, glue: { glueVersion: "3.0" } }, { params: "defer" })).toThrow(/glue\.glueVersion/);
    expect(() => parseSpec({ ...base, glue: { sizeHint: "lots" } }, { params: "defer" })).toThrow(/glue\.sizeHint/);
  });
});
