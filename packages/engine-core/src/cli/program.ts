// The `engine` command line: its commands, options and what each prints.

import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { loadSpec } from "../spec/load-spec.js";
import { specHash } from "../spec/spec-hash.js";
import { tableSpecJsonSchema } from "../spec/json-schema.js";
import { toJson, type CliIo } from "./cli-io.js";
import { withEngine } from "./engine-port.js";
import { formatHistory, formatLoadSummary, formatPlan, formatSpecSummary } from "./format.js";
import { progressReporter } from "./progress.js";
import { loadResultOf, type LoadResult } from "../load/load-result.js";
import type { StageEvent } from "../load/stage-batch.js";
import { collectParam } from "./param-option.js";

interface WarehouseOptions {
  warehouse?: string;
}

/** Builds the `engine` program writing to `io`; commander errors throw (exitOverride) instead of exiting. */
export function createProgram(io: CliIo): Command {
  const program = new Command("engine")
    .description("Load declarative table specs into Apache Iceberg with embedded DuckDB.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // One line, like every other failure: "engine: unknown command 'lod' (Did you mean load?)".
      outputError: (text, write) => write(`engine: ${text.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim()}\n`),
    });

  const warehouse = (command: Command): Command => command.option("--warehouse <dir>", "warehouse folder or URL (default ./warehouse)");

  interface LoadCliOptions extends WarehouseOptions {
    source?: string;
    param: Record<string, string>;
    json?: string;
    force?: boolean;
    progress?: boolean;
  }
  const loadOptions = (command: Command, withParam = true): Command => (withParam
    ? warehouse(command).option("--param <key=value>", "value for a {key} placeholder in source.path and write.filter (repeatable)", collectParam, {})
    : warehouse(command))
    .option("--source <path>", "read the source from this path or glob instead of the spec's source.path")
    .option("--json <file>", 'also write the result as JSON to <file> ("-" for stdout; bigints as strings)')
    .option("--progress", "print each stage and its time on stderr (default: only on a terminal)");
  const writeJson = (target: string | undefined, value: unknown): boolean => {
    if (target === undefined) return false;
    if (target === "-") io.stdout(`${toJson(value)}\n`);
    else writeFileSync(target, `${toJson(value)}\n`);
    return target === "-";
  };
  /** Runs a load-like command; on failure the JSON report (status failed) is still written. */
  const reportLoad = async (options: LoadCliOptions, run: () => Promise<LoadResult | LoadResult[]>): Promise<void> => {
    let result: LoadResult | LoadResult[];
    try {
      result = await run();
    } catch (error) {
      const failed = loadResultOf(error);
      if (failed) {
        const { dataFiles: _files, ...rest } = failed;
        writeJson(options.json, rest);
      }
      throw error;
    }
    const list = Array.isArray(result) ? result : [result];
    const json = list.map(({ dataFiles: _files, ...rest }) => rest);
    if (writeJson(options.json, Array.isArray(result) ? json : json[0])) return;
    for (const r of list) io.stdout(formatLoadSummary(r));
  };
  const common = (options: LoadCliOptions): { source?: string; onStage?: (event: StageEvent) => void } => {
    const onStage = progressReporter({ write: (text) => io.stderr(text), ...(options.progress ? { progress: true } : {}) });
    return { ...(options.source === undefined ? {} : { source: options.source }), ...(onStage ? { onStage } : {}) };
  };

  loadOptions(
    program
      .command("load")
      .description("load a table from its spec (a load already in the table is skipped)")
      .argument("<spec>", "spec file (YAML or JSON)")
      .option("--force", "load even if this load (same spec, files and params) is already in the table"),
  ).action(async (spec: string, options: LoadCliOptions) => {
    // Check the spec before opening the warehouse, so a bad spec fails fast and touches nothing.
    loadSpec(spec, { params: options.param });
    await reportLoad(options, () => withEngine(options, (engine) =>
      engine.load(spec, { ...common(options), params: options.param, ...(options.force ? { force: true } : {}) })));
  });

  loadOptions(
    program
      .command("backfill")
      .description("run one load per value of a parameter, e.g. every day of a range")
      .argument("<spec>", "spec file (YAML or JSON)")
      .requiredOption("--param <name>", "the parameter to vary, e.g. date")
      .requiredOption("--from <value>", "first value (YYYY-MM-DD or an integer)")
      .requiredOption("--to <value>", "last value, inclusive")
      .option("--step <step>", 'step: days like "1d" (dates) or an integer', undefined)
      .option("--set <key=value>", "a fixed value for another {key} placeholder (repeatable)", collectParam, {})
      .option("--force", "load values already loaded again"),
    false,
  ).action(async (spec: string, options: Omit<LoadCliOptions, "param"> & { param: string; from: string; to: string; step?: string; set: Record<string, string> }) => {
    loadSpec(spec, { params: { ...options.set, [options.param]: options.from } });
    const cli = { ...options, param: options.set } as LoadCliOptions;
    await reportLoad(cli, () => withEngine(options, (engine) => engine.backfill(spec, {
      param: options.param, from: options.from, to: options.to, params: options.set,
      ...(options.step === undefined ? {} : { step: options.step }),
      ...(options.force ? { force: true } : {}),
      ...common(cli),
    })));
  });

  loadOptions(
    program
      .command("plan")
      .description("show what a load would do (mode, partitions touched, rows to insert/update) without writing"),
  ).argument("<spec>", "spec file (YAML or JSON)").action(async (spec: string, options: LoadCliOptions) => {
    loadSpec(spec, { params: options.param });
    const report = await withEngine(options, (engine) => engine.plan(spec, { ...common(options), params: options.param }));
    if (!writeJson(options.json, report)) io.stdout(formatPlan(report));
  });

  loadOptions(
    program
      .command("validate")
      .description("stage the source and run the spec's validation rules, committing nothing"),
  ).argument("<spec>", "spec file (YAML or JSON)").action(async (spec: string, options: LoadCliOptions) => {
    loadSpec(spec, { params: options.param });
    await reportLoad(options, () => withEngine(options, (engine) => engine.validate(spec, { ...common(options), params: options.param })));
  });

  warehouse(
    program
      .command("query")
      .description("run a SQL query over the warehouse's tables")
      .argument("<sql>", "the query, e.g. \"select count(*) from sales.orders\"")
      .option("--json", "print the rows as JSON instead of a table"),
  ).action(async (sql: string, options: WarehouseOptions & { json?: boolean }) => {
    await withEngine(options, async (engine) => {
      const result = await engine.query(sql);
      if (options.json) io.stdout(`${toJson(result.rows())}\n`);
      else result.print();
    });
  });

  warehouse(program.command("tables").description("list the warehouse's tables")).action(async (options: WarehouseOptions) => {
    const tables = await withEngine(options, (engine) => engine.tables());
    if (tables.length > 0) io.stdout(`${tables.join("\n")}\n`);
  });

  warehouse(
    program
      .command("history")
      .description("list a table's snapshots")
      .argument("<table>", "namespace.table")
      .option("--json", "print the snapshots as JSON"),
  ).action(async (table: string, options: WarehouseOptions & { json?: boolean }) => {
    const snapshots = await withEngine(options, (engine) => engine.history(table));
    io.stdout(options.json ? `${toJson(snapshots)}\n` : formatHistory(table, snapshots));
  });

  program
    .command("validate-spec")
    .description("parse and check a spec without loading anything")
    .argument("<spec>", "spec file (YAML or JSON)")
    .option("--param <key=value>", "value for a {key} placeholder in source.path (repeatable)", collectParam, {})
    .option("--json", "print the normalized spec as JSON")
    .action((spec: string, options: { param: Record<string, string>; json?: boolean }) => {
      const parsed = loadSpec(spec, { params: options.param });
      io.stdout(options.json ? `${toJson(parsed)}\n` : formatSpecSummary(parsed, specHash(parsed)));
    });

  program
    .command("schema")
    .description("print the JSON Schema of table specs")
    .option("--out <file>", "write it to <file> instead of stdout")
    .action((options: { out?: string }) => {
      const text = `${JSON.stringify(tableSpecJsonSchema, null, 2)}\n`;
      if (options.out === undefined) io.stdout(text);
      else writeFileSync(options.out, text);
    });

  return program;
}
