import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../codec/envelope-codec.js';
import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import { MessageTooLargeError, RateLimitedError } from '../errors.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { Clock } from '../util/clock.js';
import { createFloodGuard } from './flood-guard.js';
import { MAX_CHAT_TEXT_BYTES } from '../message/payload.js';
import { createBroadcastEngine } from './plumtree-engine.js';

const newPeer = (): PeerIdString => peerIdToString(randomBytes(32));
const wire = (e: Envelope): DecodedEnvelope => decodeEnvelope(encodeEnvelope(e));
const broadcastFrom = (origin: PeerIdString, text = 'hi'): DecodedEnvelope => wire({
  broadcast: { messageId: randomBytes(16), origin: peerIdFromString(origin), hopCount: 0, maxHops: 32, chat: { text, fromName: 'o' } },
});

/** A clock whose time the test moves; timers are never needed by what is tested here. */
function virtualClock(): Clock & { t: number } {
  return { t: 0, now() { return this.t; }, setTimeout: () => 0, clearTimeout: () => undefined };
}

function setup() {
  const clock = virtualClock();
  const self = newPeer();
  const sent: { to: PeerIdString; env: Envelope; lane?: string }[] = [];
  const delivered: InboundMessage[] = [];
  const abuse: PeerIdString[] = [];
  const engine = createBroadcastEngine({
    self, selfName: 'me', clock, random: () => 0,
    floodGuard: createFloodGuard({ ratePerSecond: 50, burst: 300, now: () => clock.now() }),
    onAbuse: (peer) => abuse.push(peer),
    send: (to, env, lane) => { sent.push({ to, env, lane }); return true; },
    deliver: (m) => delivered.push(m),
  });
  return { clock, self, engine, sent, delivered, abuse };
}

describe('broadcast engine under a flood (virtual time)', () => {
  it('drops an origin\'s excess where first seen, relays none of it, and still passes an honest origin', () => {
    const { clock, engine, sent, delivered, abuse } = setup();
    const [flooder, honest, third] = [newPeer(), newPeer(), newPeer()];
    for (const p of [flooder, honest, third]) engine.neighbourUp(p);
    // 1,900 per second for 5 s, in 10 ms steps.
    for (let step = 0; step < 500; step++) {
      clock.t = step * 10;
      for (let i = 0; i < 19; i++) engine.handle(flooder, broadcastFrom(flooder));
      if (abuse.length > 0) break;
    }
    expect(abuse).toEqual([flooder]);
    const flooded = delivered.length;
    expect(flooded).toBeLessThanOrEqual(300 + 50 * (clock.t / 1000) + 1);
    expect(engine.stats().rateLimited).toBeGreaterThan(0);
    // Relayed copies are exactly the admitted ones (two other neighbours each), on the flooder's lane.
    const relayed = sent.filter((s) => s.env.broadcast);
    expect(relayed.length).toBe(flooded * 2);
    expect(new Set(relayed.map((s) => s.lane))).toEqual(new Set([flooder]));
    engine.handle(honest, broadcastFrom(honest, 'honest line'));
    expect(delivered.at(-1)?.text).toBe('honest line');
    expect(sent.at(-1)).toMatchObject({ to: third, lane: honest });
  });

  it('drops a text over the size limit on receipt and never relays it', () => {
    const { engine, sent, delivered } = setup();
    const [a, b] = [newPeer(), newPeer()];
    engine.neighbourUp(a);
    engine.neighbourUp(b);
    engine.handle(a, broadcastFrom(a, 'x'.repeat(MAX_CHAT_TEXT_BYTES + 1)));
    expect(delivered).toHaveLength(0);
    expect(sent).toHaveLength(0);
    expect(engine.stats().tooLarge).toBe(1);
    engine.handle(a, broadcastFrom(a, 'é'.repeat(MAX_CHAT_TEXT_BYTES / 2)));
    expect(delivered).toHaveLength(1);
  });

  it('refuses this node\'s own broadcasts past its budget or the size limit, with typed errors', () => {
    const { engine } = setup();
    engine.neighbourUp(newPeer());
    expect(() => engine.broadcast({ text: 'y'.repeat(MAX_CHAT_TEXT_BYTES + 1) })).toThrow(MessageTooLargeError);
    for (let i = 0; i < 300; i++) engine.broadcast({ text: `line ${i}` });
    expect(() => engine.broadcast({ text: 'one more' })).toThrow(RateLimitedError);
  });
});
