import { InvalidCliqueNameError } from './errors.js';

/** Longest name, in code points after NFKC normalisation. */
export const MAX_NAME_LENGTH = 32;
/** The recipient meaning "every client of the clique". */
export const EVERYONE = '*';

// Control, format, surrogate, private-use, unassigned and separator (space) characters: invisible or ambiguous
// characters would let two names that look the same be different names.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\s]/u;

/** A checked name: `display` is what the holder asked for (NFKC), `key` is what names are compared by. */
export interface CliqueName {
  /** NFKC form, as shown to others. */
  display: string;
  /** NFKC + case folding: two names with the same key are the same name. */
  key: string;
}

/**
 * Checks a name and returns its display form and comparison key; throws InvalidCliqueNameError.
 * Case folding is approximated by upper- then lower-casing (so ß, ẞ and ss, or ς and σ, fold together) and
 * normalising again, since JavaScript has no full case folding of its own.
 */
export function checkName(name: string): CliqueName {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidCliqueNameError(String(name), 'empty');
  if (name.length > MAX_NAME_LENGTH * 4) throw new InvalidCliqueNameError(name, `longer than ${MAX_NAME_LENGTH} characters`);
  const display = name.normalize('NFKC');
  if (FORBIDDEN.test(display)) throw new InvalidCliqueNameError(name, 'control, format or space characters are not allowed');
  if (display.includes(EVERYONE)) throw new InvalidCliqueNameError(name, '"*" means everyone');
  if (display.startsWith('/')) throw new InvalidCliqueNameError(name, 'a leading "/" is for commands');
  if ([...display].length > MAX_NAME_LENGTH) throw new InvalidCliqueNameError(name, `longer than ${MAX_NAME_LENGTH} characters`);
  const key = display.toUpperCase().toLowerCase().normalize('NFKC');
  return { display, key };
}

/** The comparison key of a name, or undefined when the name is not valid. */
export function nameKey(name: string): string | undefined {
  try {
    return checkName(name).key;
  } catch {
    return undefined;
  }
}
