import type { PeerIdString } from '../identity/peer-id.js';
import type { Clock, TimerHandle } from '../util/clock.js';

/** Options of a lazy-push queue. */
export interface LazyQueueOptions {
  /** How long announcements are batched before they are sent. */
  flushMs: number;
  /** Most IDs in one IHave; a fuller batch is sent at once. */
  maxBatch: number;
  /** Time source. */
  clock: Clock;
  /** Sends one IHave to a peer. */
  send(peer: PeerIdString, ids: Uint8Array[], hops: number): void;
}

/** Plumtree's lazy push: message IDs for each lazy neighbour, batched into IHave messages. */
export interface LazyQueue {
  /** Queues an announcement of `id` (received at `hops`) to `peer`. */
  add(peer: PeerIdString, id: Uint8Array, hops: number): void;
  /** Forgets what is queued for `peer` (its session ended). */
  drop(peer: PeerIdString): void;
  /** Sends every queued batch now. */
  flush(): void;
  /** IDs queued across all peers. */
  readonly queued: number;
  /** Cancels the flush timer and drops everything queued. */
  stop(): void;
}

interface Batch {
  ids: Uint8Array[];
  hops: number;
}

/** Creates a lazy-push queue whose batches are flushed together every `flushMs` (one timer for all peers). */
export function createLazyQueue(options: LazyQueueOptions): LazyQueue {
  const batches = new Map<PeerIdString, Batch>();
  let timer: TimerHandle | undefined;
  let queued = 0;

  const sendBatch = (peer: PeerIdString, batch: Batch): void => {
    batches.delete(peer);
    queued -= batch.ids.length;
    options.send(peer, batch.ids, batch.hops);
  };

  const flush = (): void => {
    if (timer !== undefined) options.clock.clearTimeout(timer);
    timer = undefined;
    for (const [peer, batch] of [...batches]) sendBatch(peer, batch);
  };

  return {
    add(peer, id, hops) {
      let batch = batches.get(peer);
      if (!batch) {
        batch = { ids: [], hops };
        batches.set(peer, batch);
      }
      batch.ids.push(id);
      // The IHave carries one hop count for the whole batch: the smallest, i.e. the best path on offer.
      batch.hops = Math.min(batch.hops, hops);
      queued++;
      if (batch.ids.length >= options.maxBatch) {
        sendBatch(peer, batch);
        return;
      }
      if (timer === undefined) timer = options.clock.setTimeout(flush, options.flushMs);
    },
    drop(peer) {
      const batch = batches.get(peer);
      if (!batch) return;
      batches.delete(peer);
      queued -= batch.ids.length;
    },
    flush,
    get queued() {
      return queued;
    },
    stop() {
      if (timer !== undefined) options.clock.clearTimeout(timer);
      timer = undefined;
      batches.clear();
      queued = 0;
    },
  };
}
