import { isIP } from 'node:net';
import type { HostPort } from '@p2p/core';
import { InvalidConfigValueError } from '../errors.js';

/** Log levels pino knows, in the order of verbosity. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of pino's log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Roles the daemon can take: an ordinary peer, a seed, or a clique server. */
export const DAEMON_ROLES = ['peer', 'seed', 'server'] as const;
/** A role the daemon can take. */
export type DaemonRole = (typeof DAEMON_ROLES)[number];

const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Parses a TCP/UDP port number (0 allowed when `allowZero`: the system picks a free port). */
export function parsePort(option: string, value: unknown, allowZero = true): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a port number (${allowZero ? 0 : 1}-65535)`);
  }
  return n;
}

/** Parses a whole number from `min` to `max` (a count, a rate, a number of seconds). */
export function parseCount(option: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

/** Parses HOST:PORT where HOST is an IPv4 literal, a bracketed IPv6 literal ([::1]:7070) or a host name. */
export function parseHostPort(option: string, value: unknown, allowPortZero = true): HostPort {
  if (typeof value !== 'string') throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not HOST:PORT`);
  const text = value.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not HOST:PORT`);
  const host = m[1]!;
  const bracketed = text.startsWith('[');
  if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !HOST_NAME.test(host)) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(host)} is not an IP address or host name`);
  }
  return { host, port: parsePort(option, m[2], allowPortZero) };
}

/** Formats a HostPort back into HOST:PORT (brackets around IPv6 literals). */
export function formatHostPort(address: HostPort): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Parses an IP address literal (for --interface). */
export function parseAddress(option: string, value: unknown): string {
  if (typeof value !== 'string' || isIP(value.trim()) === 0) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not an IP address`);
  }
  return value.trim();
}

/**
 * Parses an IPv4 network mask, dotted (255.255.255.0) or as a prefix length (24 or /24), into dotted form;
 * the bits must be contiguous, as a real mask's are.
 */
export function parseMask(option: string, value: unknown): string {
  const text = String(value).trim().replace(/^\//, '');
  let bits: number;
  if (/^\d{1,2}$/.test(text)) {
    const prefix = Number(text);
    if (prefix > 32) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a prefix length (0-32)`);
    bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  } else {
    if (isIP(text) !== 4) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a network mask`);
    bits = text.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
    const inverted = ~bits >>> 0;
    if ((inverted & (inverted + 1)) !== 0) {
      throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a contiguous network mask`);
    }
  }
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
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
