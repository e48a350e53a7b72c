// What the generators return.

/** One generated file: a path relative to the output folder and its full text. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** The result of a generator: files sorted by path. */
export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
}
