import { pino, type Logger as PinoLogger } from 'pino';
import { createRequire } from 'node:module';
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

/** True when stdout is connected to the systemd journal (JOURNAL_STREAM names its device and inode). */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.JOURNAL_STREAM);
}

/**
 * A pino logger writing synchronously to stdout: JSON lines whose `level` is the name ("info", not 30) under a
 * service manager, with the `<N>` priority prefix journald reads when stdout is the journal; pino-pretty's lines
 * on a TTY. Synchronous so that nothing logged before a shutdown or a crash is lost.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const base = { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.pretty && !options.journald) {
    // Required only for a terminal: a daemon under a service manager never loads pino-pretty (megabytes of RSS).
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(base, pretty({ sync: true, destination: createLogDestination({ journald: false }), colorize: !process.env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(
    { ...base, formatters: { level: (label: string) => ({ level: label }) } },
    createLogDestination({ journald: options.journald === true }),
  );
}
