/** A bounded memo that forgets in bulk: lookups see both generations, entries go into the young one. */
export interface GenerationalMap<K, V> {
  /** The value of `key` in either generation (the young one first), or undefined. */
  get(key: K): V | undefined;
  /** True when either generation holds `key`. */
  has(key: K): boolean;
  /** Adds `key` unless the young generation holds it already (the first value stays). */
  add(key: K, value: V): void;
}

/**
 * Creates a memo of at most `capacity` entries in two generations: when the young one holds half the capacity, the
 * old one is dropped whole and the young one becomes old. Evicting single oldest entries from one Map instead walks
 * V8's holes left by earlier deletions, on every insert once the map is full.
 */
export function createGenerationalMap<K, V>(capacity: number): GenerationalMap<K, V> {
  const half = Math.max(1, Math.floor(capacity / 2));
  let young = new Map<K, V>();
  let old = new Map<K, V>();
  return {
    get: (key) => (young.has(key) ? young.get(key) : old.get(key)),
    has: (key) => young.has(key) || old.has(key),
    add(key, value) {
      if (young.has(key)) return;
      if (young.size >= half) {
        old = young;
        young = new Map();
      }
      young.set(key, value);
    },
  };
}
