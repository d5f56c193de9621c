import { afterEach, describe, expect, it } from 'vitest';
import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { silentLogger } from '../util/logger.js';
import { createSeedService, type SeedService, type SeedSession } from './seed-service.js';

const id = (n: number): string => peerIdToString(new Uint8Array(32).fill(n));

/** A seed session that records what is sent on it. */
function fakeSession(peer: string): SeedSession & { sent: Envelope[] } {
  const sent: Envelope[] = [];
  return {
    state: 'open', remotePeerId: peer, remoteAddress: { host: '127.0.0.1', port: 9 }, direction: 'outbound', sent,
    send(env) { sent.push(env); return true; },
  };
}

const envelope = (e: Envelope): DecodedEnvelope => ({ ...e, body: Object.keys(e)[0] }) as unknown as DecodedEnvelope;

let service: SeedService | undefined;
afterEach(() => service?.stop());

describe('seed service (virtual time)', () => {
  it('registers with a seed at once, then renews every third of the TTL granted (its own TTL when unanswered)', () => {
    const clock = new VirtualClock(0);
    service = createSeedService({
      isSeed: false, ttlMs: 30_000, peerLimit: 50, logger: silentLogger, clock,
      self: () => ({ peerId: peerIdFromString(id(1)), name: 'me', port: 7070 }),
      connected: () => [], onPeers: () => undefined, confirmDead: async () => true,
    });
    const seed = fakeSession(id(2));
    service.seedSessionOpened(seed);
    const registers = () => seed.sent.filter((e) => e.register).length;
    expect(registers()).toBe(1);
    expect(seed.sent.some((e) => e.peerListRequest)).toBe(true);
    service.handle(seed, envelope({ registerAck: { ttlMs: 6000, knownPeers: 1 } }));
    clock.advance(1999);
    expect(registers()).toBe(1);
    clock.advance(1);
    expect(registers()).toBe(2);
    // No answer to that renewal: the next one comes a third of this node's own TTL later.
    clock.advance(9999);
    expect(registers()).toBe(2);
    clock.advance(1);
    expect(registers()).toBe(3);
  });

  it('on a seed, forgets a registration that is not renewed within its TTL', () => {
    const clock = new VirtualClock(0);
    service = createSeedService({
      isSeed: true, ttlMs: 3000, peerLimit: 50, logger: silentLogger, clock,
      self: () => ({ peerId: peerIdFromString(id(1)), name: 'seed', port: 7070 }),
      connected: () => [], onPeers: () => undefined, confirmDead: async () => true,
    });
    const peer = fakeSession(id(3));
    service.handle(peer, envelope({ register: { peer: { name: 'p', port: 7071 } } }));
    expect(peer.sent[0]?.registerAck?.ttlMs).toBe(3000);
    clock.advance(2999);
    expect(service.registry!.has(id(3))).toBe(true);
    clock.advance(1);
    expect(service.registry!.has(id(3))).toBe(false);
  });
});
