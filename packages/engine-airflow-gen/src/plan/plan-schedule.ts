// Resolving specs and schedule/ingestion metadata into a SchedulePlan.
//
// Which tables: the enabled rows of the ingestion CSV when one is given, else every spec with a
// `schedule` section. Their schedule: the schedule CSV row of (SYSTEM, DB_NAME) when there is
// one, else the spec's `schedule`. Per-table arguments: ingestion row > spec > options.

import type { TableSpec } from "@engine/core";
import { ScheduleError } from "../errors.js";
import { resolveGlueSettings } from "../glue/glue-settings.js";
import { normalizeCron } from "../internal/cron.js";
import { fileLabel, specLabel, tableKey } from "../internal/labels.js";
import { formatStartDate, parseStartDate } from "../internal/start-date.js";
import type { IngestionRow } from "../metadata/ingestion-row.js";
import type { ScheduleRow } from "../metadata/schedule-row.js";
import type { SourceLocation } from "../metadata/source-location.js";
import { resolveGenOptions, type GenOptions, type ResolvedGenOptions } from "../options.js";
import type { ExternalDependency, PlannedGroup, PlannedTable, SchedulePlan } from "./schedule-plan.js";

/** Inputs of the generators: checked specs plus optional schedule and ingestion metadata. */
export interface GenInput {
  readonly specs: readonly TableSpec[];
  readonly schedule?: readonly ScheduleRow[];
  readonly ingestion?: readonly IngestionRow[];
  readonly options: GenOptions;
}

type Resolved = PlannedTable & { cron: string; start: string; where: string };

interface Draft {
  spec: TableSpec;
  row: IngestionRow | undefined;
  where: string;
}

/**
 * Resolves which tables run in which DAG; throws a `ScheduleError` naming the spec or CSV row
 * when something does not fit (no schedule, unknown upstream, a cycle, two crons for one group).
 *
 * ```ts
 * const plan = planSchedule({ specs, schedule: readScheduleCsv("meta/schedule.csv"), options });
 * plan.groups.map((g) => g.group); // ["sales_daily"]
 * ```
 */
export function planSchedule(input: GenInput): SchedulePlan {
  return planWith(input, resolveGenOptions(input.options));
}

/** planSchedule with already resolved options. */
export function planWith(input: GenInput, options: ResolvedGenOptions): SchedulePlan {
  const base = options.baseDir;
  const rowLabel = (source: SourceLocation | undefined, fallback: string) => (source === undefined ? fallback : `${fileLabel(source.file, base)}:${source.line}`);
  const specs = new Map<string, TableSpec>();
  for (const spec of input.specs) {
    const other = specs.get(spec.table);
    if (other !== undefined) {
      throw new ScheduleError(`gen: ${specLabel(spec, base)}: table: expected one spec per table, got ${spec.table} also in ${specLabel(other, base)}`, { context: { table: spec.table } });
    }
    specs.set(spec.table, spec);
  }

  const drafts: Draft[] = [];
  if (input.ingestion !== undefined) {
    for (const row of input.ingestion) {
      if (!row.enabled) continue;
      const table = `${row.dbName}.${row.tableName}`;
      const where = rowLabel(row.source, `ingestion row ${table}`);
      const spec = specs.get(table);
      if (spec === undefined) {
        throw new ScheduleError(`gen: ${where}: TABLE_NAME: expected a spec for ${table}${row.specPath === undefined ? "" : ` (SPEC_PATH ${row.specPath})`}, got none among ${specs.size} specs`, { context: { table } });
      }
      drafts.push({ spec, row, where });
    }
  } else {
    for (const spec of specs.values()) if (spec.schedule !== undefined) drafts.push({ spec, row: undefined, where: specLabel(spec, base) });
  }

  const scheduleRows = new Map<string, ScheduleRow>();
  for (const row of input.schedule ?? []) scheduleRows.set(`${row.system}\u0000${row.dbName}`, row);

  const planned: PlannedTable[] = drafts.map(({ spec, row, where }) => {
    const label = specLabel(spec, base);
    const system = row?.system ?? spec.schedule?.system ?? spec.namespace.join(".");
    const dbName = spec.namespace.join(".");
    const scheduleRow = scheduleRows.get(`${system}\u0000${dbName}`);
    let group: string;
    let cron: string;
    let start: string;
    if (scheduleRow !== undefined) {
      ({ group, cron, start } = scheduleRow);
    } else if (spec.schedule !== undefined) {
      const parsed = parseStartDate(spec.schedule.start);
      if (parsed === undefined) throw new ScheduleError(`gen: ${label}: schedule.start: expected a date like "2024-01-01", got ${JSON.stringify(spec.schedule.start)}`, { context: { table: spec.table } });
      group = spec.schedule.group;
      cron = normalizeCron(spec.schedule.cron);
      start = formatStartDate(parsed);
    } else {
      throw new ScheduleError(`gen: ${where}: expected a schedule for SYSTEM=${system}, DB_NAME=${dbName} (a schedule CSV row or a schedule section in ${label}), got none`, {
        context: { table: spec.table, system, dbName },
      });
    }
    const engine = row?.engine ?? spec.engine;
    if (engine === "local") {
      throw new ScheduleError(`gen: ${label}: engine: expected glue, athena or auto for a scheduled table, got "local"`, { context: { table: spec.table } });
    }
    const dependsOn = [...new Set([...(spec.schedule?.dependsOn ?? []), ...(row?.dependsOn ?? [])])].sort();
    if (dependsOn.includes(spec.table)) throw new ScheduleError(`gen: ${where}: dependsOn: expected other tables, got ${spec.table} itself`, { context: { table: spec.table } });
    const sources = [label, ...(row === undefined ? [] : [where]), ...(scheduleRow === undefined ? [] : [rowLabel(scheduleRow.source, `schedule row ${system}, ${dbName}`)])];
    const draft: Resolved = {
      spec,
      table: spec.table,
      key: tableKey(spec.table),
      system,
      group,
      engine: engine === "athena" ? "athena" : "glue",
      retries: row?.retries ?? scheduleRow?.retries ?? spec.schedule?.retries ?? options.retries,
      dependsOn,
      external: [],
      glue: resolveGlueSettings(spec, stripUndefined(row), options),
      sources,
      cron,
      start,
      where,
    };
    return draft;
  }) as (Resolved)[];

  const groups = new Map<string, (Resolved)[]>();
  for (const table of planned as (Resolved)[]) {
    const members = groups.get(table.group) ?? [];
    const first = members[0];
    if (first !== undefined && (first.cron !== table.cron || first.start !== table.start)) {
      throw new ScheduleError(
        `gen: ${table.sources.at(-1)}: schedule of group ${table.group}: expected the cron "${first.cron}" and start ${first.start} of ${first.table} (${first.sources.at(-1)}), got "${table.cron}" and ${table.start} for ${table.table}`,
        { context: { group: table.group } },
      );
    }
    members.push(table);
    groups.set(table.group, members);
  }

  // An upstream in another group becomes an ExternalTaskSensor on that DAG's task (see dag-source.ts
  // for the logical-date rule); an upstream that is not scheduled at all is refused.
  const byTable = new Map((planned as Resolved[]).map((t) => [t.table, t]));
  for (const table of planned as Resolved[]) {
    const local: string[] = [];
    const external: ExternalDependency[] = [];
    for (const upstream of table.dependsOn) {
      const other = byTable.get(upstream);
      if (other === undefined) {
        throw new ScheduleError(`gen: ${table.where}: dependsOn: expected a scheduled table, got ${upstream} (not scheduled)`, { context: { table: table.table, upstream } });
      }
      if (other.group === table.group) local.push(upstream);
      else external.push({ table: upstream, group: other.group, cron: other.cron, taskId: `${other.system}.${other.key}.post_validate` });
    }
    Object.assign(table, { dependsOn: local, external });
  }
  checkGroupsAcyclic(planned as Resolved[]);

  const result: PlannedGroup[] = [];
  for (const [group, members] of [...groups].sort(([a], [b]) => compare(a, b))) {
    members.sort((a, b) => compare(a.table, b.table));
    checkAcyclic(group, members);
    const first = members[0]!;
    result.push({
      group,
      cron: first.cron,
      start: first.start,
      tables: members.map(({ cron: _c, start: _s, where: _w, ...table }) => table),
      sources: [...new Set(members.flatMap((t) => t.sources.map((s) => s.replace(/:\d+$/, ""))))].sort(compare),
    });
  }
  return { groups: result };
}

function stripUndefined(row: IngestionRow | undefined) {
  if (row === undefined) return {};
  return {
    ...(row.workerType === undefined ? {} : { workerType: row.workerType }),
    ...(row.workers === undefined ? {} : { workers: row.workers }),
    ...(row.sizeHint === undefined ? {} : { sizeHint: row.sizeHint }),
    ...(row.executionClass === undefined ? {} : { executionClass: row.executionClass }),
    ...(row.glueVersion === undefined ? {} : { glueVersion: row.glueVersion }),
  };
}

/** DAGs that wait for each other in a circle would never run: refuse cycles between groups. */
function checkGroupsAcyclic(tables: readonly Resolved[]): void {
  const edges = new Map<string, Set<string>>();
  for (const t of tables) for (const e of t.external) (edges.get(t.group) ?? edges.set(t.group, new Set()).get(t.group)!).add(e.group);
  const state = new Map<string, "visiting" | "done">();
  const visit = (group: string, path: string[]): void => {
    if (state.get(group) === "done") return;
    if (state.get(group) === "visiting") {
      const cycle = [...path.slice(path.indexOf(group)), group];
      throw new ScheduleError(`gen: dependsOn: expected no cycles between schedule groups, got ${cycle.join(" -> ")}`, { context: { cycle } });
    }
    state.set(group, "visiting");
    for (const next of [...(edges.get(group) ?? [])].sort(compare)) visit(next, [...path, group]);
    state.set(group, "done");
  };
  for (const group of [...edges.keys()].sort(compare)) visit(group, []);
}

function checkAcyclic(group: string, tables: readonly PlannedTable[]): void {
  const byName = new Map(tables.map((t) => [t.table, t]));
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: PlannedTable, path: string[]): void => {
    const s = state.get(table.table);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(table.table)), table.table];
      throw new ScheduleError(`gen: group ${group}: dependsOn: expected no cycles, got ${cycle.join(" -> ")}`, { context: { group, cycle } });
    }
    state.set(table.table, "visiting");
    for (const upstream of table.dependsOn) visit(byName.get(upstream)!, [...path, table.table]);
    state.set(table.table, "done");
  };
  for (const table of tables) visit(table, []);
}

/** Code-point order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
