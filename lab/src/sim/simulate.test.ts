/**
 * The simulation on 500 nodes (virtual time): Plumtree delivers every broadcast to every live node exactly once, with
 * and without a fifth of the nodes failing at once, at about one payload copy per node (flooding: the degree).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';

describe('broadcast simulation', () => {
  it('plumtree: every live node gets every message once, ~1 copy per node; flooding costs the degree', () => {
    const plum = simulate({ nodes: 500, mode: 'plumtree', failRatio: 0, messages: 10, seed: 3 });
    const flood = simulate({ nodes: 500, mode: 'flood', failRatio: 0, messages: 10, seed: 3 });
    expect(plum.deliveryRatio).toBe(1);
    expect(plum.overDelivered).toBe(0);
    expect(plum.copiesPerNode).toBeLessThan(1.2);
    expect(flood.deliveryRatio).toBe(1);
    expect(flood.copiesPerNode).toBeGreaterThan(5);
  });

  it('plumtree with 20% failing at once: still every live reachable node, exactly once', () => {
    const r = simulate({ nodes: 500, mode: 'plumtree', failRatio: 0.2, messages: 15, seed: 5 });
    expect(r.deliveryRatio).toBe(1);
    expect(r.overDelivered).toBe(0);
    expect(r.copiesPerNode).toBeLessThan(1.2);
  });
});
