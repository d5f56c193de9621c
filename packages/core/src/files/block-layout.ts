import { createHash } from 'node:crypto';

/** Smallest block size (Syncthing's rule starts here). */
export const MIN_BLOCK_SIZE = 128 * 1024;
/**
 * Largest block size: a block must fit one frame (1 MiB + 4 KiB), so files above 2 GiB get more than 2,000 blocks
 * rather than Syncthing's bigger blocks.
 */
export const MAX_BLOCK_SIZE = 1024 * 1024;
/** Syncthing's target: fewer than this many blocks per file. */
export const TARGET_BLOCK_COUNT = 2000;
/** Bytes of one block hash (SHA-256). */
export const HASH_BYTES = 32;

/** The block size of a file: the smallest power of two from 128 KiB up giving fewer than 2,000 blocks (capped). */
export function blockSizeFor(size: number): number {
  let bs = MIN_BLOCK_SIZE;
  while (bs < MAX_BLOCK_SIZE && Math.ceil(size / bs) >= TARGET_BLOCK_COUNT) bs *= 2;
  return bs;
}

/** Number of blocks of a file (an empty file has none). */
export function blockCount(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

/** Length in bytes of block `index` (the last one may be short). */
export function blockLength(size: number, blockSize: number, index: number): number {
  return Math.max(0, Math.min(blockSize, size - index * blockSize));
}

/** True when a block size is one this implementation accepts from a peer. */
export function validBlockSize(blockSize: number): boolean {
  return Number.isInteger(blockSize) && blockSize >= 1024 && blockSize <= MAX_BLOCK_SIZE;
}

/**
 * The root of a file: SHA-256 over a domain tag, its size (u64 BE), its block size (u32 BE) and its block hashes in
 * order. It names the file's content and layout at once, so a hash list can be checked against it before any block.
 */
export function computeRoot(size: number, blockSize: number, hashes: Uint8Array): Uint8Array {
  const head = Buffer.alloc(12);
  head.writeBigUInt64BE(BigInt(size), 0);
  head.writeUInt32BE(blockSize, 8);
  return new Uint8Array(createHash('sha256').update('p2p-file-root-v1').update(head).update(hashes).digest());
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** True for a 64-character hex string (a root or SHA-256 written out). */
export function isHex32(text: string): boolean {
  return /^[0-9a-f]{64}$/i.test(text);
}
