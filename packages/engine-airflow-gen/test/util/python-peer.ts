// Running our Python check scripts with a peer's interpreter (installed by scripts/peers/*.sh).

import { join } from "node:path";
import { installPeer, peerSkipped, run, tail } from "../../../../test/peers/servers.js";
import { TEST_DIR } from "./golden.js";

export { installPeer, peerSkipped };

/** Runs test/python/<script> with `python` and parses the JSON it prints. */
export async function runPythonCheck<T>(python: string, script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const { code, stdout, stderr } = await run(python, [join(TEST_DIR, "python", script), ...args], { env: { ...process.env, ...env }, timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`${script} failed (exit ${code}):\n${tail(stderr, 40)}`);
  const at = stdout.lastIndexOf("@@ENGINE-JSON@@\n");
  if (at < 0) throw new Error(`${script} printed no report:\n${tail(stdout, 20)}\n${tail(stderr, 20)}`);
  return JSON.parse(stdout.slice(at + "@@ENGINE-JSON@@\n".length)) as T;
}
