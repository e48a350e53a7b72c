import type { TableMetadata } from "../spec/table-metadata.js";

/**
 * Parsed metadata files, newest first, keyed by location plus an identity of the file's bytes
 * (for local files: inode, size and mtime; for uniquely named object-store files: the location
 * alone). A metadata file is never rewritten in place once committed, so a hit is the file's
 * content; the identity guards the one case where a name comes back (a table dropped and created
 * again). Sequential commits in one process then parse nothing: the catalog keeps what it wrote.
 */
export class MetadataCache {
  private readonly entries = new Map<string, { identity: string; metadata: TableMetadata }>();

  constructor(private readonly capacity = 16) {}

  /** The metadata stored for `location` when its identity matches. */
  get(location: string, identity: string): TableMetadata | undefined {
    const hit = this.entries.get(location);
    if (!hit || hit.identity !== identity) return undefined;
    // Map keeps insertion order: re-insert so the least recently used entry is first.
    this.entries.delete(location);
    this.entries.set(location, hit);
    return hit.metadata;
  }

  /** Stores `metadata` as the content of `location`, evicting the least recently used entry. */
  put(location: string, identity: string, metadata: TableMetadata): void {
    this.entries.delete(location);
    this.entries.set(location, { identity, metadata });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Forgets every location under `prefix` (a dropped or renamed table's metadata folder). */
  evictUnder(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
