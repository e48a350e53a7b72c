// Entry point of the `engine` command (bin/engine.mjs calls it with process.argv.slice(2)).

import { CommanderError } from "commander";
import { formatFailure, processIo, type CliIo } from "./cli-io.js";
import { registerPluginCommand } from "./plugins.js";
import { createProgram } from "./program.js";

/**
 * Runs the `engine` CLI with the given arguments (without `node` and the script) and resolves to
 * the exit code; failures print one line, `engine: <message>`, on stderr.
 *
 * ```ts
 * process.exitCode = await main(["validate-spec", "specs/sales/orders.yaml"]);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = createProgram(io);
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return 1;
  }
  try {
    await registerPluginCommand(program, argv, io);
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    // Commander already printed its own message (help, version, usage errors).
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(formatFailure(error));
    return 1;
  }
}
