// A load's id names its source files by (path, size, mtime). If a file changes between that
// fingerprint and the commit, the committed rows may not be what the id says (a half-written
// file, or a later version): the load fails instead and can simply run again.

import { stat } from "node:fs/promises";
import { SourceError } from "../errors.js";
import { displayPath, type SourceFile } from "./paths.js";

/** Fails with a `SOURCE_CHANGED` SourceError when a source file's size or mtime differs from its fingerprint. */
export async function checkSourceUnchanged(files: readonly SourceFile[]): Promise<void> {
  for (const f of files) {
    const now = await stat(f.path).catch(() => undefined);
    if (now && now.size === f.size && Math.trunc(now.mtimeMs) === f.mtimeMs) continue;
    const was = `${f.size} bytes, modified ${new Date(f.mtimeMs).toISOString()}`;
    const is = now ? `${now.size} bytes, modified ${new Date(Math.trunc(now.mtimeMs)).toISOString()}` : "gone";
    throw new SourceError(`source: ${displayPath(f.path)} changed while it was read (expected ${was}, got ${is}); nothing was committed, run the load again once the file is complete`, {
      code: "SOURCE_CHANGED", context: { file: f.path, expected: { size: f.size, mtimeMs: f.mtimeMs }, actual: now ? { size: now.size, mtimeMs: Math.trunc(now.mtimeMs) } : null },
    });
  }
}
