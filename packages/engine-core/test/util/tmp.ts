import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** A fresh temporary folder and its cleanup. */
export async function tempDir(prefix = "engine-test-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The repository root (…/work/main). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The shared folder: `$ENGINE_SHARED_DIR`, else beside the repository (`<repo root>/../shared`). */
export const sharedDir = path.resolve(process.env["ENGINE_SHARED_DIR"] || path.join(repoRoot, "..", "shared"));
