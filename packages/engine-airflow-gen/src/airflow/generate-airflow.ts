// Airflow DAG files from specs and schedule metadata.

import { athenaSqlPath, athenaSteps, dagSource } from "../internal/dag-source.js";
import { GenError } from "../errors.js";
import { resolveGenOptions } from "../options.js";
import { compare, planWith, type GenInput } from "../plan/plan-schedule.js";
import type { GenerateResult, GeneratedFile } from "../generated-file.js";

/**
 * Generates one DAG file `<group>.py` per schedule group (plus `sql/<ns>/<table>.<step>.sql`,
 * one statement per AthenaOperator task, for athena tables when `options.scripts.athenaLoadSql`
 * is given). Output is deterministic: sorted, no timestamps.
 *
 * ```ts
 * const { files } = generateAirflow({ specs, schedule, ingestion, options: { artifactsBucket: "lake-artifacts", iamRoleName: "EngineGlue", warehouse: "s3://lake/wh" } });
 * ```
 */
export function generateAirflow(input: GenInput): GenerateResult {
  const options = resolveGenOptions(input.options);
  const plan = planWith(input, options);
  const files: GeneratedFile[] = [];
  const athenaSql = options.scripts.athenaLoadSql;
  for (const group of plan.groups) {
    files.push({ path: `${group.group}.py`, content: dagSource(group, options) });
    if (athenaSql === undefined) continue;
    for (const table of group.tables) {
      if (table.engine !== "athena") continue;
      const sql = athenaSql(table.spec, {});
      for (const step of athenaSteps(table)) {
        const content = sql[step];
        if (content === undefined) throw new GenError("GEN_ATHENA_SQL", `gen: ${table.table}: athenaLoadSql gave no ${step} statement`, { context: { table: table.table, step } });
        files.push({ path: athenaSqlPath(table, step), content });
      }
    }
  }
  return { files: files.sort((a, b) => compare(a.path, b.path)) };
}
