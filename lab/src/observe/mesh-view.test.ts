import { describe, expect, it } from 'vitest';
import { components, targetDegree } from './mesh-view.js';

describe('components', () => {
  it('joins links reported by either side and ignores peers outside the observed set', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['c', new Set(['b', 'zz'])],
      ['d', new Set<string>()],
    ]);
    expect(components(['a', 'b', 'c', 'd'], edges).map((c) => c.sort())).toEqual([['a', 'b', 'c'], ['d']]);
  });
});

describe('targetDegree', () => {
  it('is the target, or every other node when there are fewer', () => {
    expect(targetDegree(12)).toBe(8);
    expect(targetDegree(5)).toBe(4);
  });
});
