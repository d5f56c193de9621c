import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { p2p } from '../codec/wire.js';
import { createMessageSigner } from '../identity/message-signer.js';
import { generateIdentity } from '../identity/node-identity.js';
import { decodeBurstBody, encodeBurstBody } from './burst-body.js';
import { burstSigningBytes, signBurst, verifyBurst } from './burst-signing.js';

const texts = (xs: string[]) => xs.map((text, i) => ({ text, sentAtMs: 1_700_000_000_000 + i }));
const body = (xs: string[]) => encodeBurstBody(texts(xs));
const id = new Uint8Array(16).fill(7);

describe('CliqueLines signatures', () => {
  it('one signature proves a whole burst, and any change to it breaks the proof', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const signed = signBurst(alice, { batchId: id, from: 'alice', to: 'bob', lines: texts(['one', 'two', 'three']) });
    expect(verifyBurst(signed)).toBe(alice.peerId);
    expect(decodeBurstBody(signed.body!)!.map((l) => l.text)).toEqual(['one', 'two', 'three']);
    const flipped = Buffer.from(signed.body!);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 1;
    const changed: p2p.v1.ICliqueLines[] = [
      { ...signed, from: 'alicf' },
      { ...signed, to: '*' },
      { ...signed, batchId: new Uint8Array(16).fill(8) },
      { ...signed, body: body(['one', 'two']) },
      { ...signed, body: body(['three', 'two', 'one']) },
      { ...signed, body: flipped },
      { ...signed, signature: new Uint8Array(64) },
      { ...signed, authorKey: undefined },
      { ...signed, authorId: new Uint8Array(32) },
    ];
    for (const m of changed) expect(verifyBurst(m)).toBeUndefined();
  });

  it('no two different bursts share signing bytes (every field is length-prefixed)', () => {
    const text = fc.string({ maxLength: 6 });
    const bytes = fc.uint8Array({ maxLength: 6 });
    const b = fc.record({ from: text, to: text, body: bytes });
    fc.assert(fc.property(b, b, (x, y) => {
      const same = x.from === y.from && x.to === y.to && Buffer.from(x.body).equals(Buffer.from(y.body));
      const signing = (v: typeof x) => Buffer.from(burstSigningBytes({ batchId: id, ...v })).toString('hex');
      return same === (signing(x) === signing(y));
    }), { numRuns: 2000 });
    expect(burstSigningBytes({ batchId: id, from: 'ab', to: 'c' })).not.toEqual(burstSigningBytes({ batchId: id, from: 'a', to: 'bc' }));
  });
});
