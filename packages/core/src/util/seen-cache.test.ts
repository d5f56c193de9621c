import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { createSeenCache } from './seen-cache.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1000;
  return {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    advance(ms) {
      now += ms;
    },
  };
}

describe('seen-cache', () => {
  it('remembers keys until their TTL runs out', () => {
    const clock = manualClock();
    const cache = createSeenCache({ capacity: 10, ttlMs: 100, clock });
    cache.set('a', true);
    clock.advance(99);
    expect(cache.has('a')).toBe(true);
    clock.advance(1);
    expect(cache.has('a')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently written key when full', () => {
    const clock = manualClock();
    const cache = createSeenCache<number>({ capacity: 3, ttlMs: 1000, clock });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.set('a', 10); // refreshes a: b is now the oldest
    cache.set('d', 4);
    expect(cache.has('b')).toBe(false);
    expect([...cache.entries()].map(([k]) => k)).toEqual(['c', 'a', 'd']);
    expect(cache.get('a')).toBe(10);
    expect(cache.size).toBe(3);
    expect(cache.evictions).toBe(1);
  });

  it('restarts the lifetime of a rewritten key and purges expired keys before evicting live ones', () => {
    const clock = manualClock();
    const cache = createSeenCache({ capacity: 2, ttlMs: 100, clock });
    cache.set('a', true);
    clock.advance(60);
    cache.set('b', true);
    clock.advance(50); // a expired, b alive
    cache.set('c', true);
    expect(cache.evictions).toBe(0);
    expect(cache.has('b')).toBe(true);
    expect(cache.has('c')).toBe(true);
    cache.set('b', true);
    clock.advance(99);
    expect(cache.has('b')).toBe(true);
  });

  it('never grows past its capacity', () => {
    const cache = createSeenCache({ capacity: 100, ttlMs: 1e9, clock: manualClock() });
    for (let i = 0; i < 10_000; i++) cache.set(String(i), true);
    expect(cache.size).toBe(100);
    expect(cache.has('9999')).toBe(true);
    expect(cache.has('9899')).toBe(false);
  });

  it('deletes and clears', () => {
    const cache = createSeenCache({ capacity: 5, ttlMs: 1000, clock: manualClock() });
    cache.set('x', true);
    expect(cache.delete('x')).toBe(true);
    expect(cache.delete('x')).toBe(false);
    cache.set('y', true);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('behaves like a plain ordered list under any mix of writes, deletes, reads and time (model check)', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('set' as const), k: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ t: fc.constant('del' as const), k: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ t: fc.constant('has' as const), k: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ t: fc.constant('tick' as const), k: fc.integer({ min: 1, max: 60 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), fc.integer({ min: 1, max: 8 }), (ops, capacity) => {
      const clock = manualClock();
      const cache = createSeenCache<number>({ capacity, ttlMs: 100, clock });
      let model: { k: string; at: number }[] = [];
      for (const o of ops) {
        const key = String(o.k);
        const now = clock.now();
        model = model.filter((e) => e.at + 100 > now);
        if (o.t === 'tick') clock.advance(o.k);
        else if (o.t === 'del') { model = model.filter((e) => e.k !== key); cache.delete(key); }
        else if (o.t === 'has') expect(cache.has(key)).toBe(model.some((e) => e.k === key));
        else {
          model = model.filter((e) => e.k !== key);
          while (model.length >= capacity) model.shift();
          model.push({ k: key, at: now });
          cache.set(key, o.k);
        }
      }
      expect([...cache.entries()].map(([k]) => k)).toEqual(model.filter((e) => e.at + 100 > clock.now()).map((e) => e.k));
    }), { numRuns: 200 });
  });
});
