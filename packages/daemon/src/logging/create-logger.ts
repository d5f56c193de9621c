import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/index.js';
import { createSafeDestination } from './safe-destination.js';

/** Options of createLogger. */
export interface LoggerOptions {
  /** Minimum level written. */
  level: LogLevel;
  /** Readable colourised lines (a person at a terminal) instead of JSON lines (a service manager). */
  pretty: boolean;
}

/**
 * A pino logger writing synchronously to stdout: JSON lines under a service manager, pino-pretty's lines on
 * a TTY. Synchronous so that nothing logged before a shutdown or a crash is lost; a stdout that cannot be written
 * (a full disk, a closed pipe) loses lines, never the daemon.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const base = { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.pretty) {
    return pino(base, pretty({ sync: true, destination: createSafeDestination().stream, colorize: !process.env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(base, createSafeDestination().stream);
}
