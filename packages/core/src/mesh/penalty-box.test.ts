import { describe, expect, it } from 'vitest';
import { createPenaltyBox } from './penalty-box.js';

describe('createPenaltyBox', () => {
  it('holds a peer until its sentence expires, on virtual time', () => {
    let now = 1000;
    const box = createPenaltyBox({ now: () => now });
    box.add('p', 60_000, 'broadcast flood');
    expect(box.has('p')).toBe(true);
    expect(box.get('p')).toEqual({ peerId: 'p', until: 61_000, reason: 'broadcast flood' });
    now += 59_999;
    expect(box.has('p')).toBe(true);
    now += 1;
    expect(box.has('p')).toBe(false);
    expect(box.list()).toEqual([]);
    expect(box.total).toBe(1);
  });

  it('extends on a repeat offence, never shortens', () => {
    let now = 0;
    const box = createPenaltyBox({ now: () => now });
    box.add('p', 10_000, 'a');
    box.add('p', 1_000, 'b');
    expect(box.get('p')!.until).toBe(10_000);
    now = 5_000;
    box.add('p', 20_000, 'c');
    expect(box.get('p')!.until).toBe(25_000);
    expect(box.total).toBe(1);
  });

  it('stays within its capacity, releasing the soonest first', () => {
    const now = 0;
    const box = createPenaltyBox({ capacity: 3, now: () => now });
    box.add('a', 100, 'x');
    box.add('b', 300, 'x');
    box.add('c', 200, 'x');
    box.add('d', 400, 'x');
    expect(box.list().map((p) => p.peerId).sort()).toEqual(['b', 'c', 'd']);
    box.release('d');
    expect(box.has('d')).toBe(false);
  });
});
