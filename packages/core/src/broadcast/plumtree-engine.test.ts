import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import { InvalidPayloadError } from '../errors.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { createBroadcastEngine } from './plumtree-engine.js';
import type { BroadcastEngineInit } from './types.js';

const newPeer = (): PeerIdString => peerIdToString(randomBytes(32));
/** Round-trips through the real codec, as a session would. */
const wire = (e: Envelope): DecodedEnvelope => decodeEnvelope(encodeEnvelope(e));

function setup(mode: BroadcastEngineInit['mode'] = 'plumtree', options: BroadcastEngineInit['options'] = {}) {
  const self = newPeer();
  const sent: { to: PeerIdString; env: Envelope }[] = [];
  const delivered: InboundMessage[] = [];
  const hints: [PeerIdString, PeerIdString][] = [];
  const engine = createBroadcastEngine({
    self,
    onFirstCopy: (origin, via) => hints.push([origin, via]),
    selfName: 'me',
    mode,
    options,
    random: () => 0, // no jitter: graft timers fire exactly at graftTimeoutMs
    send: (to, env) => {
      sent.push({ to, env });
      return true;
    },
    deliver: (m) => delivered.push(m),
  });
  const of = (type: string) => sent.filter((s) => Object.keys(s.env).includes(type));
  return { self, engine, sent, delivered, of, hints };
}

function broadcastFrom(origin: PeerIdString, opts: { id?: Uint8Array; hopCount?: number; maxHops?: number; text?: string } = {}) {
  return wire({
    broadcast: {
      messageId: opts.id ?? randomBytes(16),
      origin: peerIdFromString(origin),
      hopCount: opts.hopCount ?? 0,
      maxHops: opts.maxHops ?? 32,
      chat: { text: opts.text ?? 'hi', fromName: 'origin', sentAtMs: 1234 },
    },
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('plumtree broadcast engine', () => {
  it('pushes a new broadcast eagerly to every neighbour and does not deliver it to itself', () => {
    const { engine, of, delivered } = setup();
    const [a, b, c] = [newPeer(), newPeer(), newPeer()];
    for (const p of [a, b, c]) engine.neighbourUp(p);
    const result = engine.broadcast({ text: 'hello' });
    expect(result.sentTo).toBe(3);
    expect(result.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(of('broadcast').map((s) => s.to).sort()).toEqual([a, b, c].sort());
    const msg = of('broadcast')[0]!.env.broadcast!;
    expect(msg.hopCount).toBe(0);
    expect(msg.maxHops).toBe(32);
    expect(msg.chat?.text).toBe('hello');
    expect(msg.chat?.fromName).toBe('me');
    expect(delivered).toHaveLength(0);
    expect(engine.stats()).toMatchObject({ eagerPeers: 3, lazyPeers: 0, sentPayloads: 3 });
  });

  it('delivers the first copy once, forwards it to the other eager peers with one more hop, and prunes a duplicate link', () => {
    const { engine, of, delivered } = setup();
    const [a, b, c, origin] = [newPeer(), newPeer(), newPeer(), newPeer()];
    for (const p of [a, b, c]) engine.neighbourUp(p);
    const id = randomBytes(16);
    expect(engine.handle(a, broadcastFrom(origin, { id, hopCount: 2 }))).toBe(true);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ kind: 'broadcast', from: origin, fromName: 'origin', text: 'hi', hops: 3, sentAtMs: 1234 });
    expect(delivered[0]!.id).toBe(Buffer.from(id).toString('hex'));
    expect(of('broadcast').map((s) => s.to).sort()).toEqual([b, c].sort());
    expect(of('broadcast')[0]!.env.broadcast!.hopCount).toBe(3);

    engine.handle(b, broadcastFrom(origin, { id, hopCount: 1 }));
    expect(delivered).toHaveLength(1);
    expect(of('prune')).toEqual([{ to: b, env: { prune: { messageId: expect.anything() } } }]);
    expect(engine.stats()).toMatchObject({ delivered: 1, duplicates: 1, sentPrune: 1, eagerPeers: 2, lazyPeers: 1 });

    // The next message goes eagerly to a and c, lazily (IHave after lazyFlushMs) to b.
    const before = of('broadcast').length;
    const next = randomBytes(16);
    engine.handle(c, broadcastFrom(origin, { id: next }));
    expect(of('broadcast').slice(before).map((s) => s.to)).toEqual([a]);
    expect(of('ihave')).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(of('ihave')).toHaveLength(1);
    expect(of('ihave')[0]!.to).toBe(b);
    expect(Buffer.from(of('ihave')[0]!.env.ihave!.messageIds![0]!)).toEqual(Buffer.from(next));
    expect(of('ihave')[0]!.env.ihave!.hopCount).toBe(1);
  });

  it('reports the origin and the neighbour of each first copy as a route hint', () => {
    const { engine, hints } = setup();
    const [a, b, origin] = [newPeer(), newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    const id = randomBytes(16);
    engine.handle(a, broadcastFrom(origin, { id }));
    engine.handle(b, broadcastFrom(origin, { id }));
    expect(hints).toEqual([[origin, a]]);
  });

  it('passes on but never delivers its own message met again after a restart', () => {
    const { self, engine, of, delivered, hints } = setup();
    const [a, b] = [newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    engine.handle(a, broadcastFrom(self));
    expect(delivered).toHaveLength(0);
    expect(hints).toHaveLength(0);
    expect(of('broadcast').map((s) => s.to)).toEqual([b]);
  });

  it('moves a neighbour that prunes into the lazy set', () => {
    const { engine } = setup();
    const a = newPeer();
    engine.neighbourUp(a);
    engine.handle(a, wire({ prune: { messageId: randomBytes(16) } }));
    expect(engine.stats()).toMatchObject({ eagerPeers: 0, lazyPeers: 1 });
  });

  it('grafts from the announcer when an announced message does not arrive in time', () => {
    const { engine, of } = setup('plumtree', { graftTimeoutMs: 200 });
    const [a, b] = [newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    engine.handle(b, wire({ prune: { messageId: randomBytes(16) } }));
    const id = randomBytes(16);
    engine.handle(b, wire({ ihave: { messageIds: [id], hopCount: 1 } }));
    vi.advanceTimersByTime(199);
    expect(of('graft')).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(of('graft')).toHaveLength(1);
    expect(of('graft')[0]!.to).toBe(b);
    expect(Buffer.from(of('graft')[0]!.env.graft!.messageIds![0]!)).toEqual(Buffer.from(id));
    expect(engine.stats()).toMatchObject({ eagerPeers: 2, lazyPeers: 0, sentGraft: 1 });
  });

  it('does not graft when the announced message arrives eagerly first', () => {
    const { engine, of } = setup();
    const [a, b, origin] = [newPeer(), newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    const id = randomBytes(16);
    engine.handle(b, wire({ ihave: { messageIds: [id], hopCount: 1 } }));
    engine.handle(a, broadcastFrom(origin, { id }));
    vi.advanceTimersByTime(5000);
    expect(of('graft')).toHaveLength(0);
    expect(engine.stats().missing).toBe(0);
  });

  it('ignores IHave for messages it already has', () => {
    const { engine, of } = setup();
    const [a, b, origin] = [newPeer(), newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    const id = randomBytes(16);
    engine.handle(a, broadcastFrom(origin, { id }));
    engine.handle(b, wire({ ihave: { messageIds: [id] } }));
    vi.advanceTimersByTime(5000);
    expect(of('graft')).toHaveLength(0);
  });

  it('answers a graft with the cached message and makes the link eager', () => {
    const { engine, of } = setup();
    const a = newPeer();
    engine.neighbourUp(a);
    engine.handle(a, wire({ prune: { messageId: randomBytes(16) } }));
    const { messageId } = engine.broadcast({ text: 'repair me' });
    expect(of('broadcast')).toHaveLength(0);
    engine.handle(a, wire({ graft: { messageIds: [Buffer.from(messageId, 'hex'), randomBytes(16)] } }));
    expect(of('broadcast')).toHaveLength(1);
    expect(of('broadcast')[0]!.env.broadcast!.chat!.text).toBe('repair me');
    expect(engine.stats()).toMatchObject({ eagerPeers: 1, lazyPeers: 0 });
  });

  it('tries the next announcer at once when the grafted peer goes down, then the next after the retry time', () => {
    const { engine, of } = setup('plumtree', { graftTimeoutMs: 100 });
    const [a, b, c] = [newPeer(), newPeer(), newPeer()];
    for (const p of [a, b, c]) engine.neighbourUp(p);
    const id = randomBytes(16);
    for (const p of [a, b, c]) engine.handle(p, wire({ ihave: { messageIds: [id] } }));
    vi.advanceTimersByTime(100);
    expect(of('graft').map((s) => s.to)).toEqual([a]);
    engine.neighbourDown(a);
    vi.advanceTimersByTime(0);
    expect(of('graft').map((s) => s.to)).toEqual([a, b]);
    vi.advanceTimersByTime(50);
    expect(of('graft').map((s) => s.to)).toEqual([a, b, c]);
    vi.advanceTimersByTime(50);
    expect(engine.stats().missing).toBe(0);
  });

  it('forgets announcements of a neighbour that went down before any graft', () => {
    const { engine, of } = setup();
    const a = newPeer();
    engine.neighbourUp(a);
    engine.handle(a, wire({ ihave: { messageIds: [randomBytes(16)] } }));
    engine.neighbourDown(a);
    vi.advanceTimersByTime(5000);
    expect(of('graft')).toHaveLength(0);
    expect(engine.stats()).toMatchObject({ missing: 0, eagerPeers: 0, lazyPeers: 0 });
  });

  it('delivers but does not forward or announce a message at its hop limit', () => {
    const { engine, of, delivered } = setup();
    const [a, b, c, origin] = [newPeer(), newPeer(), newPeer(), newPeer()];
    for (const p of [a, b, c]) engine.neighbourUp(p);
    engine.handle(c, wire({ prune: {} }));
    engine.handle(a, broadcastFrom(origin, { hopCount: 3, maxHops: 4 }));
    vi.advanceTimersByTime(1000);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.hops).toBe(4);
    expect(of('broadcast')).toHaveLength(0);
    expect(of('ihave')).toHaveLength(0);
  });

  it('drops malformed broadcasts and counts them', () => {
    const { engine, delivered } = setup();
    const a = newPeer();
    engine.neighbourUp(a);
    engine.handle(a, wire({ broadcast: { messageId: randomBytes(5), origin: randomBytes(32), chat: { text: 'x' } } }));
    engine.handle(a, wire({ broadcast: { messageId: randomBytes(16), origin: randomBytes(3), chat: { text: 'x' } } }));
    engine.handle(a, wire({ broadcast: { messageId: randomBytes(16), origin: randomBytes(32) } }));
    expect(delivered).toHaveLength(0);
    expect(engine.stats().invalid).toBe(3);
  });

  it('carries opaque data and refuses a payload that is not exactly one of text and data', () => {
    const { engine, of } = setup();
    engine.neighbourUp(newPeer());
    engine.broadcast({ data: new Uint8Array([1, 2, 3]) });
    expect(Buffer.from(of('broadcast')[0]!.env.broadcast!.data!)).toEqual(Buffer.from([1, 2, 3]));
    expect(() => engine.broadcast({})).toThrow(InvalidPayloadError);
    expect(() => engine.broadcast({ text: 'a', data: new Uint8Array(1) })).toThrow(InvalidPayloadError);
  });

  it('keeps pushing to the other neighbours when a send throws', () => {
    const [a, b] = [newPeer(), newPeer()];
    const got: PeerIdString[] = [];
    const engine = createBroadcastEngine({
      self: newPeer(), selfName: 'me', deliver: () => undefined,
      send: (to) => {
        if (to === a) throw new Error('session closed');
        got.push(to);
        return true;
      },
    });
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    expect(engine.broadcast({ text: 'x' }).sentTo).toBe(1);
    expect(got).toEqual([b]);
  });

  it('returns false for envelopes that are not its business', () => {
    const { engine } = setup();
    expect(engine.handle(newPeer(), wire({ ping: { nonce: 1 } }))).toBe(false);
  });

  it('batches IHave announcements per lazy peer', () => {
    const { engine, of } = setup();
    const [a, b, origin] = [newPeer(), newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    engine.handle(b, wire({ prune: {} }));
    for (let i = 0; i < 5; i++) engine.handle(a, broadcastFrom(origin));
    vi.advanceTimersByTime(50);
    expect(of('ihave')).toHaveLength(1);
    expect(of('ihave')[0]!.env.ihave!.messageIds).toHaveLength(5);
    expect(engine.stats().sentIHave).toBe(1);
  });
});

describe('flood broadcast engine', () => {
  it('forwards every first copy to every neighbour but the sender, never prunes and never announces', () => {
    const { engine, of, delivered } = setup('flood');
    const [a, b, c, origin] = [newPeer(), newPeer(), newPeer(), newPeer()];
    for (const p of [a, b, c]) engine.neighbourUp(p);
    const id = randomBytes(16);
    engine.handle(a, broadcastFrom(origin, { id }));
    engine.handle(b, broadcastFrom(origin, { id }));
    engine.handle(c, broadcastFrom(origin, { id }));
    vi.advanceTimersByTime(1000);
    expect(delivered).toHaveLength(1);
    expect(of('broadcast').map((s) => s.to).sort()).toEqual([b, c].sort());
    expect(of('prune')).toHaveLength(0);
    expect(of('ihave')).toHaveLength(0);
    expect(engine.stats()).toMatchObject({ duplicates: 2, eagerPeers: 3, lazyPeers: 0 });
  });
});
