import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { v1, type p2p } from '../codec/wire.js';
import { verifyAuthor } from '../identity/message-signer.js';
import { peerIdToString } from '../identity/peer-id.js';
import { broadcastSignedBytes, directAckSignedBytes, directSignedBytes } from './signed-bytes.js';

// proto/vectors-signed/: the exact signed bytes of each kind, with a real signature, for any implementation to check.
const dir = fileURLToPath(new URL('../../../../proto/vectors-signed/', import.meta.url));
const vectors = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) =>
  JSON.parse(readFileSync(dir + f, 'utf8')) as { name: string; kind: 'broadcast' | 'direct' | 'directAck'; json: object; signedHex: string });

const bytesOf = {
  broadcast: (m: p2p.v1.IBroadcast) => broadcastSignedBytes(m),
  direct: (m: p2p.v1.IDirect) => directSignedBytes(m),
  directAck: (m: p2p.v1.IDirectAck) => directAckSignedBytes(m),
};
const authorOf = (kind: string, m: { origin?: Uint8Array | null; from?: Uint8Array | null }) => (kind === 'broadcast' ? m.origin : m.from)!;

describe('canonical signed bytes', () => {
  it('has a vector for every signed kind', () => {
    expect(new Set(vectors.map((v) => v.kind))).toEqual(new Set(['broadcast', 'direct', 'directAck']));
  });

  for (const v of vectors) {
    it(`${v.name}: gives exactly the vector's bytes, and its real signature verifies`, () => {
      const m = v1.Envelope.fromObject({ [v.kind]: v.json })[v.kind] as p2p.v1.IBroadcast & p2p.v1.IDirect & p2p.v1.IDirectAck;
      const bytes = bytesOf[v.kind](m);
      expect(Buffer.from(bytes).toString('hex')).toBe(v.signedHex);
      expect(verifyAuthor(peerIdToString(authorOf(v.kind, m)), m.authorKey!, m.signature!, bytes)).toBe(true);
      // The hop count changes on the way and is not covered; anything else is.
      expect(Buffer.from(bytesOf[v.kind]({ ...m, hopCount: 99 })).toString('hex')).toBe(v.signedHex);
      const changed = { ...m, messageId: new Uint8Array(16) };
      expect(verifyAuthor(peerIdToString(authorOf(v.kind, m)), m.authorKey!, m.signature!, bytesOf[v.kind](changed))).toBe(false);
    });
  }

  it('covers every signed field: text, name, time, max hops, recipient, status, sealed parts', () => {
    const base: p2p.v1.IDirect = { messageId: new Uint8Array(16), from: new Uint8Array(32), to: new Uint8Array(32).fill(1), maxHops: 8, chat: { text: 'a', fromName: 'n', sentAtMs: 5 } };
    const ref = Buffer.from(directSignedBytes(base)).toString('hex');
    for (const variant of [
      { ...base, chat: { ...base.chat, text: 'b' } }, { ...base, chat: { ...base.chat, fromName: 'm' } }, { ...base, chat: { ...base.chat, sentAtMs: 6 } },
      { ...base, maxHops: 9 }, { ...base, to: new Uint8Array(32).fill(2) }, { ...base, chat: undefined, data: new Uint8Array([0x61]) },
      { ...base, chat: undefined, sealedEnc: new Uint8Array([1]), sealedPayload: new Uint8Array([2]) },
    ]) expect(Buffer.from(directSignedBytes(variant)).toString('hex')).not.toBe(ref);
    const ack: p2p.v1.IDirectAck = { messageId: new Uint8Array(16), to: new Uint8Array(32), from: new Uint8Array(32), status: 1 };
    expect(Buffer.from(directAckSignedBytes({ ...ack, status: 2 })).equals(Buffer.from(directAckSignedBytes(ack)))).toBe(false);
    // Length prefixes keep fields apart: moving a character from text to name changes the bytes.
    const b1 = broadcastSignedBytes({ messageId: new Uint8Array(16), origin: new Uint8Array(32), chat: { text: 'ab', fromName: 'c' } });
    const b2 = broadcastSignedBytes({ messageId: new Uint8Array(16), origin: new Uint8Array(32), chat: { text: 'a', fromName: 'bc' } });
    expect(Buffer.from(b1).equals(Buffer.from(b2))).toBe(false);
  });
});
