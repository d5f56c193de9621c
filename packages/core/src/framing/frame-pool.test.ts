import { describe, expect, it } from 'vitest';
import { FramePool } from './frame-pool.js';

describe('FramePool', () => {
  it('reuses a buffer given back, for a frame of about its size', () => {
    const pool = new FramePool(1024 * 1024);
    const a = pool.take(300 * 1024);
    expect(a.length).toBe(300 * 1024);
    pool.give(a);
    expect(pool.bytes).toBe(320 * 1024);
    const b = pool.take(290 * 1024);
    expect(b.buffer).toBe(a.buffer);
    expect(pool.bytes).toBe(0);
    // Far smaller frames do not pin a large buffer.
    pool.give(b);
    expect(pool.take(10 * 1024).buffer).not.toBe(a.buffer);
  });

  it('keeps at most maxBytes free, and refuses buffers it did not make', () => {
    const pool = new FramePool(128 * 1024);
    const bufs = [pool.take(64 * 1024), pool.take(64 * 1024), pool.take(64 * 1024)];
    for (const b of bufs) pool.give(b);
    expect(pool.bytes).toBe(128 * 1024);
    pool.give(Buffer.alloc(16).subarray(1));
    pool.give(Buffer.allocUnsafeSlow(64 * 1024));
    expect(pool.bytes).toBe(128 * 1024);
  });

  it('takes back a buffer through any view of it, once', () => {
    const pool = new FramePool(1024 * 1024);
    const a = pool.take(100 * 1024);
    pool.give(a.subarray(10, 20));
    pool.give(a);
    expect(pool.bytes).toBe(128 * 1024);
  });
});
