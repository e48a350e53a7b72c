// The `engine` command line: its commands, options and what each prints.

import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { loadSpec } from "../spec/load-spec.js";
import { specHash } from "../spec/spec-hash.js";
import { tableSpecJsonSchema } from "../spec/json-schema.js";
import { toJson, type CliIo } from "./cli-io.js";
import { withEngine } from "./engine-port.js";
import { formatHistory, formatLoadSummary, formatSpecSummary } from "./format.js";
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

  warehouse(
    program
      .command("load")
      .description("load a table from its spec")
      .argument("<spec>", "spec file (YAML or JSON)")
      .option("--source <path>", "read the source from this path or glob instead of the spec's source.path")
      .option("--param <key=value>", "value for a {key} placeholder in source.path (repeatable)", collectParam, {})
      .option("--json <file>", 'also write the load result as JSON to <file> ("-" for stdout)'),
  ).action(async (spec: string, options: WarehouseOptions & { source?: string; param: Record<string, string>; json?: string }) => {
    // Check the spec before opening the warehouse, so a bad spec fails fast and touches nothing.
    loadSpec(spec, { params: options.param });
    const result = await withEngine(options, (engine) =>
      engine.load(spec, { ...(options.source === undefined ? {} : { source: options.source }), params: options.param }),
    );
    if (options.json === "-") {
      io.stdout(`${toJson(result)}\n`);
      return;
    }
    io.stdout(formatLoadSummary(result));
    if (options.json !== undefined) writeFileSync(options.json, `${toJson(result)}\n`);
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
