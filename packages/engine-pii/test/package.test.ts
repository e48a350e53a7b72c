import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ path: f.replaceAll("\\", "/"), text: readFileSync(join(SRC, f), "utf8") }));

describe("@engine/pii package", () => {
  it("names files in kebab-case", () => {
    for (const f of files) expect(f.path, f.path).toMatch(/^[a-z0-9/-]+\.ts$/);
  });

  it("imports only node built-ins, its own files, @engine/core and @engine/iceberg (never the reverse), and commander types", () => {
    for (const f of files) {
      for (const m of f.text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
        const [, typeOnly, spec] = m;
        // commander only as a type: the CLI plugin extends the program engine-core passes in.
        const ok = spec!.startsWith("node:") || spec!.startsWith(".") || spec === "@engine/core" || spec === "@engine/iceberg" || (spec === "commander" && typeOnly !== undefined);
        expect(ok, `${f.path} imports ${spec}`).toBe(true);
      }
    }
  });

  it("keeps src/internal out of the barrel", () => {
    const index = files.find((f) => f.path === "index.ts")!.text;
    expect(index).not.toMatch(/from "\.\/internal\//);
  });

  it("documents every public export with a doc comment", () => {
    for (const f of files.filter((f) => !f.path.startsWith("internal/") && f.path !== "index.ts")) {
      const lines = f.text.split("\n");
      lines.forEach((line, i) => {
        if (!/^export (?:async )?(?:function|const|class|interface|type) /.test(line)) return;
        let j = i - 1;
        while (j >= 0 && /^\s*(?:\*|\/\*\*)/.test(lines[j]!) === false && lines[j]!.trim() === "") j--;
        expect(lines[j]?.trimEnd().endsWith("*/"), `${relative(SRC, join(SRC, f.path))}:${i + 1} ${line}`).toBe(true);
      });
    }
  });

  it("exports the entry points the rest of Engine builds on", () => {
    for (const name of [
      "detectValue",
      "scanColumn",
      "scanColumns",
      "scanRelation",
      "tokenize",
      "hmacSqlExpression",
      "envKeyProvider",
      "staticKeyProvider",
      "kmsKeyProvider",
      "maskValue",
      "maskSql",
      "maskSqlTrino",
      "lakeFormationTagPlan",
      "PiiError",
      "DEFAULT_GRADES",
      "registerPiiCommands",
      "runRetention",
      "maskedViewSql",
      "createMaskedView",
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });
});
