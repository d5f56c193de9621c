import { describe, expect, it } from 'vitest';
import { createFloodGuard } from './flood-guard.js';

describe('createFloodGuard', () => {
  const make = (now: () => number) => createFloodGuard({ ratePerSecond: 50, burst: 300, now });

  it('accepts an origin\'s burst, then its rate, and drops the excess', () => {
    let t = 0;
    const g = make(() => t);
    let ok = 0;
    for (let i = 0; i < 1000; i++) if (g.admit('x', 'n1').ok) ok++;
    expect(ok).toBe(300);
    t += 1000;
    ok = 0;
    for (let i = 0; i < 100; i++) if (g.admit('x', 'n1').ok) ok++;
    expect(ok).toBe(50);
    expect(g.stats().originDrops).toBe(750);
  });

  it('keeps origins apart: a flooding origin does not cost another origin anything', () => {
    const g = make(() => 0);
    for (let i = 0; i < 1000; i++) g.admit('flooder', 'flooder');
    expect(g.admit('honest', 'relay').ok).toBe(true);
  });

  it('finds a neighbour that floods as itself abusive, once per offence', () => {
    let t = 0;
    const g = make(() => t);
    const verdicts = [];
    // 1,900 per second for one second, in 10 ms steps.
    for (let step = 0; step < 100; step++) {
      t = step * 10;
      for (let i = 0; i < 19; i++) verdicts.push(g.admit('flooder', 'flooder'));
    }
    expect(verdicts.filter((v) => v.abusive).length).toBeGreaterThanOrEqual(1);
    const firstAbuse = verdicts.findIndex((v) => v.abusive);
    // Abuse is declared only after the burst was used and ~a burst of strikes on top of it.
    expect(firstAbuse).toBeGreaterThan(590);
    expect(g.stats().offences).toBe(verdicts.filter((v) => v.abusive).length);
  });

  it('never blames a relay for a flood it did not author', () => {
    let t = 0;
    const g = make(() => t);
    for (let step = 0; step < 500; step++) {
      t = step * 10;
      for (let i = 0; i < 2; i++) expect(g.admit('far-flooder', 'relay').abusive).toBe(false);
    }
    expect(g.stats().originDrops).toBeGreaterThan(0);
  });

  it('bounds floods under made-up origins by the neighbour\'s aggregate limit', () => {
    const g = make(() => 0);
    let ok = 0;
    let abusive = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = g.admit(`fake-${i}`, 'attacker');
      if (v.ok) ok++;
      if (v.abusive) abusive++;
    }
    expect(ok).toBe(1200);
    expect(abusive).toBeGreaterThan(0);
    expect(g.stats().neighbourDrops).toBe(8800);
  });

  it('remembers a bounded number of origins', () => {
    const g = createFloodGuard({ ratePerSecond: 1, burst: 1, maxOrigins: 2, now: () => 0, neighbourFactor: 1000 });
    expect(g.admit('a', 'n').ok).toBe(true);
    expect(g.admit('a', 'n').ok).toBe(false);
    g.admit('b', 'n');
    g.admit('c', 'n');
    // 'a' was forgotten (least recently heard), so it starts over with a full bucket.
    expect(g.admit('a', 'n').ok).toBe(true);
  });

  it('limits this node\'s own broadcasts with the same budget', () => {
    const g = createFloodGuard({ ratePerSecond: 1, burst: 2, now: () => 0 });
    expect([g.admitOwn('me'), g.admitOwn('me'), g.admitOwn('me')]).toEqual([true, true, false]);
  });
});
