import { isIP } from 'node:net';
import { checkConfigValue, HostPortTextSchema, MaskSchema, PortSchema, type HostPort } from '@p2p/core';
import type { GenericSchema, InferOutput } from 'valibot';
import { InvalidConfigValueError } from '../errors.js';

// The one HOST:PORT writer is core's; the daemon's modules keep importing it from here.
export { formatHostPort } from '@p2p/core';

/** Log levels pino knows, in the order of verbosity. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of pino's log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Roles the daemon can take: an ordinary peer, a seed, or a clique server. */
export const DAEMON_ROLES = ['peer', 'seed', 'server'] as const;
/** A role the daemon can take. */
export type DaemonRole = (typeof DAEMON_ROLES)[number];

/** Checks a value with one of core's config schemas; an InvalidConfigValueError naming the option otherwise. */
function check<S extends GenericSchema>(schema: S, option: string, value: unknown): InferOutput<S> {
  const r = checkConfigValue(schema, value);
  if (!r.success) throw new InvalidConfigValueError(option, r.message);
  return r.output;
}

/** Parses a TCP/UDP port number (0 allowed when `allowZero`: the system picks a free port). */
export function parsePort(option: string, value: unknown, allowZero = true): number {
  const port = check(PortSchema, option, value);
  if (port === 0 && !allowZero) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a port number (1-65535)`);
  return port;
}

/** Parses a whole number from `min` to `max` (a count, a rate, a number of seconds). */
export function parseCount(option: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

/**
 * Parses HOST:PORT where HOST is an IPv4 literal, a bracketed IPv6 literal ([::1]:7070) or a host name, by core's
 * schema: core and the daemon accept and refuse the same addresses.
 */
export function parseHostPort(option: string, value: unknown, allowPortZero = true): HostPort {
  const address = check(HostPortTextSchema, option, value);
  if (address.port === 0 && !allowPortZero) throw new InvalidConfigValueError(option, `${JSON.stringify(value)}: port 0 is not a port to dial`);
  return address;
}

/** Parses an IP address literal (for --interface). */
export function parseAddress(option: string, value: unknown): string {
  if (typeof value !== 'string' || isIP(value.trim()) === 0) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not an IP address`);
  }
  return value.trim();
}

/** Parses an IPv4 network mask, dotted (255.255.255.0) or as a prefix length (24 or /24), into dotted form (core's one parser). */
export function parseMask(option: string, value: unknown): string {
  return check(MaskSchema, option, value);
}

/** Parses true/false (also 1/0, yes/no, on/off) from a file, an environment variable or a flag. */
export function parseBoolean(option: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not true or false`);
}

/** Parses a non-empty string option. */
export function parseString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a non-empty string`);
  }
  return value;
}

/** Parses the node's role. */
export function parseRole(option: string, value: unknown): DaemonRole {
  if (typeof value === 'string' && (DAEMON_ROLES as readonly string[]).includes(value)) return value as DaemonRole;
  throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a role (${DAEMON_ROLES.join(', ')})`);
}

/** Parses a pino log level. */
export function parseLogLevel(option: string, value: unknown): LogLevel {
  if (typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a log level (${LOG_LEVELS.join(', ')})`);
}

/** Parses a peer ID (52 base32 characters). */
export function parsePeerId(option: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z2-7]{52}$/.test(value.trim().toLowerCase())) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a peer ID (52 base32 characters)`);
  }
  return value.trim().toLowerCase();
}
