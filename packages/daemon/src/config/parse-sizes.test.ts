import { describe, expect, it } from 'vitest';
import { InvalidConfigValueError } from '../errors.js';
import { parseByteSize, parseRate } from './parse-sizes.js';

describe('sizes and rates', () => {
  it('parses bytes with binary and decimal units', () => {
    expect(parseByteSize('--inbox-quota', '256MiB')).toBe(256 * 1024 * 1024);
    expect(parseByteSize('--inbox-quota', '1G')).toBe(1024 ** 3);
    expect(parseByteSize('--inbox-quota', '300 MB')).toBe(300_000_000);
    expect(parseByteSize('--inbox-quota', '1.5k')).toBe(1536);
    expect(parseByteSize('--inbox-quota', 1048576)).toBe(1048576);
    expect(parseByteSize('--inbox-quota', '4096')).toBe(4096);
  });

  it('refuses what is not a positive size, naming the option', () => {
    for (const bad of ['', '0', '-1M', '12 parsecs', 'MiB', '1e9', null, true]) {
      expect(() => parseByteSize('--inbox-quota', bad)).toThrow(InvalidConfigValueError);
    }
    expect(() => parseByteSize('P2P_INBOX_QUOTA', 'lots')).toThrow(/^P2P_INBOX_QUOTA: "lots" is not a size/);
  });

  it('parses a positive rate', () => {
    expect(parseRate('--inbox-sender-rate', '20')).toBe(20);
    expect(parseRate('--inbox-sender-rate', '0.5')).toBe(0.5);
    for (const bad of ['0', '-3', 'fast', '']) expect(() => parseRate('--inbox-sender-rate', bad)).toThrow(InvalidConfigValueError);
  });
});
