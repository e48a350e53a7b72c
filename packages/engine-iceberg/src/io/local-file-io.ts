import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { AlreadyExistsError, FileNotCreatedError } from "../errors.js";
import type { FileInfo, FileIO, InputFile, OutputFile } from "./file-io.js";

/** The local path of a plain path or `file:` URL (`file:///a/b`, `file:/a/b`; `file://rel/x` is read as relative `rel/x`). */
export function toLocalPath(location: string): string {
  if (!location.startsWith("file:")) return location;
  if (location.startsWith("file:///")) return fileURLToPath(location);
  if (location.startsWith("file://")) return location.slice("file://".length); // PyIceberg's relative form
  return location.slice("file:".length);
}

const isNotFound = (e: unknown): boolean => (e as NodeJS.ErrnoException)?.code === "ENOENT";

/** FileIO over the local filesystem for plain paths and `file:` URLs. */
export class LocalFileIO implements FileIO {
  newInputFile(location: string): InputFile {
    const p = toLocalPath(location);
    return {
      location,
      read: async () => new Uint8Array(await fs.readFile(p)),
      readRange: async (offset, length) => {
        const fh = await fs.open(p, "r");
        try {
          const buf = new Uint8Array(length);
          const { bytesRead } = await fh.read(buf, 0, length, offset);
          return buf.subarray(0, bytesRead);
        } finally {
          await fh.close();
        }
      },
      length: async () => (await fs.stat(p)).size,
      exists: async () => {
        try { await fs.access(p); return true; } catch { return false; }
      },
    };
  }

  newOutputFile(location: string): OutputFile {
    const p = toLocalPath(location);
    const tempBeside = (): string => path.join(path.dirname(p), `.${path.basename(p)}.${randomUUID()}.tmp`);
    return {
      location,
      // Write-then-rename so readers never see a partial file.
      write: async (data) => {
        await fs.mkdir(path.dirname(p), { recursive: true });
        const tmp = tempBeside();
        try {
          await fs.writeFile(tmp, data);
          await fs.rename(tmp, p);
        } catch (e) {
          // A partial temp file (e.g. the disk filled while writing it) must not outlive the failure.
          await fs.rm(tmp, { force: true }).catch(() => undefined);
          throw e;
        }
      },
      // Write a complete temp file, then link(2) it to the target: link fails with EEXIST when the
      // target exists, so of two writers exactly one wins and the file appears all at once.
      // Failures before link(2) (mkdir, the temp write, e.g. ENOSPC) provably leave the target
      // absent: FileNotCreatedError. A failure of link(2) other than EEXIST is passed on as is,
      // since callers cannot tell it from one after the link (e.g. on NFS).
      createExclusive: async (data) => {
        const tmp = tempBeside();
        try {
          await fs.mkdir(path.dirname(p), { recursive: true });
          await fs.writeFile(tmp, data, { flag: "wx" });
        } catch (e) {
          await fs.rm(tmp, { force: true }).catch(() => undefined);
          throw new FileNotCreatedError(location, { cause: e });
        }
        try {
          await fs.link(tmp, p);
        } catch (e) {
          await fs.rm(tmp, { force: true }).catch(() => undefined);
          if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new AlreadyExistsError(`file ${location}`);
          throw e;
        }
        // The file is in place; a temp file that cannot be removed is an orphan for maintenance, not a failure.
        await fs.rm(tmp, { force: true }).catch(() => undefined);
      },
    };
  }

  async delete(locations: readonly string[]): Promise<void> {
    await Promise.all(locations.map((l) => fs.rm(toLocalPath(l), { force: true })));
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    const root = toLocalPath(prefix);
    const walk = async function* (dir: string): AsyncIterable<FileInfo> {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isNotFound(e) || (e as NodeJS.ErrnoException).code === "ENOTDIR") return;
        throw e;
      }
      for (const ent of entries) {
        const full = path.join(dir, ent.name);
        if (ent.isDirectory()) yield* walk(full);
        else if (ent.isFile()) {
          const st = await fs.stat(full);
          yield { location: full, size: st.size, lastModifiedMs: st.mtimeMs };
        }
      }
    };
    yield* walk(root);
  }

  localPath(location: string): string | undefined {
    return path.resolve(toLocalPath(location));
  }
}
