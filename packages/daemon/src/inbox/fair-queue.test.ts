import { describe, expect, it } from 'vitest';
import { createFairQueue } from './fair-queue.js';

describe('fair queue', () => {
  it('serves authors in turns, so a flood waits behind itself', () => {
    const q = createFairQueue<string>();
    for (let i = 0; i < 100; i++) q.push('flood', `f${i}`, 1000);
    q.push('alice', 'a0', 10);
    q.push('bob', 'b0', 10);
    q.push('bob', 'b1', 10);
    // The flood's first record, then alice's, bob's, the flood's second, bob's second: every honest one in batch one.
    expect(q.take(2050)).toEqual(['f0', 'a0', 'b0', 'f1', 'b1']);
    expect(q.take(2050)).toEqual(['f2', 'f3']);
    expect(q.bytesOf('flood')).toBe(96_000);
    expect(q.bytesOf('alice')).toBe(0);
    expect(q.size()).toBe(96);
  });

  it('always takes at least one item, however large', () => {
    const q = createFairQueue<string>();
    q.push('a', 'huge', 10_000);
    q.push('b', 'small', 1);
    expect(q.take(100)).toEqual(['huge']);
    expect(q.take(100)).toEqual(['small']);
    expect(q.take(100)).toEqual([]);
    expect(q.bytes()).toBe(0);
  });

  it('keeps each author in order over many rounds, and takeAll empties it fairly', () => {
    const q = createFairQueue<string>();
    for (let i = 0; i < 3000; i++) q.push(i % 3 === 0 ? 'x' : 'y', String(i), 1);
    const taken = [...q.take(1000), ...q.takeAll()];
    expect(taken).toHaveLength(3000);
    const xs = taken.filter((s) => Number(s) % 3 === 0).map(Number);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(taken.slice(0, 4).map((s) => (Number(s) % 3 === 0 ? 'x' : 'y'))).toEqual(['x', 'y', 'x', 'y']);
  });
});
