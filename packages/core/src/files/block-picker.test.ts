import { describe, expect, it } from 'vitest';
import { BlockPicker } from './block-picker.js';

// A deterministic PRNG (mulberry32), so every run picks the same blocks.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('BlockPicker', () => {
  it('hands out every block exactly once across sources, in runs inside aligned chunks', () => {
    const p = new BlockPicker({ blocks: 103, maxRun: 4, random: rng(1) });
    const seen = new Map<number, string>();
    for (let k = 0; ; k++) {
      const src = `s${k % 3}`;
      const run = p.pick(src);
      if (!run || p.inFlightCount === 0) break;
      expect(run.count).toBeGreaterThanOrEqual(1);
      expect(Math.floor(run.index / 4)).toBe(Math.floor((run.index + run.count - 1) / 4));
      let fresh = false;
      for (let i = run.index; i < run.index + run.count; i++) {
        if (!seen.has(i)) { seen.set(i, src); fresh = true; }
      }
      if (!fresh) break; // the endgame began: every block is out
    }
    expect(seen.size).toBe(103);
  });

  it('is random-first: two pickers with different seeds start in different places', () => {
    const a = new BlockPicker({ blocks: 1000, maxRun: 1, random: rng(1) }).pick('x')!.index;
    const b = new BlockPicker({ blocks: 1000, maxRun: 1, random: rng(2) }).pick('x')!.index;
    expect(a).not.toBe(b);
  });

  it('sequential: hands out the lowest free run first, and a released run again before later ones', () => {
    const p = new BlockPicker({ blocks: 20, maxRun: 4, random: rng(6), sequential: true, verified: [1] });
    expect(p.pick('a')).toEqual({ index: 0, count: 1 });
    expect(p.pick('a')).toEqual({ index: 2, count: 2 });
    expect(p.pick('b')).toEqual({ index: 4, count: 4 });
    p.release('a', { index: 2, count: 2 });
    expect(p.pick('b')).toEqual({ index: 2, count: 2 });
    expect(p.pick('a')).toEqual({ index: 8, count: 4 });
  });

  it('never hands out a block verified before the run (resume)', () => {
    const verified = Array.from({ length: 50 }, (_, i) => i * 2);
    const p = new BlockPicker({ blocks: 100, maxRun: 8, random: rng(3), verified });
    const out = new Set<number>();
    for (;;) {
      const r = p.pick('a');
      if (!r) break;
      for (let i = r.index; i < r.index + r.count; i++) out.add(i);
      for (let i = r.index; i < r.index + r.count; i++) p.verifiedBlock(i);
    }
    expect([...out].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2 + 1));
    expect(p.complete).toBe(true);
  });

  it('gives a dropped source\'s blocks to the others', () => {
    const p = new BlockPicker({ blocks: 8, maxRun: 8, random: rng(4) });
    const r = p.pick('dead')!;
    expect(r).toEqual({ index: 0, count: 8 });
    // Endgame: the live source may only double up, never steal, while the dead one still has them.
    const doubled = p.pick('live')!;
    expect(doubled.count).toBe(1);
    p.release('dead', r);
    const got = new Set<number>([doubled.index]);
    for (let run = p.pick('live'); run; run = p.pick('live')) {
      for (let i = run.index; i < run.index + run.count; i++) got.add(i);
      if (got.size === 8) break;
    }
    expect(got.size).toBe(8);
  });

  it('endgame: asks a second source for an in-flight block once, and a late copy is not verified twice', () => {
    const p = new BlockPicker({ blocks: 2, maxRun: 2, random: rng(5) });
    expect(p.pick('a')).toEqual({ index: 0, count: 2 });
    const dup = p.pick('b')!;
    expect(dup.count).toBe(1);
    expect(p.pick('b')).toEqual({ index: 1 - dup.index, count: 1 });
    expect(p.pick('b')).toBeUndefined(); // nothing left b has not asked for
    expect(p.pick('c')).toBeUndefined(); // two copies at most
    expect(p.verifiedBlock(dup.index)).toBe(true);
    expect(p.verifiedBlock(dup.index)).toBe(false);
    expect(p.verifiedBlock(1 - dup.index)).toBe(true);
    expect(p.complete).toBe(true);
  });
});
