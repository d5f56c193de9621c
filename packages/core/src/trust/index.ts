export { broadcastSignedBytes, directSignedBytes, directAckSignedBytes, directSealAad, SIGNED_DOMAINS } from './signed-bytes.js';
export { createKeyRing, KEY_RING_CAPACITY, type KeyRing } from './key-ring.js';
export { createDirectSealer, type DirectSealer } from './direct-sealer.js';
export { buildMerkleTree, merkleLeafHash, merkleNodeHash, walkMerklePath, MERKLE_HASH_BYTES, MERKLE_MAX_LEAVES, type MerkleTree } from './merkle-tree.js';
export { createMessageAuth, type MessageAuth, type MessageAuthInit } from './message-auth.js';
export { createOffenceTracker, DEFAULT_OFFENCE_LIMIT, type OffenceTracker } from './offence-tracker.js';
export { MerkleTreeSizeError } from './errors.js';
