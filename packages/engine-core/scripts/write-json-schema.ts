// Writes the table-spec JSON Schema to schema/table-spec.schema.json for editors
// (`# yaml-language-server: $schema=…`). Run from the repo root:
//   node --conditions=source --import tsx packages/engine-core/scripts/write-json-schema.ts
// (or: node packages/engine-core/bin/engine.mjs schema --out packages/engine-core/schema/table-spec.schema.json)

import { writeFileSync } from "node:fs";
import { tableSpecJsonSchema } from "../src/spec/json-schema.js";

const out = new URL("../schema/table-spec.schema.json", import.meta.url);
writeFileSync(out, `${JSON.stringify(tableSpecJsonSchema, null, 2)}\n`);
process.stdout.write(`wrote ${out.pathname}\n`);
