/** Items waiting per key (an author), taken in turns so one key's flood never delays the others. */
export interface FairQueue<T> {
  /** Queues `item` of `bytes` behind the earlier items of `key`. */
  push(key: string, item: T, bytes: number): void;
  /**
   * Takes up to `maxBytes` (always at least one item when not empty), one item per key in turn, starting with the
   * key that waited longest since it was last served.
   */
  take(maxBytes: number): T[];
  /** Takes everything, in the same fair order. */
  takeAll(): T[];
  /** Bytes queued in all. */
  bytes(): number;
  /** Bytes queued for `key`. */
  bytesOf(key: string): number;
  /** Items queued in all. */
  size(): number;
}

interface Lane<T> {
  items: { item: T; bytes: number }[];
  head: number;
  bytes: number;
}

/** Creates an empty fair queue. */
export function createFairQueue<T>(): FairQueue<T> {
  // Insertion order of the Map is the round: a served lane goes to the back.
  const lanes = new Map<string, Lane<T>>();
  let total = 0;
  let count = 0;

  const takeOne = (): { item: T; bytes: number } | undefined => {
    const first = lanes.entries().next();
    if (first.done) return undefined;
    const [key, lane] = first.value;
    const entry = lane.items[lane.head]!;
    lane.items[lane.head] = undefined as never;
    lane.head++;
    lane.bytes -= entry.bytes;
    total -= entry.bytes;
    count--;
    lanes.delete(key);
    if (lane.head < lane.items.length) {
      // Compacted now and then so a long-lived lane does not keep its served slots.
      if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
        lane.items = lane.items.slice(lane.head);
        lane.head = 0;
      }
      lanes.set(key, lane);
    }
    return entry;
  };

  const peekBytes = (): number | undefined => {
    const first = lanes.values().next();
    return first.done ? undefined : first.value.items[first.value.head]!.bytes;
  };

  return {
    push(key, item, bytes) {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { items: [], head: 0, bytes: 0 };
        lanes.set(key, lane);
      }
      lane.items.push({ item, bytes });
      lane.bytes += bytes;
      total += bytes;
      count++;
    },
    take(maxBytes) {
      const out: T[] = [];
      let taken = 0;
      for (;;) {
        const next = peekBytes();
        if (next === undefined || (out.length > 0 && taken + next > maxBytes)) break;
        const entry = takeOne()!;
        taken += entry.bytes;
        out.push(entry.item);
      }
      return out;
    },
    takeAll() {
      const out: T[] = [];
      for (let entry = takeOne(); entry; entry = takeOne()) out.push(entry.item);
      return out;
    },
    bytes: () => total,
    bytesOf: (key) => lanes.get(key)?.bytes ?? 0,
    size: () => count,
  };
}
