/** A file's location and facts as listed by a FileIO. */
export interface FileInfo {
  readonly location: string;
  readonly size: number;
  readonly lastModifiedMs: number;
}

/** A readable file. */
export interface InputFile {
  readonly location: string;
  /** Reads the whole file. */
  read(): Promise<Uint8Array>;
  /** Reads `length` bytes from `offset`. */
  readRange(offset: number, length: number): Promise<Uint8Array>;
  /** The file's size in bytes. */
  length(): Promise<number>;
  /** Whether the file exists. */
  exists(): Promise<boolean>;
}

/** A writable file. */
export interface OutputFile {
  readonly location: string;
  /** Writes (or replaces) the whole file. */
  write(data: Uint8Array): Promise<void>;
  /** Creates the file only if absent, atomically: readers see all of it or nothing; throws AlreadyExistsError otherwise. */
  createExclusive(data: Uint8Array): Promise<void>;
}

/** Storage access by URL (local paths, `file://`, `s3://`), one implementation per scheme. */
export interface FileIO {
  newInputFile(location: string): InputFile;
  newOutputFile(location: string): OutputFile;
  /** Deletes files; missing files are not an error. */
  delete(locations: readonly string[]): Promise<void>;
  /** Lists every file below a prefix (recursively). */
  list(prefix: string): AsyncIterable<FileInfo>;
  /** The local filesystem path of a location when this IO is local, so DuckDB may read or write it directly. */
  localPath(location: string): string | undefined;
}
