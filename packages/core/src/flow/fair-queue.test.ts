import { describe, expect, it } from 'vitest';
import { createFairQueue } from './fair-queue.js';

describe('createFairQueue', () => {
  it('serves keys in turn, one item each, whatever the backlog of one key', () => {
    const q = createFairQueue<string>({ maxPerKey: 1000, maxTotal: 10_000 });
    for (let i = 0; i < 500; i++) q.push('flooder', `f${i}`);
    q.push('honest', 'h0');
    q.push('other', 'o0');
    const order = [q.shift()!.item, q.shift()!.item, q.shift()!.item, q.shift()!.item];
    expect(order).toEqual(['f0', 'h0', 'o0', 'f1']);
    expect(q.length).toBe(498);
    expect(q.keys).toBe(1);
  });

  it('keeps FIFO order within a key', () => {
    const q = createFairQueue<number>({ maxPerKey: 10, maxTotal: 10 });
    for (let i = 0; i < 5; i++) q.push('a', i);
    const out: number[] = [];
    for (let x = q.shift(); x; x = q.shift()) out.push(x.item);
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(q.shift()).toBeUndefined();
  });

  it('refuses beyond the per-key bound and the total bound, by weight', () => {
    const q = createFairQueue<Uint8Array>({ maxPerKey: 100, maxTotal: 150, weigh: (b) => b.length });
    expect(q.push('a', new Uint8Array(60))).toBe(true);
    expect(q.push('a', new Uint8Array(60))).toBe(false);
    expect(q.push('b', new Uint8Array(60))).toBe(true);
    expect(q.push('c', new Uint8Array(60))).toBe(false);
    expect(q.weight).toBe(120);
    expect(q.weightOf('a')).toBe(60);
    q.shift();
    expect(q.push('c', new Uint8Array(60))).toBe(true);
  });

  it('drops one key, or everything', () => {
    const q = createFairQueue<number>({ maxPerKey: 10, maxTotal: 100 });
    q.push('a', 1); q.push('a', 2); q.push('b', 3);
    q.drop('a');
    expect(q.length).toBe(1);
    expect(q.shift()).toEqual({ key: 'b', item: 3 });
    q.push('c', 4);
    q.clear();
    expect(q.length).toBe(0);
    expect(q.weight).toBe(0);
  });

  it('stays correct over many compactions', () => {
    const q = createFairQueue<number>({ maxPerKey: 100_000, maxTotal: 100_000 });
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 3000; i++) q.push('a', next++);
      for (let i = 0; i < 2500; i++) expect(q.shift()!.item).toBe(expected++);
    }
    expect(q.length).toBe(next - expected);
  });
});

describe('fair queue batches (the inbox group commit)', () => {
  const weighed = () => createFairQueue<{ id: string; bytes: number }>({ maxPerKey: Infinity, maxTotal: Infinity, weigh: (x) => x.bytes });
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  it('serves authors in turns, so a flood waits behind itself', () => {
    const q = weighed();
    for (let i = 0; i < 100; i++) q.push('flood', { id: `f${i}`, bytes: 1000 });
    q.push('alice', { id: 'a0', bytes: 10 });
    q.push('bob', { id: 'b0', bytes: 10 });
    q.push('bob', { id: 'b1', bytes: 10 });
    // The flood's first record, then alice's, bob's, the flood's second, bob's second: every honest one in batch one.
    expect(ids(q.take(2050))).toEqual(['f0', 'a0', 'b0', 'f1', 'b1']);
    expect(ids(q.take(2050))).toEqual(['f2', 'f3']);
    expect(q.weightOf('flood')).toBe(96_000);
    expect(q.weightOf('alice')).toBe(0);
    expect(q.length).toBe(96);
  });

  it('always takes at least one item, however large', () => {
    const q = weighed();
    q.push('a', { id: 'huge', bytes: 10_000 });
    q.push('b', { id: 'small', bytes: 1 });
    expect(ids(q.take(100))).toEqual(['huge']);
    expect(ids(q.take(100))).toEqual(['small']);
    expect(q.take(100)).toEqual([]);
    expect(q.weight).toBe(0);
  });

  it('keeps each author in order over many rounds, and empties fairly', () => {
    const q = weighed();
    for (let i = 0; i < 3000; i++) q.push(i % 3 === 0 ? 'x' : 'y', { id: String(i), bytes: 1 });
    const taken = ids([...q.take(1000), ...q.take(Infinity)]);
    expect(taken).toHaveLength(3000);
    const xs = taken.filter((s) => Number(s) % 3 === 0).map(Number);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(taken.slice(0, 4).map((s) => (Number(s) % 3 === 0 ? 'x' : 'y'))).toEqual(['x', 'y', 'x', 'y']);
  });
});
