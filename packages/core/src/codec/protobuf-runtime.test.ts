import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v1 } from './wire.js';

// The reference for strings: protobufjs's own decoding of the same bytes from a plain Uint8Array (its Reader, not the
// patched BufferReader path). uint64 is patched on both readers: its cases are checked against known values.
const plainReaderText = (bytes: Uint8Array) => v1.CliqueLineText.decode(new Uint8Array(bytes));

describe('the codec runtime fast paths', () => {
  it('reads strings from Buffers exactly as protobufjs does: ASCII, any Unicode, every length', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), (text, n) => {
      const bytes = Buffer.from(v1.CliqueLineText.encode({ text, sentAtMs: n }).finish());
      const fast = v1.CliqueLineText.decode(bytes);
      expect(fast.text).toBe(text);
      expect(fast.text).toBe(plainReaderText(bytes).text);
      expect(fast.sentAtMs).toBe(n);
    }), { numRuns: 2000 });
  });

  it('still refuses invalid UTF-8 and truncated strings', () => {
    // Field 1 (text), length 2: a lone continuation byte is not UTF-8.
    expect(() => v1.CliqueLineText.decode(Buffer.from([0x0a, 0x02, 0x41, 0x80]))).toThrow();
    // Length 5 with 2 bytes left.
    expect(() => v1.CliqueLineText.decode(Buffer.from([0x0a, 0x05, 0x41, 0x42]))).toThrow(RangeError);
    expect(v1.CliqueLineText.decode(Buffer.from([0x0a, 0x00])).text).toBe('');
  });

  it('reads uint64 as exact numbers below 2^53, and refuses a varint over 10 bytes or cut short', () => {
    for (const n of [0, 1, 127, 128, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1_763_769_600_000, Number.MAX_SAFE_INTEGER]) {
      const bytes = Buffer.from(v1.CliqueLineText.encode({ sentAtMs: n }).finish());
      expect(v1.CliqueLineText.decode(bytes).sentAtMs).toBe(n);
    }
    expect(() => v1.CliqueLineText.decode(Buffer.from([0x10, ...Array(10).fill(0xff), 0x01]))).toThrow(/invalid varint/);
    // Only the low bit of a 10th byte counts, as in protobufjs: the value stays below 2^64.
    const tenth = (last: number) => v1.CliqueLineText.decode(Buffer.from([0x10, ...Array(9).fill(0xff), last])).sentAtMs;
    expect(tenth(0x7f)).toBe(tenth(0x01));
    expect(tenth(0x7f)).toBeLessThanOrEqual(2 ** 64);
    expect(() => v1.CliqueLineText.decode(Buffer.from([0x10, 0xff, 0xff]))).toThrow(/index out of range/);
  });
});
