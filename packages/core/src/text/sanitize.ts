import { InvalidNameError } from '../errors.js';

/**
 * Characters a terminal may act on instead of showing: C0/C1 controls (ESC starts every escape sequence, CSI is
 * U+009B), format characters (bidi overrides, zero-width joiners), line and paragraph separators, lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Longest peer name accepted at Hello, in code points. */
export const MAX_PEER_NAME_LENGTH = 64;

/**
 * Text from the network made safe to print: every control or format character is replaced by a visible stand-in
 * (C0 controls by their Unicode control picture, e.g. ESC by U+241B, the others by `\u{hex}`), so escape sequences
 * can never reach a terminal and a text cannot fake a line break or reorder what follows it.
 */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const cp = c.codePointAt(0)!;
    if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
    if (cp === 0x7f) return '\u2421';
    return `\\u{${cp.toString(16)}}`;
  });
}

/** True when printing `text` as it is could make a terminal do something. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** Why `name` is not acceptable as a peer name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if ([...name].length > MAX_PEER_NAME_LENGTH) return `longer than ${MAX_PEER_NAME_LENGTH} characters`;
  if (hasUnsafeCharacters(name)) return 'contains control or format characters';
  if (name.normalize('NFC') !== name) return 'not in Unicode normal form C';
  if (name !== name.trim()) return 'starts or ends with white space';
  return undefined;
}

/** Returns `name` when it is an acceptable peer name; throws InvalidNameError saying why not. */
export function validateName(name: string): string {
  const problem = nameProblem(name);
  if (problem) throw new InvalidNameError(`the name '${sanitizeText(name.slice(0, 80))}' is ${problem}`);
  return name;
}

/**
 * JSON for a terminal or a log: exactly JSON.stringify's value, but every control or format character is written as
 * a \u escape (JSON.stringify leaves C1 controls, bidi overrides and line separators raw), so the bytes printed
 * carry no escape sequence while a JSON reader still gets the original text.
 */
export function safeJson(value: unknown, space?: number): string {
  const text = JSON.stringify(value, undefined, space) ?? 'null';
  return text.replace(UNSAFE, (c) => [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}
