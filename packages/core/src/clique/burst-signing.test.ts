import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { p2p } from '../codec/wire.js';
import { createMessageSigner } from '../identity/message-signer.js';
import { generateIdentity } from '../identity/node-identity.js';
import { BURST_MAX_LINES, BURST_MAX_TEXT_BYTES, burstInBounds, burstSigningBytes, signBurst, verifyBurst } from './burst-signing.js';

const burst = (texts: string[], to = 'bob'): p2p.v1.ICliqueLines => ({
  batchId: new Uint8Array(16).fill(7), from: 'alice', to, lines: texts.map((text, i) => ({ text, sentAtMs: 1_700_000_000_000 + i })),
});

describe('CliqueLines signatures', () => {
  it('one signature proves a whole burst, and any change to it breaks the proof', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const signed = signBurst(alice, burst(['one', 'two', 'three']));
    expect(verifyBurst(signed)).toBe(alice.peerId);
    const changed: p2p.v1.ICliqueLines[] = [
      { ...signed, from: 'alicf' },
      { ...signed, to: '*' },
      { ...signed, batchId: new Uint8Array(16).fill(8) },
      { ...signed, lines: signed.lines!.slice(0, 2) },
      { ...signed, lines: [...signed.lines!].reverse() },
      { ...signed, lines: [{ ...signed.lines![0]!, text: 'One' }, ...signed.lines!.slice(1)] },
      { ...signed, lines: [{ ...signed.lines![0]!, sentAtMs: 1 }, ...signed.lines!.slice(1)] },
      { ...signed, signature: new Uint8Array(64) },
      { ...signed, authorKey: undefined },
      { ...signed, authorId: new Uint8Array(32) },
    ];
    for (const m of changed) expect(verifyBurst(m)).toBeUndefined();
  });

  it('no two different bursts share signing bytes (every field is length-prefixed)', () => {
    const text = fc.string({ maxLength: 6 });
    const b = fc.record({ from: text, to: text, lines: fc.array(fc.record({ text, sentAtMs: fc.nat() }), { maxLength: 4 }) });
    fc.assert(fc.property(b, b, (x, y) => {
      const same = JSON.stringify(x) === JSON.stringify(y);
      const bytes = (v: typeof x) => Buffer.from(burstSigningBytes({ batchId: new Uint8Array(16), ...v })).toString('hex');
      return same === (bytes(x) === bytes(y));
    }), { numRuns: 2000 });
    // The classic ambiguity of unprefixed fields.
    expect(burstSigningBytes(burst(['ab', 'c']))).not.toEqual(burstSigningBytes(burst(['a', 'bc'])));
  });

  it('bounds: 1 to BURST_MAX_LINES lines, each within the line limit, within BURST_MAX_TEXT_BYTES in all', () => {
    expect(burstInBounds(burst(['x']), 100)).toBe(true);
    expect(burstInBounds(burst([]), 100)).toBe(false);
    expect(burstInBounds(burst(Array.from({ length: BURST_MAX_LINES }, () => 'x')), 100)).toBe(true);
    expect(burstInBounds(burst(Array.from({ length: BURST_MAX_LINES + 1 }, () => 'x')), 100)).toBe(false);
    expect(burstInBounds(burst(['x'.repeat(100)]), 100)).toBe(true);
    expect(burstInBounds(burst(['x'.repeat(101)]), 100)).toBe(false);
    // Counted in UTF-8 bytes, not UTF-16 units: 34 three-byte characters are 102 bytes.
    expect(burstInBounds(burst(['€'.repeat(34)]), 100)).toBe(false);
    const big = 'x'.repeat(4096);
    expect(burstInBounds(burst(Array.from({ length: BURST_MAX_TEXT_BYTES / 4096 }, () => big)), 4096)).toBe(true);
    expect(burstInBounds(burst(Array.from({ length: BURST_MAX_TEXT_BYTES / 4096 + 1 }, () => big)), 4096)).toBe(false);
    expect(burstInBounds({ ...burst(['x']), signature: new Uint8Array(513) }, 100)).toBe(false);
    expect(burstInBounds({ ...burst(['x']), authorKey: new Uint8Array(1025) }, 100)).toBe(false);
  });
});
