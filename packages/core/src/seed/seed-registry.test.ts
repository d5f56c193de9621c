import { describe, expect, it } from 'vitest';
import { SeedRegistry } from './seed-registry.js';

const id = (c: string): string => c.repeat(52);
const at = (host: string, port: number, extra: object = {}) => ({ name: `${host}:${port}`, host, port, ...extra });

describe('SeedRegistry', () => {
  it('expires registrations that are not renewed', () => {
    let now = 1000;
    const reg = new SeedRegistry({ ttlMs: 100, now: () => now });
    reg.register(id('a'), at('10.0.0.1', 1), '10.0.0.1');
    reg.register(id('b'), at('10.0.0.2', 2), '10.0.0.2');
    now += 60;
    reg.register(id('a'), at('10.0.0.1', 1), '10.0.0.1');
    now += 60;
    expect(reg.has(id('a'))).toBe(true);
    expect(reg.has(id('b'))).toBe(false);
  });

  it('hands out only verified peers; proof survives renewal at the same address, not a move', () => {
    const reg = new SeedRegistry({ ttlMs: 1000, random: () => 0 });
    expect(reg.register(id('a'), at('10.0.0.1', 1), '10.0.0.1').needsProof).toBe(true);
    expect(reg.list(10, new Set())).toEqual([]);
    expect(reg.verify(id('a'), { host: '10.0.0.1', port: 2 })).toBe(false);
    expect(reg.verify(id('a'), { host: '10.0.0.1', port: 1 })).toBe(true);
    expect(reg.list(10, new Set()).map((p) => p.name)).toEqual(['10.0.0.1:1']);
    expect(reg.register(id('a'), at('10.0.0.1', 1), '10.0.0.1').needsProof).toBe(false);
    expect(reg.register(id('a'), at('10.0.0.1', 9), '10.0.0.1').needsProof).toBe(true);
    expect(reg.list(10, new Set())).toEqual([]);
    expect(reg.register(id('b'), at('10.0.0.2', 1), '10.0.0.2', true).needsProof).toBe(false);
    expect(reg.verifiedSize).toBe(1);
  });

  it('lists the least loaded and freshest first, bounded and without the excluded', () => {
    let now = 0;
    const reg = new SeedRegistry({ ttlMs: 1000, now: () => now, random: () => 0 });
    reg.register(id('a'), at('h', 1, { load: 30 }), 'h', true);
    reg.register(id('b'), at('h', 2, { load: 0 }), 'h', true);
    reg.register(id('c'), at('h', 3, { load: 1 }), 'h', true);
    expect(reg.list(2, new Set([id('c')])).map((p) => p.port)).toEqual([2, 1]);
    expect(reg.list(1, new Set())).toHaveLength(1);
    // Same load: the one renewed last comes first.
    now = 900;
    reg.register(id('d'), at('h', 4, { load: 0 }), 'h', true);
    expect(reg.list(2, new Set()).map((p) => p.port)).toEqual([4, 2]);
  });

  it('keeps a bounded number of registrations per source address, replacing that source\'s oldest', () => {
    let now = 0;
    const reg = new SeedRegistry({ ttlMs: 60_000, perSource: 4, now: () => now });
    reg.register(id('h'), at('10.0.0.2', 7000), '10.0.0.2', true);
    for (let i = 0; i < 3000; i++) {
      now++;
      reg.register(`junk${i}`.padEnd(52, 'x'), at('10.0.0.66', 1000 + (i % 60_000)), '10.0.0.66');
    }
    expect(reg.size).toBe(5);
    expect(reg.has(id('h'))).toBe(true);
    expect(reg.has('junk2999'.padEnd(52, 'x'))).toBe(true);
  });

  it('stays within its capacity', () => {
    const reg = new SeedRegistry({ ttlMs: 1000, capacity: 2 });
    for (const c of 'abcd') reg.register(id(c), at(`10.0.0.${c.charCodeAt(0)}`, 1), `10.0.0.${c.charCodeAt(0)}`);
    expect(reg.size).toBe(2);
  });
});
