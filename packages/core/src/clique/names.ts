import { InvalidCliqueNameError } from './errors.js';
import { createGenerationalMap } from '../util/generational-map.js';
import { skeleton } from './skeleton.js';

/** Longest name, in code points after NFKC normalisation. */
export const MAX_NAME_LENGTH = 32;
/** The recipient meaning "every client of the clique". */
export const EVERYONE = '*';

// Control, format, surrogate, private-use, unassigned, separator (space) and default-ignorable characters (variation
// selectors, fillers): invisible or ambiguous characters would let two names that look the same be different names.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\s\p{Default_Ignorable_Code_Point}]/u;

/** A checked name: `display` is what the holder asked for (NFKC), `key` is what names are compared by. */
export interface CliqueName {
  /** NFKC form, as shown to others. */
  display: string;
  /** NFKC + case folding: names with the same folded form are the same name, spelt in another case or width. */
  folded: string;
  /**
   * The UTS #39 skeleton of the folded form, lower-cased: names with the same key are the same name or look alike
   * (`аlice` with a Cyrillic а and `alice`, `rn` and `m`, `b0b` and `bob`), so only one of them can be held.
   */
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
  const folded = display.toUpperCase().toLowerCase().normalize('NFKC');
  // Prototypes may be capitals ("0" → "O"): lower-cased and mapped once more so that case still does not count.
  // Folding before the skeleton turns a capital I (the twin of l) into i, so `aIice` would pass beside `alice`:
  // i and l are one letter in keys.
  const key = skeleton(skeleton(folded).toLowerCase()).replace(/i/g, 'l');
  return { display, folded, key };
}

/** True when two valid names are distinct names that merely look alike (same key, different folded form). */
export function looksAlike(a: string, b: string): boolean {
  try {
    const x = checkName(a);
    const y = checkName(b);
    return x.key === y.key && x.folded !== y.folded;
  } catch {
    return false;
  }
}

// nameKey runs for the sender and the recipient of every line; NFKC, folding and the skeleton cost microseconds.
// The answer depends on the string alone, so recent answers are kept (null: not a valid name).
const keyMemo = createGenerationalMap<string, string | null>(8192);

/** The comparison key of a name, or undefined when the name is not valid. */
export function nameKey(name: string): string | undefined {
  let key = keyMemo.get(name);
  if (key === undefined) {
    try {
      key = checkName(name).key;
    } catch {
      key = null;
    }
    if (name.length <= MAX_NAME_LENGTH * 4) keyMemo.add(name, key);
  }
  return key ?? undefined;
}
