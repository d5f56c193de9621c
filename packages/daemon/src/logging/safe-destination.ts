import { pino } from 'pino';

/** Bytes of log lines held back while the log cannot be written; beyond, new lines are dropped. */
const MAX_HELD_BACK_BYTES = 1024 * 1024;

/** A synchronous log destination that survives its file descriptor failing. */
export interface SafeDestination {
  /** The stream pino (or pino-pretty) writes to. */
  stream: ReturnType<typeof pino.destination>;
  /** Write errors seen so far (a full disk, a closed pipe...). */
  failures(): number;
  /** Lines dropped because too much was held back. */
  dropped(): number;
}

/**
 * A synchronous destination on `fd` (stdout by default) whose write errors (ENOSPC under a full disk, EPIPE when the
 * reader went away, EAGAIN...) are counted instead of thrown: a log that cannot be written never stops the daemon.
 * Lines that could not be written are retried with the next one, up to 1 MiB, then dropped.
 */
export function createSafeDestination(fd = 1): SafeDestination {
  let failures = 0;
  let dropped = 0;
  const stream = pino.destination({ fd, sync: true, maxLength: MAX_HELD_BACK_BYTES });
  stream.on('error', () => {
    failures++;
  });
  stream.on('drop', () => {
    dropped++;
  });
  return { stream, failures: () => failures, dropped: () => dropped };
}
