#!/usr/bin/env node
// The two README commands in one small driver that needs nothing but Node.js and npm:
//   npm run quickstart  → install the workspace, generate sample data, load it, query it
//   npm run test:all    → install the workspace and the test peers, type-check, run every test
// pnpm itself comes through npx (pinned), so a fresh clone needs no global tools.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pnpmVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
const ci = process.env.CI === "true" || process.env.CI === "1";

function step(title, cmd, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...options.env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error) fail(`${title}: ${r.error.message}`);
  if (r.status !== 0 && !options.allowFailure) fail(`${title} failed (exit ${r.status}) after ${secs}s`);
  console.log(`✔ ${title} (${secs}s)`);
  return r.status ?? 1;
}

function fail(message) {
  console.error(`run: ${message}`);
  process.exit(1);
}

function pnpm(args, title, options) {
  return step(title, "npx", ["-y", `pnpm@${pnpmVersion}`, ...args], options);
}

function install() {
  pnpm(["install", ...(ci ? ["--frozen-lockfile"] : []), "--reporter=append-only"], "install workspace (pnpm)");
}

const command = process.argv[2];
if (command === "quickstart") {
  install();
  pnpm(["run", "demo"], "quick start: generate sample data, load two tables, query them");
} else if (command === "test") {
  install();
  pnpm(["run", "typecheck"], "type-check packages and examples");
  if (process.env.ENGINE_SKIP_PEERS === "all") {
    console.log("peers: skipped (ENGINE_SKIP_PEERS=all); interop tests will say so");
  } else {
    step("install test peers (cached in .cache/peers)", "bash", ["scripts/peers/all.sh"]);
  }
  mkdirSync(join(root, ".cache"), { recursive: true });
  const report = join(root, ".cache", "vitest-report.json");
  const status = pnpm(["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
    "test suite (vitest)", { allowFailure: true });
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A plain closing line that any CI reader understands.
    console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
    if (r.numTotalTests === 0) fail("no test ran");
  }
  process.exit(status);
} else {
  fail(`unknown command ${JSON.stringify(command)}; expected "quickstart" or "test"`);
}
