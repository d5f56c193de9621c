import crypto from 'node:crypto';
import { MerkleTreeSizeError } from './errors.js';

// RFC 9162 (Certificate Transparency 2.0) section 2.1: leaves and inner nodes hash with different prefixes, so no
// leaf can pass for an inner node. One signature over a tree's root then proves every leaf with a short path.
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** Bytes of one hash (SHA-256). */
export const MERKLE_HASH_BYTES = 32;
/** The largest tree this module builds or accepts a path for (2^16 leaves: a path of at most 16 hashes). */
export const MERKLE_MAX_LEAVES = 1 << 16;

// Every line of a clique burst is hashed at its server and at its recipient: the one-shot hash (Node >= 20.12) costs
// about two thirds of a Hash object's.
const sha256: (data: Buffer) => Buffer = typeof (crypto as { hash?: unknown }).hash === 'function'
  ? (data) => (crypto as unknown as { hash(a: string, d: Buffer, e: 'buffer'): Buffer }).hash('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();

/** The RFC 9162 hash of a leaf: SHA-256(0x00 || data). */
export function merkleLeafHash(data: Uint8Array): Buffer {
  return sha256(Buffer.concat([LEAF_PREFIX, data]));
}

/** The RFC 9162 hash of an inner node: SHA-256(0x01 || left || right). */
export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.concat([NODE_PREFIX, left, right]));
}

/** A tree built over leaf hashes: its root, and the inclusion path of every leaf. */
export interface MerkleTree {
  /** The tree hash (for one leaf, the leaf's hash). */
  root: Buffer;
  /** paths[i]: the sibling hashes of leaf i, from the leaf upwards. */
  paths: Buffer[][];
}

/** Builds the RFC 9162 tree over 1..MERKLE_MAX_LEAVES leaf hashes, with every leaf's inclusion path. */
export function buildMerkleTree(leaves: readonly Buffer[]): MerkleTree {
  if (leaves.length === 0 || leaves.length > MERKLE_MAX_LEAVES) throw new MerkleTreeSizeError(leaves.length, MERKLE_MAX_LEAVES);
  const paths: Buffer[][] = leaves.map(() => []);
  // MTH(D[lo:hi]); on the way back up, each leaf below gets the hash of the other side as its next sibling.
  const build = (lo: number, hi: number): Buffer => {
    if (hi - lo === 1) return leaves[lo]!;
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const left = build(lo, lo + k);
    const right = build(lo + k, hi);
    for (let i = lo; i < lo + k; i++) paths[i]!.push(right);
    for (let i = lo + k; i < hi; i++) paths[i]!.push(left);
    return merkleNodeHash(left, right);
  };
  return { root: build(0, leaves.length), paths };
}

/**
 * Walks an inclusion path up from a leaf (RFC 9162 section 2.1.3.2). `visit` sees every hash on the way, the leaf's
 * first, and may stop the walk by returning true (the caller knows that node already): the result is then 'known'.
 * Otherwise the result is the root the path leads to, or undefined when the path cannot belong to a tree of `size`
 * leaves at `index` (wrong length, index out of range, a sibling of the wrong size).
 */
export function walkMerklePath(
  leaf: Buffer, index: number, size: number, path: readonly Uint8Array[], visit?: (hash: Buffer) => boolean,
): Buffer | 'known' | undefined {
  if (!Number.isInteger(index) || !Number.isInteger(size) || size < 1 || size > MERKLE_MAX_LEAVES || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  if (visit?.(r)) return 'known';
  for (const p of path) {
    if (p.length !== MERKLE_HASH_BYTES || sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
    if (visit?.(r)) return 'known';
  }
  return sn === 0 ? r : undefined;
}
