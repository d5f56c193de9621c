import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then the refill rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    let ok = 0;
    for (let i = 0; i < 20; i++) if (bucket.take()) ok++;
    expect(ok).toBe(5);
    now += 1000;
    ok = 0;
    for (let i = 0; i < 20; i++) if (bucket.take()) ok++;
    expect(ok).toBe(5);
    now += 300;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('takes several at once or none, may be overspent, and says when tokens will be there', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    expect(bucket.take(6)).toBe(false);
    expect(bucket.available()).toBe(5);
    expect(bucket.take(5)).toBe(true);
    expect(bucket.msUntil()).toBe(100);
    bucket.spend(2);
    expect(bucket.available()).toBe(-2);
    expect(bucket.msUntil(1)).toBe(300);
    now += 300;
    expect(bucket.msUntil(1)).toBe(0);
    expect(bucket.take()).toBe(true);
  });
});
