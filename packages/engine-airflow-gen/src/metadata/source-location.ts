// Where a metadata row came from, so that later errors can point back at it.

/** A CSV file and the line a row starts on. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}
