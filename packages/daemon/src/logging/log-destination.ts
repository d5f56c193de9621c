import { writeSync } from 'node:fs';

/** syslog priorities of pino's levels, for journald's `<N>` line prefix (sd-daemon(3)). */
export const JOURNAL_PRIORITIES: Readonly<Record<string, number>> = { fatal: 2, error: 3, warn: 4, info: 6, debug: 7, trace: 7 };

/** Options of createLogDestination. */
export interface LogDestinationOptions {
  /** File descriptor written to; default 1 (stdout). */
  fd?: number;
  /** Prefix each line with its journald priority (`<3>` for error...): stdout is connected to the journal. */
  journald: boolean;
}

/** A synchronous line sink for pino that never throws: a line that cannot be written is dropped and counted. */
export interface LogDestination {
  /** Writes one line (pino calls this). */
  write(line: string): void;
  /** Lines dropped because the output could not take them (closed pipe, full disk...). */
  dropped(): number;
}

const LEVEL_AT_START = /^\{"level":"([a-z]+)"/;

/**
 * Writes each line at once with writeSync (so nothing logged before a crash or exit is lost) and, for journald,
 * in front of it the priority of its level label. A failed write never takes the daemon down.
 */
export function createLogDestination(options: LogDestinationOptions): LogDestination {
  const fd = options.fd ?? 1;
  let dropped = 0;
  return {
    write(line) {
      let text = line;
      if (options.journald) {
        const priority = JOURNAL_PRIORITIES[LEVEL_AT_START.exec(line)?.[1] ?? ''] ?? 6;
        text = `<${priority}>${line}`;
      }
      const bytes = Buffer.from(text);
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      } catch {
        dropped++;
      }
    },
    dropped: () => dropped,
  };
}
