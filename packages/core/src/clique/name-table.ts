import type { NameHolder } from './claims.js';

/** Index of the first element of a sorted array that is greater than `key` (or, with `orEqual`, not less). */
export function bisect(sorted: readonly string[], key: string, orEqual = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = sorted[mid]!;
    if (k < key || (!orEqual && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Up to this many changes are applied to the sorted keys one by one (a binary search and a splice each). */
const ONE_BY_ONE = 2048;

/**
 * The names known across the clique, by key: a Map that also gives its keys in order (who-is-online pages walk
 * them without sorting per request), counts its changes, and stamps every holder with the count at which it was
 * set, so that a roster received in parts can tell the holders it found from those set while it was arriving.
 */
export class NameTable extends Map<string, NameHolder> {
  private changes = 0;
  private readonly stamps = new WeakMap<NameHolder, number>();
  private order: string[] = [];
  // Keys set or deleted since the order was last brought up to date.
  private added: string[] = [];
  private removed: string[] = [];

  /** An empty table (Map's constructor would call set before the fields exist, so it takes no entries). */
  constructor() {
    super();
  }

  /** Changes so far (sets and deletes). */
  get version(): number {
    return this.changes;
  }

  /**
   * The keys in ascending order, brought up to date when asked: a few changes one by one, many at once by one
   * merge (O(n + a log a)), so the cost follows the changes and never the number of requests; nothing is sorted
   * when nobody asks (a roster of thousands of names costs nothing here until someone asks who is online).
   */
  get sortedKeys(): readonly string[] {
    if (this.added.length === 0 && this.removed.length === 0) return this.order;
    const has = (k: string) => Map.prototype.has.call(this, k);
    if (this.added.length + this.removed.length <= ONE_BY_ONE) {
      for (const k of this.removed) {
        if (has(k)) continue;
        const i = bisect(this.order, k, true);
        if (this.order[i] === k) this.order.splice(i, 1);
      }
      for (const k of this.added) {
        if (!has(k)) continue;
        const i = bisect(this.order, k, true);
        if (this.order[i] !== k) this.order.splice(i, 0, k);
      }
    } else {
      const added = [...new Set(this.added)].filter(has).sort();
      const merged: string[] = [];
      let j = 0;
      for (const k of this.order) {
        if (!has(k)) continue;
        while (j < added.length && added[j]! < k) merged.push(added[j++]!);
        if (added[j] === k) j++;
        merged.push(k);
      }
      while (j < added.length) merged.push(added[j++]!);
      this.order = merged;
    }
    this.added = [];
    this.removed = [];
    return this.order;
  }

  /** The version at which a holder was set (0 for one never set here). */
  stampOf(h: NameHolder): number {
    return this.stamps.get(h) ?? 0;
  }

  override set(key: string, holder: NameHolder): this {
    if (!super.has(key)) this.note(this.added, key);
    this.stamps.set(holder, ++this.changes);
    return super.set(key, holder);
  }

  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    this.changes++;
    this.note(this.removed, key);
    return true;
  }

  override clear(): void {
    super.clear();
    this.changes++;
    this.order = [];
    this.added = [];
    this.removed = [];
  }

  // Remembers a change for the sorted view; churn with nobody reading is merged now and then, which keeps the
  // remembered changes bounded by the table's size.
  private note(list: string[], key: string): void {
    list.push(key);
    if (this.added.length + this.removed.length > this.size + ONE_BY_ONE) void this.sortedKeys;
  }
}
