import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../errors.js';
import { hasUnsafeCharacters, nameProblem, sanitizeText, validateName } from './sanitize.js';

describe('sanitizeText', () => {
  it('neutralises escape sequences, C1 controls, bidi overrides and line breaks', () => {
    const hostile = 'hi\x1b]0;pwned\x07 \x1b]52;c;ZWNobw==\x07\u009b31m\u202eevil\nfake: line\r\u2028';
    const safe = sanitizeText(hostile);
    expect(hasUnsafeCharacters(safe)).toBe(false);
    expect(safe).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e\u2028]/);
    expect(safe).toContain('\u241b]0;pwned\u2407');
    expect(safe).toContain('\\u{9b}31m');
    expect(safe).toContain('\\u{202e}evil\u240afake: line\u240d');
  });
  it('leaves ordinary text alone, including non-Latin scripts and emoji', () => {
    for (const s of ['hello', 'Zoë', '日本語', 'bob 🚀', 'tab-free text']) expect(sanitizeText(s)).toBe(s);
  });
});

describe('validateName', () => {
  it('accepts ordinary names', () => {
    for (const s of ['alice', 'Zoë', 'bob-2', '', 'ünïcödé 名前']) expect(nameProblem(s)).toBeUndefined();
  });
  it('refuses control and format characters, decomposed forms, overlong names and outer spaces', () => {
    expect(nameProblem('bob\x1b[2J')).toMatch(/control/);
    expect(nameProblem('bob\u200d')).toMatch(/control or format/);
    expect(nameProblem('Zoe\u0308')).toMatch(/normal form/);
    expect(nameProblem('x'.repeat(65))).toMatch(/longer/);
    expect(nameProblem(' bob')).toMatch(/white space/);
    expect(() => validateName('a\x07')).toThrow(InvalidNameError);
  });
});

describe('safeJson', () => {
  it('keeps the value but writes unsafe characters as \\u escapes', async () => {
    const { safeJson } = await import('./sanitize.js');
    const v = { name: 'bob\u009b2J\u202e', text: 'a\x1b[31mb\u2028c' };
    const s = safeJson(v);
    expect(hasUnsafeCharacters(s)).toBe(false);
    expect(s).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(JSON.parse(s)).toEqual(v);
  });
});
