import { fstatSync } from 'node:fs';
import { pino, type Logger as PinoLogger, type LoggerOptions as PinoOptions } from 'pino';
import { sanitizeText } from '@p2p/core';
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
  /** Where JSON lines go instead of stdout (tests). */
  destination?: NodeJS.WritableStream;
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
  const base: PinoOptions = {
    level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime,
    // Names, reasons and texts in log lines may come from the network: control and format characters are
    // neutralised in the message and in every string field, so no log line can drive a terminal.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? sanitizeText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  const log = (obj: Record<string, unknown>) => neutralise(obj, 0) as Record<string, unknown>;
  if (options.pretty && !options.journald) {
    return pino({ ...base, formatters: { log } }, pretty({ sync: true, destination: createLogDestination({ journald: false }), colorize: !process.env.NO_COLOR, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(
    { ...base, formatters: { level: (label: string) => ({ level: label }), log } },
    options.destination ?? createLogDestination({ journald: options.journald === true }),
  );
}

/** A copy of a log object with every string neutralised (errors and depth beyond 4 are left to pino's own handling). */
function neutralise(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return sanitizeText(value);
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => neutralise(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = neutralise(v, depth + 1);
  return out;
}
