// Command groups that live in packages to the right of engine-core (`engine gen …` in
// @engine/airflow-gen, `engine pii …` in @engine/pii). engine-core never imports them
// statically — the dependency points the other way — so the CLI looks them up at run time,
// from wherever the user runs `engine`, and says what to install when one is absent.

import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { EngineError } from "../errors.js";
import type { CliIo } from "./cli-io.js";

/** A package that adds a command group to the `engine` CLI. */
interface CommandPlugin {
  readonly command: string;
  readonly packageName: string;
  readonly register: string;
}

const PLUGINS: readonly CommandPlugin[] = [
  { command: "gen", packageName: "@engine/airflow-gen", register: "registerGenCommands" },
  { command: "pii", packageName: "@engine/pii", register: "registerPiiCommands" },
];

/** Adds the plugin command group that `argv` asks for, if any; fails with an install hint when its package is missing. */
export async function registerPluginCommand(program: Command, argv: readonly string[], io: CliIo): Promise<void> {
  const plugin = PLUGINS.find((p) => p.command === argv[0]);
  if (!plugin) return;
  const mod = (await importFromUser(plugin.packageName)) as Record<string, unknown>;
  const register = mod[plugin.register];
  if (typeof register !== "function") {
    throw new EngineError("PLUGIN_INVALID", `cli: ${plugin.packageName}: expected an export ${plugin.register}(program), got none`);
  }
  (register as (program: Command, io: { stdout(text: string): void }) => void)(program, { stdout: (text) => io.stdout(text) });
}

async function importFromUser(name: string): Promise<unknown> {
  try {
    return await import(name);
  } catch {
    // Not resolvable from engine-core itself (pnpm keeps packages strict): try the user's project.
  }
  try {
    const resolved = createRequire(path.join(process.cwd(), "package.json")).resolve(name);
    return await import(pathToFileURL(resolved).href);
  } catch (cause) {
    throw new EngineError("PLUGIN_MISSING", `cli: this command needs ${name}; install it next to @engine/core (npm install ${name})`, { cause });
  }
}
