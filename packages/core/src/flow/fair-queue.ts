/** Bounds of a fair queue, in weight units (items, or bytes with a `weigh` function). */
export interface FairQueueOptions<T> {
  /** Most weight one key may have waiting; beyond it that key's new items are refused. */
  maxPerKey: number;
  /** Most weight waiting over all keys. */
  maxTotal: number;
  /** Weight of one item; default 1 (count items). */
  weigh?: (item: T) => number;
}

/** Keyed FIFO queues served round-robin: one key's backlog never holds up another key's next item. */
export interface FairQueue<T> {
  /** Queues an item behind the key's earlier ones; false (nothing queued) when the key or the whole queue is full. */
  push(key: string, item: T): boolean;
  /** The next item, taking keys in turn (one item per key per turn); undefined when empty. */
  shift(): { key: string; item: T } | undefined;
  /** Takes items in the same turns, at least one, then as many as fit in `maxWeight` (a batch for a group commit). */
  take(maxWeight: number): T[];
  /** Forgets every item of a key. */
  drop(key: string): void;
  /** Forgets everything. */
  clear(): void;
  /** Items waiting. */
  readonly length: number;
  /** Weight waiting. */
  readonly weight: number;
  /** Keys with items waiting. */
  readonly keys: number;
  /** Weight waiting for one key. */
  weightOf(key: string): number;
}

interface Lane<T> {
  items: T[];
  head: number;
  weight: number;
}

/**
 * Creates a fair queue (round-robin over per-key FIFO queues, as in deficit-free fair queuing). Keys with nothing
 * waiting cost nothing, so the number of keys is bounded by maxTotal.
 */
export function createFairQueue<T>(options: FairQueueOptions<T>): FairQueue<T> {
  const weigh = options.weigh ?? (() => 1);
  // Insertion order is the turn order: a served key that still has items moves to the back.
  const lanes = new Map<string, Lane<T>>();
  let length = 0;
  let weight = 0;

  const queue: FairQueue<T> = {
    push(key, item) {
      const w = weigh(item);
      let lane = lanes.get(key);
      if (weight + w > options.maxTotal || (lane?.weight ?? 0) + w > options.maxPerKey) return false;
      if (!lane) {
        lane = { items: [], head: 0, weight: 0 };
        lanes.set(key, lane);
      }
      lane.items.push(item);
      lane.weight += w;
      length++;
      weight += w;
      return true;
    },
    shift() {
      const first = lanes.entries().next();
      if (first.done) return undefined;
      const [key, lane] = first.value;
      const item = lane.items[lane.head]!;
      lane.items[lane.head] = undefined as T;
      lane.head++;
      const w = weigh(item);
      lane.weight -= w;
      length--;
      weight -= w;
      lanes.delete(key);
      if (lane.head < lane.items.length) {
        // Compact now and then so a long-lived lane does not keep served slots.
        if (lane.head > 1024 && lane.head * 2 > lane.items.length) { lane.items = lane.items.slice(lane.head); lane.head = 0; }
        lanes.set(key, lane);
      }
      return { key, item };
    },
    take(maxWeight) {
      const out: T[] = [];
      let taken = 0;
      for (;;) {
        const first = lanes.values().next();
        if (first.done) break;
        const w = weigh(first.value.items[first.value.head]!);
        if (out.length > 0 && taken + w > maxWeight) break;
        out.push(queue.shift()!.item);
        taken += w;
      }
      return out;
    },
    drop(key) {
      const lane = lanes.get(key);
      if (!lane) return;
      lanes.delete(key);
      length -= lane.items.length - lane.head;
      weight -= lane.weight;
    },
    clear() {
      lanes.clear();
      length = 0;
      weight = 0;
    },
    get length() { return length; },
    get weight() { return weight; },
    get keys() { return lanes.size; },
    weightOf: (key) => lanes.get(key)?.weight ?? 0,
  };
  return queue;
}
