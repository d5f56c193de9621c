import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { silentLogger } from '../util/logger.js';
import type { HostPort } from '../transport/host-port.js';
import { createConnectionManager, type ConnectionManager, type MeshHost, type MeshSession } from './connection-manager.js';
import { PeerBook } from './peer-book.js';

const id = (n: number): string => String.fromCharCode(97 + n).repeat(52);
let manager: ConnectionManager | undefined;
let clock = new VirtualClock(100_000);
beforeEach(() => { clock = new VirtualClock(100_000); });
afterEach(() => manager?.stop());

function fakeHost(sessions: MeshSession[]) {
  const calls = { dials: [] as string[], trims: [] as string[], asks: 0, announces: 0 };
  const host: MeshHost = {
    sessions: () => sessions,
    dialing: () => false,
    dialCount: () => 0,
    dial: (peerId: string, _a: HostPort) => { calls.dials.push(peerId); },
    trim: (peerId) => { calls.trims.push(peerId); },
    askSeeds: () => { calls.asks++; },
    announce: () => { calls.announces++; },
    maintainSeeds: () => undefined,
  };
  return { host, calls };
}
const session = (n: number, load: number, role: MeshSession['role'] = 'peer'): MeshSession =>
  ({ peerId: id(n), role, load, direction: 'outbound', openedAt: clock.now() - 10_000 });
/** Lets a poke's coalescing delay pass on the virtual clock. */
const settle = (): void => clock.advance(25);
const book0 = (): PeerBook => new PeerBook(id(0), undefined, undefined, undefined, undefined, clock);

describe('connection manager', () => {
  it('dials up to the target degree, seeds not counted, lightly loaded first', () => {
    const book = book0();
    for (let i = 2; i < 10; i++) book.learn({ peerId: id(i), address: { host: 'h', port: i }, load: i === 9 ? 0 : 20 }, 'lan');
    const { host, calls } = fakeHost([session(1, 3, 'seed')]);
    manager = createConnectionManager(host, book, { maxConnections: 10, targetDegree: 3, maxInbound: 5 }, silentLogger, 60_000, clock);
    manager.poke();
    settle();
    expect(calls.dials).toHaveLength(3);
    expect(calls.dials[0]).toBe(id(9));
    expect(calls.asks + calls.announces).toBe(0);
  });

  it('asks the seeds and the LAN when it knows too few peers', () => {
    const { host, calls } = fakeHost([]);
    manager = createConnectionManager(host, book0(), { maxConnections: 10, targetDegree: 3, maxInbound: 5 }, silentLogger, 60_000, clock);
    manager.poke();
    settle();
    expect(calls.asks).toBe(1);
    expect(calls.announces).toBe(1);
  });

  it('trims above target only peers that keep their own target without us, and never on a seed', () => {
    const sessions = [session(1, 3), session(2, 9), session(3, 4), session(4, 2)];
    const { host, calls } = fakeHost(sessions);
    manager = createConnectionManager(host, book0(), { maxConnections: 10, targetDegree: 3, maxInbound: 5 }, silentLogger, 60_000, clock);
    manager.poke();
    settle();
    expect(calls.trims).toEqual([id(2)]);
    manager.stop();
    const seed = fakeHost(sessions);
    manager = createConnectionManager(seed.host, book0(), { maxConnections: 10, targetDegree: 3, maxInbound: 5, trim: false }, silentLogger, 60_000, clock);
    manager.poke();
    settle();
    expect(seed.calls.trims).toEqual([]);
  });

  it('refuses inbound sessions over its caps', () => {
    const inbound = (n: number): MeshSession => ({ ...session(n, 1), direction: 'inbound' });
    const full = fakeHost([inbound(1), inbound(2)]);
    manager = createConnectionManager(full.host, book0(), { maxConnections: 10, targetDegree: 3, maxInbound: 2 }, silentLogger, 60_000, clock);
    expect(manager.admitInbound()).toMatch(/max inbound/);
    manager.stop();
    const ok = fakeHost([inbound(1)]);
    manager = createConnectionManager(ok.host, book0(), { maxConnections: 10, targetDegree: 3, maxInbound: 2 }, silentLogger, 60_000, clock);
    expect(manager.admitInbound()).toBeUndefined();
  });

  it('caps dials to unproven addresses node-wide on virtual time, never caps proven ones, and skips excluded peers', () => {
    vi.useFakeTimers();
    try {
      const book = new PeerBook(id(0));
      for (let i = 0; i < 200; i++) book.learn({ peerId: `u${i}`.padEnd(52, 'x'), address: { host: `10.0.${i % 4}.1`, port: i + 1 } }, 'lan');
      book.learn({ peerId: id(1), address: { host: '10.1.0.1', port: 1 } }, 'session', true);
      book.learn({ peerId: id(2), address: { host: '10.1.0.2', port: 1 } }, 'session', true);
      book.reachedAt(id(1), { host: '10.1.0.1', port: 1 });
      book.reachedAt(id(2), { host: '10.1.0.2', port: 1 });
      const { host, calls } = fakeHost([]);
      host.excluded = (peerId) => peerId === id(2);
      manager = createConnectionManager(host, book, { maxConnections: 100, targetDegree: 50, maxInbound: 50, unprovenDialsPerSecond: 2 },
        silentLogger, 100);
      vi.advanceTimersByTime(10_000);
      const unproven = calls.dials.filter((d) => d.startsWith('u'));
      // A burst of 4, then 2 per virtual second.
      expect(unproven.length).toBeGreaterThanOrEqual(20);
      expect(unproven.length).toBeLessThanOrEqual(4 + 2 * 10);
      expect(calls.dials).toContain(id(1));
      expect(calls.dials).not.toContain(id(2));
      expect(manager.stats().unprovenDialsSkipped).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
