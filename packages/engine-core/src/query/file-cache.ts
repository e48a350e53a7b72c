// DuckDB reads only local files here (its httpfs extension cannot be installed), so table files
// on remote storage (s3://…) are staged once into a local cache folder and read from there.
// Iceberg data and delete files are immutable once written, so a path names its bytes for good:
// the cache is keyed by the file's location and never revalidated.

import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { link, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FileIO } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";

/** Files at most this large are fetched with one GET; larger ones in ranged reads of this size. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Downloads in flight at once. */
const PARALLEL = 8;

/** A table file to make readable locally; `size` (from the manifest) saves a HEAD request. */
export interface RemoteFile {
  readonly location: string;
  readonly size?: number | bigint;
}

/**
 * A local folder of copies of remote table files, `<dir>/<sha256(location)>.parquet`, plus
 * scratch folders for files a load writes before uploading them.
 *
 * ```ts
 * const cache = RemoteFileCache.create();
 * const local = await cache.stage(table.io, "s3://lake/wh/db.db/t/data/00000-a.parquet");
 * cache.dispose();
 * ```
 */
export class RemoteFileCache {
  private readonly inflight = new Map<string, Promise<string>>();
  private constructor(readonly dir: string, private readonly owned: boolean) {}

  /** A new cache in a fresh folder under `parent` (default the OS temp folder), removed by `dispose`. */
  static create(parent?: string): RemoteFileCache {
    const root = parent ?? tmpdir();
    mkdirSync(root, { recursive: true });
    return new RemoteFileCache(mkdtempSync(path.join(root, "engine-cache-")), true);
  }

  /** A cache over an existing folder that `dispose` leaves in place. */
  static at(dir: string): RemoteFileCache {
    mkdirSync(dir, { recursive: true });
    return new RemoteFileCache(dir, false);
  }

  /** The cache path of a location (whether or not it is staged yet). */
  pathFor(location: string): string {
    return path.join(this.dir, `${createHash("sha256").update(location).digest("hex")}.parquet`);
  }

  /** Copies a remote file into the cache once (streamed in ranged reads when large) and returns its local path. */
  stage(io: FileIO, file: RemoteFile | string): Promise<string> {
    const f = typeof file === "string" ? { location: file } : file;
    const target = this.pathFor(f.location);
    let p = this.inflight.get(target);
    if (!p) {
      p = this.download(io, f, target);
      this.inflight.set(target, p);
      p.catch(() => this.inflight.delete(target));
    }
    return p;
  }

  /** Stages several files, a few at a time. */
  async stageAll(io: FileIO, files: readonly RemoteFile[]): Promise<void> {
    const queue = [...new Map(files.map((f) => [f.location, f])).values()];
    const worker = async (): Promise<void> => {
      for (let f = queue.shift(); f; f = queue.shift()) await this.stage(io, f);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  }

  /** Takes a local file just uploaded to `location` into the cache (a hard link, else a move), so reading it back costs nothing. */
  async adopt(location: string, localFile: string): Promise<void> {
    const target = this.pathFor(location);
    await mkdir(this.dir, { recursive: true });
    try {
      await link(localFile, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
      await rename(localFile, target);
    }
    this.inflight.set(target, Promise.resolve(target));
  }

  /** Forgets files (e.g. uploads of a load that did not commit). */
  async evict(locations: readonly string[]): Promise<void> {
    await Promise.all(locations.map(async (l) => {
      const target = this.pathFor(l);
      this.inflight.delete(target);
      await rm(target, { force: true });
    }));
  }

  /** A new empty scratch folder inside the cache (same filesystem, so `adopt` links instead of copying). */
  async scratchDir(prefix: string): Promise<string> {
    const dir = path.join(this.dir, "scratch", `${prefix}-${randomUUID().slice(0, 8)}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Removes the folder when this cache created it. */
  dispose(): void {
    this.inflight.clear();
    if (this.owned) rmSync(this.dir, { recursive: true, force: true });
  }

  private async download(io: FileIO, file: RemoteFile, target: string): Promise<string> {
    if (await stat(target).then((s) => s.isFile(), () => false)) return target;
    await mkdir(this.dir, { recursive: true });
    const tmp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
    const input = io.newInputFile(file.location);
    try {
      const size = file.size !== undefined ? Number(file.size) : undefined;
      const fh = await open(tmp, "w");
      try {
        if (size !== undefined && size <= CHUNK_BYTES) {
          await fh.write(await input.read());
        } else {
          // Large files stream in ranged reads, so memory stays at one chunk whatever the file size.
          const total = size ?? (await input.length());
          for (let offset = 0; offset < total; offset += CHUNK_BYTES) {
            const bytes = await input.readRange(offset, Math.min(CHUNK_BYTES, total - offset));
            if (bytes.byteLength === 0) break;
            await fh.write(bytes);
          }
        }
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
      return target;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}

const bySession = new WeakMap<DuckDbSession, RemoteFileCache>();
let processCache: RemoteFileCache | undefined;

/** Makes `cache` the one table reads through `session` stage remote files into (`Engine.open` does this). */
export function useFileCache(session: DuckDbSession, cache: RemoteFileCache): void {
  bySession.set(session, cache);
}

/** The cache of a session: the one set by `useFileCache`, else one per process in the OS temp folder, removed at exit. */
export function fileCacheOf(session: DuckDbSession): RemoteFileCache {
  const own = bySession.get(session);
  if (own) return own;
  if (!processCache) {
    const cache = RemoteFileCache.create();
    processCache = cache;
    process.once("exit", () => cache.dispose());
  }
  return processCache;
}

/** The local path DuckDB reads a table file at: the FileIO's own path when local, else its cache path (stage it first). */
export function localFileOf(session: DuckDbSession, io: FileIO, location: string): string {
  return io.localPath(location) ?? fileCacheOf(session).pathFor(location);
}

/** Stages the remote ones of some table files into the session's cache; local files are left alone. */
export async function stageRemoteFiles(session: DuckDbSession, io: FileIO, files: readonly RemoteFile[]): Promise<void> {
  const remote = files.filter((f) => io.localPath(f.location) === undefined);
  if (remote.length > 0) await fileCacheOf(session).stageAll(io, remote);
}
