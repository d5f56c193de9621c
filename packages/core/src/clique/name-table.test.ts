import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NameHolder } from './claims.js';
import { NameTable } from './name-table.js';

const holder = (name: string): NameHolder => ({ name, clientId: 'c', serverId: 's', serverName: '', claimedAtMs: 0, confirmed: true });

describe('the name table', () => {
  it('keeps its keys sorted through any sets and deletes, and stamps holders in the order they were set', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'read'), fc.string({ maxLength: 4 })), { maxLength: 300 }), (ops) => {
      const t = new NameTable();
      let last = 0;
      for (const [op, key] of ops) {
        if (op === 'read') expect([...t.sortedKeys]).toEqual([...t.keys()].sort());
        else if (op === 'set') {
          const h = holder(key);
          t.set(key, h);
          expect(t.stampOf(h)).toBeGreaterThan(last);
          last = t.stampOf(h);
        } else t.delete(key);
        last = Math.max(last, t.version);
      }
      expect([...t.sortedKeys]).toEqual([...t.keys()].sort());
    }));
  });

  it('brings many changes into the order at once (the merge path) as exactly as a few', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const t = new NameTable();
    for (let round = 0; round < 6; round++) {
      const n = round % 2 ? 50 : 5000;
      for (let i = 0; i < n; i++) {
        const key = `k${Math.floor(rand() * 8000)}`;
        if (rand() < 0.7) t.set(key, holder(key));
        else t.delete(key);
      }
      expect([...t.sortedKeys]).toEqual([...t.keys()].sort());
    }
  });

  it('keeps what it remembers for the sorted view bounded under churn with no reader', () => {
    const t = new NameTable();
    for (let i = 0; i < 100_000; i++) { t.set(`k${i % 10}`, holder('x')); t.delete(`k${i % 10}`); }
    const pending = t as unknown as { added: string[]; removed: string[] };
    expect(pending.added.length + pending.removed.length).toBeLessThan(3000);
    expect(t.sortedKeys).toEqual([]);
  });
});
