import { InvalidConfigValueError } from '../errors.js';

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};

/** Parses a size in bytes: a number, or a number with a unit (`512KiB`, `256MiB`, `1G`, `300MB`; K/M/G are binary). */
export function parseByteSize(option: string, value: unknown): number {
  const m = typeof value === 'number' ? [String(value), String(value), ''] : typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value) : null;
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a size (for example 256MiB, 1G or 1048576)`);
  }
  return bytes;
}

/** Parses a positive rate (a number per second, fractions allowed). */
export function parseRate(option: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new InvalidConfigValueError(option, `${JSON.stringify(value)} is not a positive number`);
  return n;
}
