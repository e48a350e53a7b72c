/** Base error of `@engine/iceberg`: a stable `code`, a `context` record and an optional `cause`. */
export class IcebergError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** The named table does not exist in the catalog. */
export class NoSuchTableError extends IcebergError {
  constructor(table: string, options: { cause?: unknown } = {}) {
    super("NO_SUCH_TABLE", `catalog: table ${table} does not exist`, { context: { table }, ...options });
  }
}

/** The named namespace does not exist in the catalog. */
export class NoSuchNamespaceError extends IcebergError {
  constructor(namespace: string) {
    super("NO_SUCH_NAMESPACE", `catalog: namespace ${namespace} does not exist`, { context: { namespace } });
  }
}

/** A table or namespace that should be new already exists. */
export class AlreadyExistsError extends IcebergError {
  constructor(what: string) {
    super("ALREADY_EXISTS", `catalog: ${what} already exists`, { context: { what } });
  }
}

/** A commit lost a race or its requirements no longer hold; it is safe to refresh and retry. */
export class CommitFailedError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("COMMIT_FAILED", message, options);
  }
}

/** A commit whose outcome is unknown (e.g. a timeout after sending); never retried blindly. */
export class CommitStateUnknownError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("COMMIT_STATE_UNKNOWN", message, options);
  }
}

/** Metadata, a manifest or a value does not follow the Iceberg spec. */
export class InvalidMetadataError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("INVALID_METADATA", message, options);
  }
}
