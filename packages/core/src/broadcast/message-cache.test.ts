import { describe, expect, it } from 'vitest';
import type { Clock } from '../util/clock.js';
import { createMessageCache } from './message-cache.js';

describe('message-cache', () => {
  it('keeps the newest messages up to its capacity and for its TTL', () => {
    let now = 0;
    const clock: Clock = { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined };
    const cache = createMessageCache({ capacity: 2, ttlMs: 500, clock });
    const msg = (n: number) => ({ messageId: new Uint8Array(16).fill(n), hopCount: n, maxHops: 32 });
    cache.put('1', msg(1));
    cache.put('2', msg(2));
    cache.put('3', msg(3));
    expect(cache.get('1')).toBeUndefined();
    expect(cache.get('2')?.hopCount).toBe(2);
    expect(cache.size).toBe(2);
    now = 500;
    expect(cache.get('3')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
