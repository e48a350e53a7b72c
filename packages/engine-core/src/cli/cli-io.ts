// Where the CLI writes, so tests can run it in-process and read what it printed.

/** The CLI's output streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Writes to the process's stdout and stderr. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Renders a failure as the single stderr line `engine: <message>` (plus the stack when ENGINE_DEBUG=1). */
export function formatFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = `engine: ${message.replace(/\s*\n\s*/g, " ").trim()}\n`;
  if (env["ENGINE_DEBUG"] !== "1" || !(error instanceof Error)) return line;
  return `${line}${error.stack ?? ""}\n${error.cause === undefined ? "" : `caused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}\n`}`;
}

/** JSON.stringify that writes bigints as strings (snapshot ids, counts from DuckDB). */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}
