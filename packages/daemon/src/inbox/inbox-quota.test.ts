import { describe, expect, it } from 'vitest';
import { createInboxQuota, resolveInboxLimits } from './inbox-quota.js';

/** A clock the test moves by hand. */
function virtualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('inbox quota (virtual time)', () => {
  it('defaults: 256 MiB in all, a quarter of it per author, 20 messages/s in bursts of 200', () => {
    expect(resolveInboxLimits()).toMatchObject({
      totalBytes: 256 * 1024 * 1024, senderShareBytes: 64 * 1024 * 1024, senderRate: 20, senderBurst: 200,
    });
    expect(resolveInboxLimits({ totalBytes: 1000, senderShareBytes: 5000 }).senderShareBytes).toBe(1000);
  });

  it('refuses past the total, counting what is queued as well as what is stored', () => {
    const clock = virtualClock();
    const q = createInboxQuota({ totalBytes: 1000, senderShareBytes: 1000 }, clock.now, 600);
    expect(q.admit('a', 300)).toBeUndefined();
    expect(q.admit('b', 200)).toBe('total');
    expect(q.usage()).toEqual({ storedBytes: 600, queuedBytes: 300, senders: 0 });
    q.failed('a', 300);
    expect(q.admit('b', 200)).toBeUndefined();
    q.committed('b', 200);
    expect(q.usage()).toMatchObject({ storedBytes: 800, queuedBytes: 0 });
    expect(q.admit('c', 201)).toBe('total');
    expect(q.admit('c', 200)).toBeUndefined();
  });

  it("holds each author to its share, including what was loaded from the file, and frees it on a prune", () => {
    const clock = virtualClock();
    const q = createInboxQuota({ totalBytes: 10_000, senderShareBytes: 1000 }, clock.now, 900);
    q.loaded('flood', 900);
    expect(q.admit('flood', 200)).toBe('sender-share');
    expect(q.admit('honest', 200)).toBeUndefined();
    expect(q.heldBy('honest')).toBe(200);
    q.committed('honest', 200);
    expect(q.heldBy('honest')).toBe(200);
    q.replaceStored(new Map([['honest', 200]]), 200);
    expect(q.heldBy('flood')).toBe(0);
    expect(q.admit('flood', 200)).toBeUndefined();
  });

  it('limits each author to its rate with a burst, refilled as virtual time passes', () => {
    const clock = virtualClock();
    const q = createInboxQuota({ senderRate: 2, senderBurst: 4 }, clock.now);
    const admitted = () => Array.from({ length: 10 }, () => q.admit('fast', 10)).filter((r) => r === undefined).length;
    expect(admitted()).toBe(4);
    expect(q.admit('fast', 10)).toBe('sender-rate');
    // Others are not slowed down by the fast one.
    expect(q.admit('other', 10)).toBeUndefined();
    clock.advance(1000);
    expect(admitted()).toBe(2);
    clock.advance(60_000);
    expect(admitted()).toBe(4);
  });

  it('limits each author to a byte rate; one record larger than the burst passes on a full bucket only', () => {
    const clock = virtualClock();
    const q = createInboxQuota({ senderByteRate: 1000, senderByteBurst: 4000 }, clock.now);
    expect(q.admit('big', 3000)).toBeUndefined();
    expect(q.admit('big', 3000)).toBe('sender-rate');
    clock.advance(2000);
    expect(q.admit('big', 3000)).toBeUndefined();
    clock.advance(10_000);
    expect(q.admit('big', 50_000)).toBeUndefined();
    expect(q.admit('big', 10)).toBe('sender-rate');
  });

  it('takes new limits at once, keeping what is stored (a lower quota refuses until room is made)', () => {
    const clock = virtualClock();
    const q = createInboxQuota({ totalBytes: 1000, senderShareBytes: 1000 }, clock.now, 800);
    q.setLimits({ totalBytes: 500 });
    expect(q.limits).toMatchObject({ totalBytes: 500, senderShareBytes: 125 });
    expect(q.admit('a', 1)).toBe('total');
    expect(q.usage().storedBytes).toBe(800);
    q.setLimits({ totalBytes: 2000, senderShareBytes: 2000 });
    expect(q.admit('a', 1)).toBeUndefined();
  });

  it('tracks a bounded number of authors: the least recently seen one starts over', () => {
    const clock = virtualClock();
    const q = createInboxQuota({ senderRate: 1, senderBurst: 1, maxTrackedSenders: 2 }, clock.now);
    expect(q.admit('a', 1)).toBeUndefined();
    expect(q.admit('a', 1)).toBe('sender-rate');
    expect(q.admit('b', 1)).toBeUndefined();
    expect(q.admit('c', 1)).toBeUndefined(); // 'a' is forgotten
    expect(q.admit('a', 1)).toBeUndefined();
  });
});
