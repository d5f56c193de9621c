import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InOrderHash } from './in-order-hash.js';

const blocks = Array.from({ length: 6 }, (_, i) => new Uint8Array(10 + i).fill(i + 1));
const whole = createHash('sha256').update(Buffer.concat(blocks)).digest('hex');

// A partial file in memory: which blocks are written, and a count of read-backs.
function disk(written: number[] = []) {
  const on = new Set(written);
  const d = {
    reads: 0,
    write(h: InOrderHash, i: number) { h.verified(i, blocks[i]!); on.add(i); h.written(i); },
    // Verified but not yet on disk.
    verify(h: InOrderHash, i: number) { h.verified(i, blocks[i]!); },
    land(h: InOrderHash, i: number) { on.add(i); h.written(i); },
    source: { blocks: blocks.length, isWritten: (i: number) => on.has(i), read: async (i: number) => { d.reads++; return blocks[i]!; } },
  };
  return d;
}

describe('InOrderHash', () => {
  it('hashes blocks written in order from memory, with no read-back', async () => {
    const d = disk();
    const h = new InOrderHash(d.source);
    for (let i = 0; i < blocks.length; i++) d.write(h, i);
    expect(await h.digest()).toBe(whole);
    expect(d.reads).toBe(0);
  });

  it('reads back the blocks written ahead of the frontier, and those of a resumed part', async () => {
    const d = disk([0, 1]);
    const h = new InOrderHash(d.source);
    h.start();
    d.write(h, 4);
    d.write(h, 3);
    d.write(h, 2);
    d.write(h, 5);
    expect(await h.digest()).toBe(whole);
    expect(d.reads).toBeGreaterThanOrEqual(2);
  });

  it('keeps blocks that overtake the frontier in memory, within its bound', async () => {
    const d = disk();
    const h = new InOrderHash({ ...d.source, maxAheadBytes: 30 });
    d.verify(h, 2); // 12 bytes kept
    d.verify(h, 1); // 11 bytes kept
    d.verify(h, 3); // 13 more would pass the bound: read back once on disk
    d.verify(h, 0);
    expect(h.frontier).toBe(3);
    for (const i of [0, 1, 2]) d.land(h, i);
    d.land(h, 3);
    d.write(h, 4);
    d.write(h, 5);
    expect(await h.digest()).toBe(whole);
    expect(d.reads).toBe(1);
  });

  it('gives no digest while a block is missing or after a failed read-back', async () => {
    const d = disk();
    const h = new InOrderHash(d.source);
    d.write(h, 1);
    expect(await h.digest()).toBeUndefined();
    const bad = new InOrderHash({ blocks: 2, isWritten: () => true, read: async () => { throw new Error('eio'); } });
    bad.start();
    expect(await bad.digest()).toBeUndefined();
  });
});
