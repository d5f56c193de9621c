import { peerIdFromPublicKey, peerIdToString } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';

/**
 * Public keys of other peers, for sealing direct messages to them. A key is self-certifying (its SHA-256 is the
 * peer ID), so it may be learned from anyone: from a TLS certificate, a signed message, or the application's
 * contact book. Bounded: the least recently used key goes first.
 */
export interface KeyRing {
  /** Remembers `spki` as the key of the peer it hashes to; returns that peer ID (undefined for an unusable key). */
  add(spki: Uint8Array): PeerIdString | undefined;
  /** The key of `peerId`, if known. */
  get(peerId: PeerIdString): Uint8Array | undefined;
  /** Number of keys held. */
  readonly size: number;
}

/** Most keys a ring holds by default. */
export const KEY_RING_CAPACITY = 4096;

/** A bounded key ring. */
export function createKeyRing(capacity = KEY_RING_CAPACITY): KeyRing {
  const keys = new Map<PeerIdString, Uint8Array>();
  return {
    add(spki) {
      if (spki.length === 0 || spki.length > 1024) return undefined;
      const id = peerIdToString(peerIdFromPublicKey(spki));
      keys.delete(id);
      keys.set(id, new Uint8Array(spki));
      if (keys.size > capacity) keys.delete(keys.keys().next().value as PeerIdString);
      return id;
    },
    get(peerId) {
      const k = keys.get(peerId);
      if (k) {
        keys.delete(peerId);
        keys.set(peerId, k);
      }
      return k;
    },
    get size() {
      return keys.size;
    },
  };
}
