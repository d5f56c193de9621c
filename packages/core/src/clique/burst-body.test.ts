import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v1 } from '../codec/wire.js';
import { BURST_MAX_LINES, BURST_MAX_TEXT_BYTES, decodeBurstBody, encodeBurstBody, scanBurstBody } from './burst-body.js';
import { burstLineCount } from './burst-signing.js';

const texts = (xs: string[]) => xs.map((text, i) => ({ text, sentAtMs: 1_700_000_000_000 + i }));
const body = (xs: string[]) => encodeBurstBody(texts(xs));

describe('the body scan (what a server checks without decoding)', () => {
  it('counts lines within bounds: 1 to BURST_MAX_LINES, each within the line limit, within BURST_MAX_TEXT_BYTES', () => {
    expect(scanBurstBody(body(['x']), 100)).toBe(1);
    expect(scanBurstBody(body([]), 100)).toBeUndefined();
    expect(scanBurstBody(body(Array.from({ length: BURST_MAX_LINES }, () => 'x')), 100)).toBe(BURST_MAX_LINES);
    expect(scanBurstBody(body(Array.from({ length: BURST_MAX_LINES + 1 }, () => 'x')), 100)).toBeUndefined();
    expect(scanBurstBody(body(['x'.repeat(100)]), 100)).toBe(1);
    expect(scanBurstBody(body(['x'.repeat(101)]), 100)).toBeUndefined();
    // UTF-8 bytes, as on the wire: 34 three-byte characters are 102 bytes.
    expect(scanBurstBody(body(['€'.repeat(34)]), 100)).toBeUndefined();
    const big = 'x'.repeat(4096);
    expect(scanBurstBody(body(Array.from({ length: BURST_MAX_TEXT_BYTES / 4096 }, () => big)), 4096)).toBe(BURST_MAX_TEXT_BYTES / 4096);
    expect(scanBurstBody(body(Array.from({ length: BURST_MAX_TEXT_BYTES / 4096 + 1 }, () => big)), 4096)).toBeUndefined();
    // An empty line and a line without a time are lines.
    expect(scanBurstBody(v1.CliqueLineList.encode({ lines: [{}, { text: 'a' }] }).finish(), 100)).toBe(2);
    expect(burstLineCount({ body: body(['x']), signature: new Uint8Array(513) }, 100)).toBeUndefined();
    expect(burstLineCount({ body: body(['x']), authorKey: new Uint8Array(1025) }, 100)).toBeUndefined();
  });

  it('is strict: no unknown field, no field twice, no overlong varint, no invalid UTF-8 (nothing rides along for free)', () => {
    const line = Buffer.from(body(['hello']));
    const bytes = (...parts: number[][]) => Buffer.from(parts.flat());
    // A line, then an unknown length-delimited field 2 at the top level (the padding of a "one-line" burst).
    expect(scanBurstBody(Buffer.concat([line, bytes([0x12, 0x80, 0x80, 0x10]), Buffer.alloc(262_144)]), 100)).toBeUndefined();
    expect(scanBurstBody(Buffer.concat([line, bytes([0x12, 0x01, 0x00])]), 100)).toBeUndefined();
    const inLine = (...inner: number[]) => bytes([0x0a, inner.length], inner);
    expect(scanBurstBody(inLine(0x0a, 0x01, 0x41, 0x10, 0x05), 100)).toBe(1);
    // Inside a line: an unknown field, the text twice, the time twice, field 0, a group, a time of 11 varint bytes.
    for (const bad of [
      inLine(0x0a, 0x01, 0x41, 0x1a, 0x01, 0x00),
      inLine(0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42),
      inLine(0x10, 0x01, 0x10, 0x02),
      inLine(0x02, 0x01, 0x00),
      inLine(0x0b, 0x0c),
      inLine(0x10, ...Array(10).fill(0x80), 0x01),
      inLine(0x0a, 0x02, 0xc3, 0x28),
      inLine(0x0a, 0x01, 0x80),
    ]) expect(scanBurstBody(bad, 100)).toBeUndefined();
    expect(scanBurstBody(inLine(0x10, ...Array(9).fill(0xff), 0x01), 100)).toBe(1);
    // Longer forms of a tag, a length or a time than an encoder writes (decoders accept some of them).
    expect(scanBurstBody(bytes([0x8a, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]), 100)).toBeUndefined();
    expect(scanBurstBody(bytes([0x0a, 0x83, 0x00, 0x0a, 0x01, 0x41]), 100)).toBeUndefined();
    expect(scanBurstBody(inLine(0x0a, 0x81, 0x00, 0x41), 100)).toBeUndefined();
    expect(scanBurstBody(inLine(0x10, 0x81, ...Array(8).fill(0x80), 0x00), 100)).toBeUndefined();
    expect(scanBurstBody(inLine(0x10, ...Array(9).fill(0xff), 0x02), 100)).toBeUndefined();
    expect(scanBurstBody(inLine(0x0a, 0x02, 0xc3, 0xa9), 100)).toBe(1);
  });

  it('never throws, and agrees with the decoder on what it accepts (random and truncated bodies)', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 20 }), fc.nat(), (xs, cut) => {
      const whole = body(xs);
      const part = whole.subarray(0, cut % (whole.length + 1));
      const n = scanBurstBody(part, 100);
      if (n !== undefined) expect(decodeBurstBody(part)?.length).toBe(n);
      if (part.length === whole.length) expect(n).toBe(xs.length === 0 || xs.some((x) => Buffer.byteLength(x) > 100) ? undefined : xs.length);
    }), { numRuns: 1000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      const n = scanBurstBody(junk, 100);
      if (n !== undefined) expect(decodeBurstBody(junk)?.length).toBe(n);
    }), { numRuns: 3000 });
  });
});
