import { describe, expect, it } from 'vitest';
import { createGenerationalMap } from './generational-map.js';

describe('generational map', () => {
  it('keeps the first value, sees both generations, and never holds more than its capacity', () => {
    const m = createGenerationalMap<string, number>(4);
    m.add('a', 1);
    m.add('a', 2);
    expect(m.get('a')).toBe(1);
    m.add('b', 3);
    m.add('c', 4); // young was full (2): a, b become old
    expect([m.get('a'), m.get('b'), m.get('c')]).toEqual([1, 3, 4]);
    m.add('d', 5);
    m.add('e', 6); // c, d become old; a, b are gone
    expect(m.has('a')).toBe(false);
    expect(m.has('b')).toBe(false);
    expect([m.get('c'), m.get('d'), m.get('e')]).toEqual([4, 5, 6]);
  });

  it('remembers null values as values', () => {
    const m = createGenerationalMap<string, string | null>(4);
    m.add('x', null);
    expect(m.has('x')).toBe(true);
    expect(m.get('x')).toBeNull();
  });
});
