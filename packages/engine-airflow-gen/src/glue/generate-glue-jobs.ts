// Glue job definitions (CreateJob JSON) and, when a ScriptProvider supplies them, their scripts.

import { compare, planWith, type GenInput } from "../plan/plan-schedule.js";
import { resolveGenOptions } from "../options.js";
import type { GenerateResult, GeneratedFile } from "../generated-file.js";
import { jobRequestsFor, loadScriptKey, VALIDATE_SCRIPT_KEY } from "./create-job-request.js";

/**
 * Generates `jobs/<job name>.json` (a Glue CreateJob request) for every scheduled table — a
 * `glueetl` load job for glue tables and a `pythonshell` validate job for every table — plus
 * `scripts/…` files when `options.scripts` supplies them.
 *
 * ```ts
 * const { files } = generateGlueJobs({ specs, options: { artifactsBucket: "lake-artifacts", iamRoleName: "EngineGlue", warehouse: "s3://lake/wh" } });
 * ```
 */
export function generateGlueJobs(input: GenInput): GenerateResult {
  const options = resolveGenOptions(input.options);
  const plan = planWith(input, options);
  const files: GeneratedFile[] = [];
  let validators = 0;
  for (const group of plan.groups) {
    for (const table of group.tables) {
      for (const request of jobRequestsFor(table, options)) files.push({ path: `jobs/${request.Name}.json`, content: `${JSON.stringify(request, null, 2)}\n` });
      validators++;
      const load = options.scripts.loadScript;
      if (table.engine === "glue" && load !== undefined) files.push({ path: loadScriptKey(table), content: load(table.spec) });
    }
  }
  const validate = options.scripts.validateScript;
  if (validators > 0 && validate !== undefined) files.push({ path: VALIDATE_SCRIPT_KEY, content: validate() });
  return { files: files.sort((a, b) => compare(a.path, b.path)) };
}
