// Stable, machine-independent names for files in generated headers and messages.

import { isAbsolute, relative, sep } from "node:path";
import type { TableSpec } from "@engine/core";

/** A path relative to `baseDir`, with forward slashes. */
export function fileLabel(path: string, baseDir: string): string {
  const rel = isAbsolute(path) ? relative(baseDir, path) : path;
  return rel.split(sep).join("/");
}

/** The spec's file relative to `baseDir`, or `spec <table>` for specs given as objects. */
export function specLabel(spec: TableSpec, baseDir: string): string {
  return spec.file === undefined ? `spec ${spec.table}` : fileLabel(spec.file, baseDir);
}

/** The identifier-safe key of a table: "sales.orders" → "sales__orders". */
export function tableKey(table: string): string {
  return table.split(".").join("__");
}
