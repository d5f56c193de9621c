import type { p2p } from '../codec/wire.js';
import type { Clock } from '../util/clock.js';
import { createSeenCache } from '../util/seen-cache.js';

/** A broadcast as this node would forward it (hop_count already set to the hops it travelled to reach us). */
export type CachedBroadcast = p2p.v1.IBroadcast;

/** Recently seen broadcasts kept whole, so that a neighbour that grafts can be sent what it missed. */
export interface MessageCache {
  /** Keeps a message under its ID (hex), evicting the oldest when full. */
  put(id: string, message: CachedBroadcast): void;
  /** The message with this ID, if still kept. */
  get(id: string): CachedBroadcast | undefined;
  /** Number of messages kept. */
  readonly size: number;
}

/** Creates a message cache of at most `capacity` messages, each kept at most `ttlMs`. */
export function createMessageCache(options: { capacity: number; ttlMs: number; clock?: Clock }): MessageCache {
  const cache = createSeenCache<CachedBroadcast>(options);
  return {
    put: (id, message) => cache.set(id, message),
    get: (id) => cache.get(id),
    get size() {
      return cache.size;
    },
  };
}
