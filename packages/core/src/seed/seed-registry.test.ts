import { describe, expect, it } from 'vitest';
import { SeedRegistry } from './seed-registry.js';

const id = (c: string): string => c.repeat(52);

describe('SeedRegistry', () => {
  it('expires registrations that are not renewed', () => {
    let now = 1000;
    const reg = new SeedRegistry({ ttlMs: 100, now: () => now });
    reg.register(id('a'), { name: 'a', port: 1 });
    reg.register(id('b'), { name: 'b', port: 2 });
    now += 60;
    reg.register(id('a'), { name: 'a', port: 1 });
    now += 60;
    expect(reg.has(id('a'))).toBe(true);
    expect(reg.has(id('b'))).toBe(false);
  });

  it('lists lightly loaded peers first, bounded and without the excluded', () => {
    const reg = new SeedRegistry({ ttlMs: 1000 });
    reg.register(id('a'), { name: 'a', load: 30 });
    reg.register(id('b'), { name: 'b', load: 0 });
    reg.register(id('c'), { name: 'c', load: 1 });
    const list = reg.list(2, new Set([id('c')]));
    expect(list.map((p) => p.name)).toEqual(['b', 'a']);
    expect(reg.list(1, new Set())).toHaveLength(1);
  });

  it('stays within its capacity', () => {
    const reg = new SeedRegistry({ ttlMs: 1000, capacity: 2 });
    for (const c of 'abcd') reg.register(id(c), { name: c });
    expect(reg.size).toBe(2);
  });
});
