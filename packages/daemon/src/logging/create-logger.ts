import { fstatSync } from 'node:fs';
import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/index.js';
import { createLogDestination } from './log-destination.js';

/** Options of createLogger. */
export interface LoggerOptions {
  /** Minimum level written. */
  level: LogLevel;
  /** Readable colourised lines (a person at a terminal) instead of JSON lines (a service manager). */
  pretty: boolean;
  /** JSON lines with journald's priority prefix: set when JOURNAL_STREAM says stdout is the journal. */
  journald?: boolean;
}

/**
 * True when stdout is the systemd journal: JOURNAL_STREAM names the device and inode of the stream systemd
 * connected, and stdout must still be that stream (not a pipe or file it was redirected to since), as
 * sd-daemon(3) says to check.
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 1): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1]!) && st.ino === BigInt(m[2]!);
  } catch {
    return false;
  }
}

/**
 * A pino logger writing synchronously to stdout: JSON lines whose `level` is the name ("info", not 30) under a
 * service manager, with the `<N>` priority prefix journald reads when stdout is the journal; pino-pretty's lines
 * on a TTY. Synchronous so that nothing logged before a shutdown or a crash is lost.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const base = { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.pretty && !options.journald) {
    return pino(base, pretty({ sync: true, destination: createLogDestination({ journald: false }), colorize: !process.env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(
    { ...base, formatters: { level: (label: string) => ({ level: label }) } },
    createLogDestination({ journald: options.journald === true }),
  );
}
