// Errors of @engine/airflow-gen. Messages read `gen: <file or spec path>: expected …, got …`.

/** Base error of `@engine/airflow-gen`: a stable `code`, a `context` record and an optional `cause`. */
export class GenError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** A CSV file is malformed or a row breaks the metadata contract; the message names file:line:column. */
export class CsvError extends GenError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("GEN_CSV_INVALID", message, options);
  }
}

/** Specs and schedule metadata do not fit together (no schedule, unknown upstream, cycle, conflicting crons…). */
export class ScheduleError extends GenError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("GEN_SCHEDULE_INVALID", message, options);
  }
}
