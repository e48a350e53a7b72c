import { newUuid } from "../../internal/ids.js";
import type { TableMetadata } from "../../spec/table-metadata.js";

const METADATA_FILE_RE = /^(\d+)-([0-9a-fA-F-]{36})(\.gz)?\.metadata\.json$/;

/** The folder of a table's metadata files: `write.metadata.path`, else `<location>/metadata`. */
export function metadataFolder(metadata: TableMetadata): string {
  const custom = metadata.properties["write.metadata.path"];
  return (custom ?? `${metadata.location.replace(/\/+$/, "")}/metadata`).replace(/\/+$/, "");
}

/** The version number of a `NNNNN-<uuid>.metadata.json` file name, or -1 when the name does not follow it. */
export function metadataVersion(location: string | undefined): number {
  if (!location) return -1;
  const m = METADATA_FILE_RE.exec(location.slice(location.lastIndexOf("/") + 1));
  return m ? Number(m[1]) : -1;
}

/**
 * Where the next metadata file goes. Spec: Java's BaseMetastoreTableOperations names them
 * `%05d-<uuid>.metadata.json`, starting at 00000 and counting up from the current file's number.
 */
export function nextMetadataLocation(metadata: TableMetadata, currentLocation?: string): string {
  const version = metadataVersion(currentLocation) + 1;
  return `${metadataFolder(metadata)}/${String(version).padStart(5, "0")}-${newUuid()}.metadata.json`;
}
