import { P2PError } from '../errors.js';

/** A Merkle tree (a signed burst) asked for with no leaves or more than its limit allows. */
export class MerkleTreeSizeError extends P2PError {
  constructor(leaves: number, max: number) {
    super('ERR_MERKLE_TREE_SIZE', `a signed burst holds 1..${max} items, not ${leaves}`);
  }
}
