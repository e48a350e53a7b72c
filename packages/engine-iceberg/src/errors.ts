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
  constructor(table: string, options: { cause?: unknown; detail?: string } = {}) {
    super("NO_SUCH_TABLE", `catalog: table ${table} does not exist${options.detail ? ` (${options.detail})` : ""}`, {
      context: { table }, ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** The named namespace does not exist in the catalog. */
export class NoSuchNamespaceError extends IcebergError {
  constructor(namespace: string, options: { cause?: unknown; detail?: string } = {}) {
    super("NO_SUCH_NAMESPACE", `catalog: namespace ${namespace} does not exist${options.detail ? ` (${options.detail})` : ""}`, {
      context: { namespace }, ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** A table or namespace that should be new already exists. */
export class AlreadyExistsError extends IcebergError {
  constructor(what: string, options: { cause?: unknown; detail?: string } = {}) {
    super("ALREADY_EXISTS", `catalog: ${what} already exists${options.detail ? ` (${options.detail})` : ""}`, {
      context: { what }, ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** A commit lost a race or its requirements no longer hold; it is safe to refresh and retry. */
export class CommitFailedError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("COMMIT_FAILED", message, options);
  }
}

/** A concurrent commit conflicts with this one (e.g. added files an overwrite would miss); refreshing and retrying cannot help. */
export class CommitConflictError extends CommitFailedError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options);
  }
}

/**
 * A commit stopped before its atomic swap for a reason other than a lost race (e.g. no space
 * left for the new metadata file): nothing was committed, so its files may be cleaned up, but
 * retrying at once would fail the same way.
 */
export class CommitAbortedError extends CommitFailedError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options);
  }
}

/** A metadata change (schema, partition spec, snapshot ref) is not allowed, e.g. an unsupported type promotion. */
export class InvalidChangeError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("INVALID_CHANGE", message, options);
  }
}

/** A commit whose outcome is unknown (e.g. a timeout after sending); never retried blindly. */
export class CommitStateUnknownError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("COMMIT_STATE_UNKNOWN", message, options);
  }
}

/**
 * `createExclusive` failed before the file could appear (e.g. writing its temp file ran out of
 * space, or the store rejected the request): the file provably does not exist by this call.
 */
export class FileNotCreatedError extends IcebergError {
  constructor(location: string, options: { cause?: unknown } = {}) {
    const why = (options.cause as Error)?.message ?? String(options.cause);
    super("IO_ERROR", `io: create ${location}: expected the file created, got a failure before it could appear (nothing was created): ${why}`, {
      context: { location }, ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** Metadata, a manifest or a value does not follow the Iceberg spec. */
export class InvalidMetadataError extends IcebergError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("INVALID_METADATA", message, options);
  }
}
