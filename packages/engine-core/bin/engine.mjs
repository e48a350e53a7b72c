#!/usr/bin/env node
// The `engine` command. Runs the built CLI (../dist/cli/main.js) when present; in a source
// checkout without a build it re-runs itself under tsx with the "source" export condition, so
// workspace packages resolve to their TypeScript sources.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const built = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const source = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const args = process.argv.slice(2);

// A build older than any source file (a checkout edited since `pnpm build`) is not used.
function builtIsCurrent() {
  if (!existsSync(built)) return false;
  const srcDir = fileURLToPath(new URL("../src", import.meta.url));
  if (!existsSync(srcDir)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = `${dir}/${e.name}`;
      return e.isDirectory() ? newer(p) : statSync(p).mtimeMs > builtAt;
    });
  return !newer(srcDir);
}

if (process.env.ENGINE_CLI_FROM_SOURCE !== "1" && builtIsCurrent()) {
  const { main } = await import(pathToFileURL(built).href);
  process.exitCode = await main(args);
} else if (process.env.ENGINE_CLI_FROM_SOURCE === "1") {
  const { main } = await import(pathToFileURL(source).href);
  process.exitCode = await main(args);
} else {
  let tsx;
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    process.stderr.write("engine: expected a build (run `pnpm build`) or the tsx package to run from source, got neither\n");
    process.exit(1);
  }
  const child = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", tsx, fileURLToPath(import.meta.url), ...args],
    { stdio: "inherit", env: { ...process.env, ENGINE_CLI_FROM_SOURCE: "1" } },
  );
  process.exitCode = child.status ?? 1;
}
