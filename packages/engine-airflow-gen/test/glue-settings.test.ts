import { describe, expect, it } from "vitest";
import { parseSpec } from "@engine/core";
import { GenError, resolveGlueSettings } from "../src/index.js";

const defaults = { glueVersion: "5.0", executionClass: "STANDARD", sizeThresholdBytes: 10 * 1024 ** 3 } as const;
const spec = (properties: Record<string, string> = {}) =>
  parseSpec({ table: "a.b", source: { format: "parquet", path: "s3://x/*.parquet" }, columns: [{ name: "id", type: "long" }], properties });

describe("resolveGlueSettings", () => {
  it("gives the smallest Spark job (G.1X x 2) without a hint or below the threshold", () => {
    expect(resolveGlueSettings(spec(), {}, defaults)).toEqual({ glueVersion: "5.0", executionClass: "STANDARD", workerType: "G.1X", workers: 2, capacityFrom: "default" });
    expect(resolveGlueSettings(spec({ "engine.size-hint": "9GB" }), {}, defaults).workers).toBe(2);
  });

  it("sizes G.2X workers from a size hint above the threshold: one per 8 GB plus the driver, at most 100", () => {
    expect(resolveGlueSettings(spec({ "engine.size-hint": "20GB" }), {}, defaults)).toMatchObject({ workerType: "G.2X", workers: 4, capacityFrom: "size-hint" });
    expect(resolveGlueSettings(spec(), { sizeHint: "300GB" }, defaults)).toMatchObject({ workerType: "G.2X", workers: 39 });
    expect(resolveGlueSettings(spec(), { sizeHint: "300GB", workerType: "G.8X" }, defaults)).toMatchObject({ workerType: "G.8X", workers: 11 });
    expect(resolveGlueSettings(spec(), { sizeHint: "10TB" }, defaults).workers).toBe(100);
  });

  it("lets explicit workers win, CSV overrides over spec properties", () => {
    const s = spec({ "engine.glue.workers": "6", "engine.glue.worker-type": "G.4X", "engine.glue.execution-class": "flex", "engine.glue.version": "4.0" });
    expect(resolveGlueSettings(s, {}, defaults)).toEqual({ glueVersion: "4.0", executionClass: "FLEX", workerType: "G.4X", workers: 6, capacityFrom: "workers" });
    expect(resolveGlueSettings(s, { workers: 3, executionClass: "STANDARD" }, defaults)).toMatchObject({ workers: 3, executionClass: "STANDARD", workerType: "G.4X" });
  });

  it("names the spec property that is wrong", () => {
    const run = () => resolveGlueSettings(spec({ "engine.glue.workers": "one" }), {}, defaults);
    expect(run).toThrow(GenError);
    expect(run).toThrow('gen: a.b: properties["engine.glue.workers"]: expected an integer >= 2, got "one"');
  });
});
