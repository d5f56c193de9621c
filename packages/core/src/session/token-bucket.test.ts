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
});
