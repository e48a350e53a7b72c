import { IcebergError } from "../errors.js";
import type { FileIO } from "./file-io.js";
import { LocalFileIO } from "./local-file-io.js";

/** Creates a FileIO for a scheme from catalog/table properties; may load its backend lazily. */
export type FileIOFactory = (properties: Readonly<Record<string, string>>) => FileIO | Promise<FileIO>;

const factories = new Map<string, FileIOFactory>([
  ["file", () => new LocalFileIO()],
  ["", () => new LocalFileIO()],
]);

/** Registers the FileIO factory for a URL scheme (`"s3"`, `"gs"`, …); later registrations replace earlier ones. */
export function registerFileIO(scheme: string, factory: FileIOFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

/** The URL scheme of a location (`""` for a plain path; `s3a`/`s3n` count as `s3`). */
export function schemeOf(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  // A Windows drive letter ("C:\") is a path, not a scheme.
  if (!m || m[1]!.length === 1) return "";
  const s = m[1]!.toLowerCase();
  return s === "s3a" || s === "s3n" ? "s3" : s;
}

/** The FileIO for a location, chosen by its URL scheme from the registry. */
export async function fileIOFor(location: string, properties: Readonly<Record<string, string>> = {}): Promise<FileIO> {
  const scheme = schemeOf(location);
  const factory = factories.get(scheme);
  if (!factory) {
    throw new IcebergError("NO_FILE_IO", `io: ${location}: expected a registered scheme (${[...factories.keys()].filter(Boolean).join(", ")}), got "${scheme}:"; register one with registerFileIO`, { context: { scheme } });
  }
  return factory(properties);
}
