import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMerkleTree, merkleLeafHash, walkMerklePath } from './merkle-tree.js';

// The Certificate Transparency reference vectors (RFC 6962 test data, kept by every CT implementation).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map((h) => merkleLeafHash(Buffer.from(h, 'hex')));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4', '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c', '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const PATHS: [number, number, string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

describe('RFC 9162 Merkle tree', () => {
  it('gives the reference roots for 1..8 leaves', () => {
    for (let n = 1; n <= 8; n++) expect(buildMerkleTree(LEAVES.slice(0, n)).root.toString('hex')).toBe(ROOTS[n - 1]);
  });

  it('gives the reference inclusion paths, and they lead to the root', () => {
    const tree = buildMerkleTree(LEAVES);
    for (const [index, size, path] of PATHS) {
      expect(tree.paths[index]!.map((h) => h.toString('hex'))).toEqual(path);
      expect((walkMerklePath(LEAVES[index]!, index, size, path.map((h) => Buffer.from(h, 'hex'))) as Buffer).toString('hex')).toBe(ROOTS[size - 1]);
    }
  });

  it('proves every leaf of every tree size, and no leaf at another position or with a cut path', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, seed) => {
      const leaves = Array.from({ length: size }, (_, i) => merkleLeafHash(Buffer.from(`${seed}:${i}`)));
      const { root, paths } = buildMerkleTree(leaves);
      for (let i = 0; i < size; i++) {
        expect(walkMerklePath(leaves[i]!, i, size, paths[i]!)).toEqual(root);
        if (size > 1) {
          const other = walkMerklePath(leaves[i]!, (i + 1) % size, size, paths[i]!);
          expect(other === undefined || other === 'known' || !other.equals(root)).toBe(true);
          expect(walkMerklePath(leaves[i]!, i, size, paths[i]!.slice(1))).not.toEqual(root);
        }
      }
    }), { numRuns: 60 });
  });

  it('refuses impossible positions and malformed siblings', () => {
    const { paths } = buildMerkleTree(LEAVES);
    expect(walkMerklePath(LEAVES[0]!, 8, 8, paths[0]!)).toBeUndefined();
    expect(walkMerklePath(LEAVES[0]!, -1, 8, paths[0]!)).toBeUndefined();
    expect(walkMerklePath(LEAVES[0]!, 0, 0, [])).toBeUndefined();
    expect(walkMerklePath(LEAVES[0]!, 0, 8, [Buffer.alloc(31), ...paths[0]!.slice(1)])).toBeUndefined();
    expect(walkMerklePath(LEAVES[0]!, 0, 8, [...paths[0]!, Buffer.alloc(32)])).toBeUndefined();
  });

  it('stops early at a node the caller already knows', () => {
    const tree = buildMerkleTree(LEAVES);
    const known = new Set([tree.paths[0]![1]!.toString('hex')]);
    // Leaf 2's walk passes through the node that is leaf 0's second sibling.
    expect(walkMerklePath(LEAVES[2]!, 2, 8, tree.paths[2]!, (h) => known.has(h.toString('hex')))).toBe('known');
  });
});
