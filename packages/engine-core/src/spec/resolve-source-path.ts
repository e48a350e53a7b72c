// Where a spec's source path points on disk.

import { dirname, isAbsolute, resolve } from "node:path";
import type { TableSpec } from "./table-spec.js";

/**
 * Resolves `spec.source.path` (or an override such as the CLI's `--source`): URLs (`s3://…`) and
 * absolute paths stay as they are; a relative spec path resolves against the spec file's folder,
 * and a relative override against the working directory.
 */
export function resolveSourcePath(spec: TableSpec, override?: string): string | undefined {
  if (override !== undefined) return isUrl(override) || isAbsolute(override) ? override : resolve(override);
  const path = spec.source.path;
  if (path === undefined || isUrl(path) || isAbsolute(path)) return path;
  return spec.file === undefined ? resolve(path) : resolve(dirname(spec.file), path);
}

function isUrl(path: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path);
}
