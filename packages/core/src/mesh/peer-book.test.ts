import { describe, expect, it } from 'vitest';
import { PeerBook, backoffDelay } from './peer-book.js';

const id = (c: string): string => c.repeat(52);

describe('PeerBook', () => {
  it('never lets an unverified address replace a verified one', () => {
    const book = new PeerBook(id('a'));
    book.learn({ peerId: id('b'), address: { host: '127.0.0.2', port: 1 } }, 'session', true);
    book.learn({ peerId: id('b'), address: { host: '127.0.0.66', port: 6 } }, 'lan');
    expect(book.get(id('b'))!.address.host).toBe('127.0.0.2');
    book.learn({ peerId: id('c'), address: { host: '127.0.0.3', port: 1 } }, 'lan');
    book.learn({ peerId: id('c'), address: { host: '127.0.0.4', port: 1 } }, 'lan');
    expect(book.get(id('c'))!.address.host).toBe('127.0.0.4');
    expect(book.learn({ peerId: id('a'), address: { host: 'x', port: 1 } }, 'lan')).toBeUndefined();
  });

  it('backs off failed dials and forgets death on a new instance', () => {
    const book = new PeerBook(id('a'));
    book.learn({ peerId: id('b'), address: { host: 'h', port: 1 }, instanceId: '01' }, 'session', true);
    book.reachedAt(id('b'), { host: 'h', port: 1 });
    book.dialFailed(id('b'));
    expect(book.candidates(() => false)).toHaveLength(0);
    book.markDead(id('b'), 60_000);
    expect(book.isDead(id('b'))).toBe(true);
    book.learn({ peerId: id('b'), address: { host: 'h', port: 1 }, instanceId: '02' }, 'lan');
    expect(book.isDead(id('b'))).toBe(false);
    expect(book.candidates(() => false)).toHaveLength(1);
  });

  it('prefers lightly loaded peers and stays bounded', () => {
    const book = new PeerBook(id('a'), 3);
    book.learn({ peerId: id('b'), address: { host: 'h', port: 1 }, load: 40 }, 'seed');
    book.learn({ peerId: id('c'), address: { host: 'h', port: 2 }, load: 0 }, 'seed');
    expect(book.candidates(() => false)[0]!.peerId).toBe(id('c'));
    book.learn({ peerId: id('d'), address: { host: 'h', port: 3 } }, 'seed');
    book.learn({ peerId: id('e'), address: { host: 'h', port: 4 } }, 'seed');
    expect(book.size).toBe(3);
  });

  it('ranks peers that failed recently after the others, whatever their load', () => {
    const book = new PeerBook(id('a'));
    book.learn({ peerId: id('b'), address: { host: 'h', port: 1 }, load: 0 }, 'lan');
    book.learn({ peerId: id('c'), address: { host: 'h', port: 2 }, load: 6 }, 'lan');
    book.markDead(id('b'), 0);
    expect(book.candidates(() => false).map((r) => r.peerId)).toEqual([id('c'), id('b')]);
    expect(book.candidates(() => false, 1).map((r) => r.peerId)).toEqual([id('c')]);
  });

  it('forgets an unproven entry after one failed dial, keeps a proven one', () => {
    const book = new PeerBook(id('a'));
    book.learn({ peerId: id('b'), address: { host: '127.0.0.9', port: 1 } }, 'lan');
    book.learn({ peerId: id('c'), address: { host: '127.0.0.3', port: 1 } }, 'session', true);
    book.reachedAt(id('c'), { host: '127.0.0.3', port: 1 });
    // Vouched for by an inbound session but never dialled: not reached, so forgotten after one failure too.
    book.learn({ peerId: id('d'), address: { host: '127.0.0.4', port: 1 } }, 'session', true);
    expect(book.unprovenCount).toBe(1);
    book.dialFailed(id('d'));
    expect(book.get(id('d'))).toBeUndefined();
    book.dialFailed(id('b'));
    book.dialFailed(id('c'));
    expect(book.get(id('b'))).toBeUndefined();
    expect(book.get(id('c'))!.failures).toBe(1);
    expect(book.unprovenCount).toBe(0);
    // A proven address that turns out to hold another key becomes unproven: its next failure forgets it.
    book.dialFailed(id('c'), true);
    expect(book.unprovenCount).toBe(1);
    book.dialFailed(id('c'));
    expect(book.get(id('c'))).toBeUndefined();
  });

  it('caps unproven entries apart, so forged announcements neither grow the table nor push out proven peers', () => {
    const book = new PeerBook(id('a'), 10_000, {}, 50, 1000);
    for (let i = 0; i < 20; i++) book.learn({ peerId: `p${i}`.padEnd(52, 'x'), address: { host: '127.0.0.2', port: 1000 + i } }, 'session', true);
    for (let i = 0; i < 20_000; i++) book.learn({ peerId: `f${i}`.padEnd(52, 'y'), address: { host: '127.0.0.66', port: 1 } }, 'lan');
    expect(book.unprovenCount).toBe(50);
    expect(book.size).toBe(70);
    // The newest forged entries are the ones kept; every proven peer is still there.
    expect(book.get('f19999'.padEnd(52, 'y'))).toBeDefined();
    expect(book.get('f0'.padEnd(52, 'y'))).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(book.get(`p${i}`.padEnd(52, 'x'))).toBeDefined();
    // An unproven entry proven by a session leaves the unproven count.
    book.learn({ peerId: 'f19999'.padEnd(52, 'y'), address: { host: '127.0.0.7', port: 9 } }, 'session', true);
    expect(book.unprovenCount).toBe(49);
  });

  it('caps unproven entries per host, and shares dial candidates between hosts', () => {
    const book = new PeerBook(id('a'), 10_000, {}, 256, 8);
    book.learn({ peerId: id('h'), address: { host: '127.0.0.2', port: 7070 } }, 'lan');
    for (let i = 0; i < 5000; i++) book.learn({ peerId: `f${i}`.padEnd(52, 'y'), address: { host: '127.0.0.66', port: 1 } }, 'lan');
    // The flooding host churns its own 8 slots; the other host's entry stays.
    expect(book.unprovenCount).toBe(9);
    expect(book.get(id('h'))).toBeDefined();
    // Two dials to spend: one goes to each host, whatever their entry counts.
    for (let round = 0; round < 20; round++) {
      const hosts = book.candidates(() => false, 2).map((r) => r.address.host).sort();
      expect(hosts).toEqual(['127.0.0.2', '127.0.0.66']);
    }
    // A reached peer comes before any other.
    book.learn({ peerId: id('p'), address: { host: '127.0.0.3', port: 7070 } }, 'session', true);
    book.reachedAt(id('p'), { host: '127.0.0.3', port: 7070 });
    expect(book.candidates(() => false, 1)[0]!.peerId).toBe(id('p'));
  });

  it('grows backoff exponentially up to a cap', () => {
    expect(backoffDelay(1)).toBeLessThanOrEqual(625);
    expect(backoffDelay(4)).toBeGreaterThanOrEqual(3000);
    expect(backoffDelay(30)).toBeLessThanOrEqual(37_500);
  });
});
