// Stage progress on stderr for long loads: one line per finished stage with its time, and on a
// TTY a live "… stage" line while it runs. Quiet unless stderr is a TTY or --progress is given.

import type { StageEvent } from "../load/stage-batch.js";
import { formatDuration } from "./format.js";

/** A stage listener writing progress lines, or undefined when progress is off. */
export function progressReporter(options: { progress?: boolean; stream?: NodeJS.WriteStream; write?: (text: string) => void }): ((event: StageEvent) => void) | undefined {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  if (!options.progress && !tty) return undefined;
  const write = options.write ?? ((text: string) => void stream.write(text));
  let timer: NodeJS.Timeout | undefined;
  return (event) => {
    if (event.state === "start") {
      if (!tty) return;
      const t0 = Date.now();
      const draw = (): void => write(`\r\x1b[2K  … ${event.stage} ${formatDuration(Date.now() - t0)}`);
      draw();
      clearInterval(timer);
      timer = setInterval(draw, 250);
      timer.unref();
      return;
    }
    clearInterval(timer);
    timer = undefined;
    write(`${tty ? "\r\x1b[2K" : ""}  ${event.stage.padEnd(14)} ${formatDuration(event.ms ?? 0)}\n`);
  };
}
