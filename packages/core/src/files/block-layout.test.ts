import { describe, expect, it } from 'vitest';
import { blockCount, blockLength, blockSizeFor, computeRoot, MAX_BLOCK_SIZE } from './block-layout.js';

describe('block layout', () => {
  it("follows Syncthing's rule: the smallest size from 128 KiB up giving fewer than 2000 blocks", () => {
    const K = 1024;
    expect(blockSizeFor(0)).toBe(128 * K);
    expect(blockSizeFor(200 * 1024 * K)).toBe(128 * K); // 1600 blocks
    expect(blockSizeFor(1999 * 128 * K)).toBe(128 * K);
    expect(blockSizeFor(2000 * 128 * K)).toBe(256 * K);
    expect(blockSizeFor(1024 * 1024 * K)).toBe(1024 * K); // 1 GiB: 1024 blocks of 1 MiB
    expect(blockSizeFor(100 * 1024 * 1024 * K)).toBe(MAX_BLOCK_SIZE); // capped to fit a frame
  });

  it('counts blocks and the short last block', () => {
    expect(blockCount(0, 131072)).toBe(0);
    expect(blockCount(131073, 131072)).toBe(2);
    expect(blockLength(131073, 131072, 0)).toBe(131072);
    expect(blockLength(131073, 131072, 1)).toBe(1);
  });

  it('gives a root that changes with the size, the block size and every hash', () => {
    const hashes = new Uint8Array(64).fill(7);
    const r = Buffer.from(computeRoot(100, 131072, hashes)).toString('hex');
    expect(Buffer.from(computeRoot(101, 131072, hashes)).toString('hex')).not.toBe(r);
    expect(Buffer.from(computeRoot(100, 262144, hashes)).toString('hex')).not.toBe(r);
    const h2 = hashes.slice(); h2[63] = 8;
    expect(Buffer.from(computeRoot(100, 131072, h2)).toString('hex')).not.toBe(r);
    expect(Buffer.from(computeRoot(100, 131072, hashes)).toString('hex')).toBe(r);
  });
});
