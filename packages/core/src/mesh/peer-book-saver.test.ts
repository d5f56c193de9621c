import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { createPeerBookSaver } from './peer-book-saver.js';

/** A saver over a mutable "book" text, recording every write. */
function setup(opts: { initial?: string; fail?: () => boolean } = {}) {
  const clock = new VirtualClock(0);
  const state = { text: 'a', writes: [] as string[], errors: 0 };
  const saver = createPeerBookSaver({
    clock, intervalMs: 10_000, initial: opts.initial,
    snapshot: () => state.text,
    write: async (t) => {
      if (opts.fail?.()) throw new Error('disk full');
      state.writes.push(t);
    },
    onError: () => { state.errors++; },
  });
  return { clock, state, saver };
}

/** Lets the saver's promise chain run after a timer fired. */
const settle = async (): Promise<void> => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

describe('peer book saver', () => {
  it('writes a changed book once per interval at most, and not before the first interval', async () => {
    const { clock, state, saver } = setup();
    saver.start();
    clock.advance(9_999);
    await settle();
    expect(state.writes).toEqual([]);
    clock.advance(1);
    await settle();
    expect(state.writes).toEqual(['a']);
    // Changing constantly still gives one write per interval.
    for (let i = 0; i < 10; i++) { state.text = `b${i}`; clock.advance(1_000); await settle(); }
    expect(state.writes).toEqual(['a', 'b9']);
    saver.start(); // a second start is a no-op, not a second timer
    for (let i = 0; i < 10; i++) { state.text = `c${i}`; clock.advance(1_000); await settle(); }
    expect(state.writes).toEqual(['a', 'b9', 'c9']);
    await saver.stop();
  });

  it('does not rewrite an unchanged book, including the one loaded at start', async () => {
    const { clock, state, saver } = setup({ initial: 'a' });
    saver.start();
    for (let i = 0; i < 5; i++) { clock.advance(10_000); await settle(); }
    expect(state.writes).toEqual([]);
    await saver.stop();
    expect(state.writes).toEqual([]);
  });

  it('writes the last change on stop, then never again', async () => {
    const { clock, state, saver } = setup({ initial: 'a' });
    saver.start();
    state.text = 'z';
    clock.advance(3_000);
    await saver.stop();
    expect(state.writes).toEqual(['z']);
    state.text = 'y';
    clock.advance(60_000);
    await settle();
    expect(state.writes).toEqual(['z']);
  });

  it('reports a failed write and tries again at the next interval', async () => {
    let failing = true;
    const { clock, state, saver } = setup({ fail: () => failing });
    saver.start();
    clock.advance(10_000);
    await settle();
    expect(state.errors).toBe(1);
    failing = false;
    clock.advance(10_000);
    await settle();
    expect(state.writes).toEqual(['a']);
    await saver.stop();
  });
});
