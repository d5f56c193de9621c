import { UsageError } from '../errors.js';

/**
 * A numeric flag's value checked to be a whole number from 1 up to `max`, or undefined when the flag was not given.
 * yargs turns "abc" into NaN and lets -5 or 1e20 through: a typo must be a usage error, never "all" or "default".
 */
export function wholeNumberOption(flag: string, value: number | undefined, what: string, max = 0xffff_ffff): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new UsageError(`--${flag} needs a whole number of ${what} (1 to ${max})`);
  return value;
}
