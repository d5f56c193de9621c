import { describe, expect, it } from 'vitest';
import type { p2p } from '../codec/wire.js';
import { createMessageSigner } from '../identity/message-signer.js';
import { generateIdentity } from '../identity/node-identity.js';
import { peerIdFromString } from '../identity/peer-id.js';
import { createLineVerifier, LINE_BATCH_MAX, signLines, verifyLine } from './line-signing.js';

const line = (i: number): p2p.v1.ICliqueMessage => ({
  messageId: new Uint8Array(16).fill(i), from: 'alice', to: 'bob', chat: { text: `line ${i}`, fromName: 'alice', sentAtMs: 1000 + i },
});

describe('burst signatures', () => {
  it('one signature proves every line of a burst, each on its own and through one shared verifier', async () => {
    const alice = createMessageSigner(await generateIdentity());
    for (const n of [1, 2, 5, LINE_BATCH_MAX]) {
      const signed = signLines(alice, Array.from({ length: n }, (_, i) => line(i)));
      expect(new Set(signed.map((m) => Buffer.from(m.signature!).toString('hex'))).size).toBe(1);
      const verify = createLineVerifier();
      for (const m of signed) {
        expect(verifyLine(m)).toBe(alice.peerId);
        expect(verify(m)).toBe(alice.peerId);
      }
    }
  });

  it('any change to a line breaks the proof, even once the burst is known; a wrong place or path breaks a cold one', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const signed = signLines(alice, Array.from({ length: 7 }, (_, i) => line(i)));
    const verify = createLineVerifier();
    expect(verify(signed[0]!)).toBe(alice.peerId);
    const m = signed[3]!;
    for (const bad of [
      { ...m, chat: { ...m.chat, text: 'changed' } }, { ...m, to: 'carol' }, { ...m, from: 'mallory' },
      { ...m, chat: { ...m.chat, sentAtMs: 1 } }, { ...m, messageId: new Uint8Array(16) }, { ...m, batchSize: 0 }, { ...m, signature: undefined },
    ]) {
      expect(verify(bad)).toBeUndefined();
      expect(verifyLine(bad)).toBeUndefined();
    }
    // The place and the path are not what the author said: a verifier that already holds the burst's nodes may
    // prove the unchanged line without them; one that holds nothing needs them exact.
    for (const bad of [{ ...m, batchIndex: 4 }, { ...m, batchSize: 8 }, { ...m, batchPath: signed[4]!.batchPath }, { ...m, batchPath: m.batchPath!.slice(1) }]) {
      expect(verifyLine(bad)).toBeUndefined();
    }
    expect(verify(m)).toBe(alice.peerId);
  });

  it('a node proven for one author proves nothing for another', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const mallory = createMessageSigner(await generateIdentity());
    const verify = createLineVerifier();
    const signed = signLines(alice, [line(1), line(2)]);
    expect(verify(signed[0]!)).toBe(alice.peerId);
    // Mallory replays Alice's line under his own ID and key: the remembered tree nodes are Alice's, not his.
    const stolen = { ...signed[1]!, authorId: peerIdFromString(mallory.peerId), authorKey: mallory.publicKey };
    expect(verify(stolen)).toBeUndefined();
  });

  it('keeps its memory bounded and still proves every line when the memory is tiny', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const verify = createLineVerifier(4);
    const signed = signLines(alice, Array.from({ length: LINE_BATCH_MAX }, (_, i) => line(i)));
    for (const m of signed) expect(verify(m)).toBe(alice.peerId);
    expect(() => signLines(alice, Array.from({ length: LINE_BATCH_MAX + 1 }, (_, i) => line(i)))).toThrow(expect.objectContaining({ code: 'ERR_MERKLE_TREE_SIZE' }));
  });

  it('refuses bursts larger than any client makes, and paths longer than such a burst needs', async () => {
    const alice = createMessageSigner(await generateIdentity());
    const [m] = signLines(alice, [line(1)]);
    expect(verifyLine({ ...m!, batchSize: 1 << 20 })).toBeUndefined();
    expect(verifyLine({ ...m!, batchPath: Array.from({ length: 17 }, () => new Uint8Array(32)) })).toBeUndefined();
  });
});
