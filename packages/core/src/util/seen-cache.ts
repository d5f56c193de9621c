import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

/** Options of a seen-cache. */
export interface SeenCacheOptions {
  /** Maximum number of entries; the least recently used is evicted first. */
  capacity: number;
  /** Lifetime of an entry after its last write, in milliseconds. */
  ttlMs: number;
  /** Time source; the process clock by default. */
  clock?: Clock;
}

/** A bounded map from string keys (message IDs in hex, peer IDs) to values, with LRU eviction and TTL expiry. */
export interface SeenCache<V = true> {
  /** True when `key` is present and not expired. */
  has(key: string): boolean;
  /** The value of `key`, if present and not expired (does not refresh it). */
  get(key: string): V | undefined;
  /** Inserts or overwrites `key`, making it the most recently used and restarting its lifetime. */
  set(key: string, value: V): void;
  /** Removes `key`; true when it was there. */
  delete(key: string): boolean;
  /** Live entries, oldest first (expired ones are dropped on the way). */
  entries(): IterableIterator<[string, V]>;
  /** Number of entries, after dropping expired ones. */
  readonly size: number;
  /** Entries evicted because the cache was full (not counting expiry). */
  readonly evictions: number;
  /** Removes everything. */
  clear(): void;
}

interface Slot<V> {
  value: V;
  expiresAt: number;
  seq: number;
}

/**
 * Creates a seen-cache.
 * Every write re-inserts the key with a fresh expiry and the TTL is the same for every key, so write order is also
 * expiry order. That order is kept in a queue of its own beside the Map: V8 leaves a hole at the front of a Map for
 * every deleted entry until it rehashes, so finding "the oldest" through the Map walks thousands of holes on a busy
 * cache. Queue entries of keys since rewritten or deleted are stale (their seq differs) and are skipped.
 */
export function createSeenCache<V = true>(options: SeenCacheOptions): SeenCache<V> {
  const capacity = Math.max(1, Math.floor(options.capacity));
  const ttlMs = Math.max(1, options.ttlMs);
  const clock = options.clock ?? systemClock;
  const map = new Map<string, Slot<V>>();
  let order: { key: string; seq: number }[] = [];
  let head = 0;
  let seq = 0;
  let evictions = 0;

  const isCurrent = (e: { key: string; seq: number }) => map.get(e.key)?.seq === e.seq;

  // Drops stale entries at the front of the queue, and compacts it once its dead part outweighs the live one.
  const tidy = (): void => {
    while (head < order.length && !isCurrent(order[head]!)) head++;
    if (head > 1024 && head * 2 > order.length) {
      order = order.slice(head);
      head = 0;
    }
    if (order.length - head > map.size * 2 + 1024) {
      order = order.slice(head).filter(isCurrent);
      head = 0;
    }
  };

  const purge = (): void => {
    const now = clock.now();
    for (tidy(); head < order.length && map.get(order[head]!.key)!.expiresAt <= now; tidy()) map.delete(order[head++]!.key);
  };

  const live = (key: string): Slot<V> | undefined => {
    const slot = map.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= clock.now()) {
      map.delete(key);
      return undefined;
    }
    return slot;
  };

  return {
    has: (key) => live(key) !== undefined,
    get: (key) => live(key)?.value,
    set(key, value) {
      map.delete(key);
      purge();
      while (map.size >= capacity) {
        tidy();
        map.delete(order[head++]!.key);
        evictions++;
      }
      const slot = { value, expiresAt: clock.now() + ttlMs, seq: ++seq };
      map.set(key, slot);
      order.push({ key, seq: slot.seq });
    },
    delete: (key) => map.delete(key),
    *entries() {
      purge();
      for (const [key, slot] of map) yield [key, slot.value] as [string, V];
    },
    get size() {
      purge();
      return map.size;
    },
    get evictions() {
      return evictions;
    },
    clear: () => {
      map.clear();
      order = [];
      head = 0;
    },
  };
}
