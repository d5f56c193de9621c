import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { InboundMessage, PeerIdString } from '../node/types.js';
import { createBroadcastEngine } from './plumtree-engine.js';
import type { BroadcastAuthenticator } from './types.js';

const newPeer = (): PeerIdString => peerIdToString(randomBytes(32));
const wire = (e: Envelope): DecodedEnvelope => decodeEnvelope(encodeEnvelope(e));

// A crypto-free authenticator: the "signature" must equal the origin's peer ID bytes.
const fakeAuth = (self: PeerIdString, checked: PeerIdString[]): BroadcastAuthenticator => ({
  sign: () => ({ authorKey: new Uint8Array([7]), signature: peerIdFromString(self) }),
  verify: (from, b) => {
    checked.push(from);
    return !!b.signature && !!b.origin && Buffer.from(b.signature).equals(Buffer.from(b.origin));
  },
});

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('plumtree engine with an authenticator', () => {
  function setup() {
    const self = newPeer();
    const sent: { to: PeerIdString; env: Envelope }[] = [];
    const delivered: InboundMessage[] = [];
    const checked: PeerIdString[] = [];
    const engine = createBroadcastEngine({
      self, selfName: 'me', auth: fakeAuth(self, checked), random: () => 0,
      send: (to, env) => { sent.push({ to, env }); return true; },
      deliver: (m) => delivered.push(m),
    });
    return { self, engine, sent, delivered, checked };
  }

  it('signs what it starts', () => {
    const { self, engine, sent } = setup();
    engine.neighbourUp(newPeer());
    engine.broadcast({ text: 'hi' });
    const b = sent[0]!.env.broadcast!;
    expect(Buffer.from(b.signature!).equals(Buffer.from(peerIdFromString(self)))).toBe(true);
    expect(b.authorKey).toEqual(new Uint8Array([7]));
  });

  it('drops a forgery before delivering or relaying it and does not mark its ID seen; relays the genuine one unchanged', () => {
    const { engine, sent, delivered, checked } = setup();
    const [mallory, other] = [newPeer(), newPeer()];
    engine.neighbourUp(mallory);
    engine.neighbourUp(other);
    const origin = newPeer();
    const id = randomBytes(16);
    const base = { messageId: id, origin: peerIdFromString(origin), hopCount: 0, maxHops: 8, chat: { text: 'x', fromName: 'o', sentAtMs: 1 } };
    engine.handle(mallory, wire({ broadcast: { ...base, authorKey: new Uint8Array([7]), signature: peerIdFromString(mallory) } }));
    expect(delivered).toHaveLength(0);
    expect(sent.filter((s) => s.env.broadcast)).toHaveLength(0);
    expect(engine.stats().rejected).toBe(1);
    expect(checked).toEqual([mallory]);
    engine.handle(other, wire({ broadcast: { ...base, authorKey: new Uint8Array([7]), signature: peerIdFromString(origin) } }));
    expect(delivered.map((m) => m.from)).toEqual([origin]);
    const relayed = sent.filter((s) => s.env.broadcast).map((s) => s.env.broadcast!);
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ hopCount: 1, maxHops: 8 });
    expect([...relayed[0]!.authorKey!]).toEqual([7]);
    expect(Buffer.from(relayed[0]!.signature!).equals(Buffer.from(peerIdFromString(origin)))).toBe(true);
    // Later copies are duplicates: not checked again.
    engine.handle(mallory, wire({ broadcast: { ...base, authorKey: new Uint8Array([7]), signature: peerIdFromString(origin) } }));
    expect(checked).toHaveLength(2);
  });
});
