/** Checks of the daemon's control-socket options (kept apart from config/ so that both config and control use them). */
import { InvalidConfigValueError } from './errors.js';

/** Socket modes p2pd accepts: private to its user, or usable by its group too. */
export const SOCKET_MODES = { '600': 0o600, '660': 0o660 } as const;

/** Parses --socket-mode: 600 (only the daemon's user) or 660 (its group too), with or without a leading 0. */
export function parseSocketMode(option: string, value: unknown): number {
  const text = String(value).trim().replace(/^0(?=\d{3}$)/, '');
  const mode = (SOCKET_MODES as Record<string, number>)[text];
  if (mode === undefined) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a socket mode (600 or 660)`);
  return mode;
}

/** Parses a positive number of seconds (fractions allowed, at most a day). */
export function parseSeconds(option: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n > 0 && n <= 86_400)) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a number of seconds (above 0, at most 86400)`);
  return n;
}
