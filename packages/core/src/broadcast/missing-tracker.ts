import type { PeerIdString } from '../identity/peer-id.js';
import type { Clock, TimerHandle } from '../util/clock.js';

/** Options of a missing-message tracker. */
export interface MissingTrackerOptions {
  /** Wait after the first announcement before grafting. */
  graftTimeoutMs: number;
  /** Wait after a graft before trying the next announcer. */
  retryMs: number;
  /** Most message IDs tracked at once; announcements beyond are ignored. */
  maxEntries: number;
  /** Most announcers remembered per message. */
  maxAnnouncers: number;
  /** Time source. */
  clock: Clock;
  /**
   * Spread of the first wait, as a fraction of graftTimeoutMs (0.5: between 1x and 1.5x). Nodes cut off together
   * then graft one after the other, and the first repair usually reaches the others before their own timers fire.
   */
  jitter?: number;
  /** Random source for the jitter; Math.random by default. */
  random?: () => number;
  /** Asks `peer` for message `id` (send a Graft and make the link eager). */
  graft(peer: PeerIdString, id: Uint8Array): void;
}

/** Messages announced by IHave but not received yet, with the timers that repair the tree when they stay missing. */
export interface MissingTracker {
  /** `peer` announced message `id` (hex `key`); starts the graft timer on the first announcement. */
  announce(key: string, id: Uint8Array, peer: PeerIdString): void;
  /** The message arrived: stop waiting for it. */
  received(key: string): void;
  /** `peer` is gone: forget its announcements and, where a graft to it was pending, try the next announcer now. */
  peerDown(peer: PeerIdString): void;
  /** Message IDs being waited for. */
  readonly size: number;
  /** Cancels every timer. */
  stop(): void;
}

interface Entry {
  id: Uint8Array;
  announcers: PeerIdString[];
  grafted: PeerIdString | undefined;
  timer: TimerHandle | undefined;
}

/** Creates a missing-message tracker (Plumtree's `missing` set and its timers). */
export function createMissingTracker(options: MissingTrackerOptions): MissingTracker {
  const entries = new Map<string, Entry>();
  const { clock } = options;

  const arm = (key: string, entry: Entry, ms: number): void => {
    if (entry.timer !== undefined) clock.clearTimeout(entry.timer);
    entry.timer = clock.setTimeout(() => expire(key), ms);
  };

  const expire = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entry.timer = undefined;
    const next = entry.announcers.shift();
    if (next === undefined) {
      // Nobody else offered it: forget it; a later IHave starts over.
      entries.delete(key);
      return;
    }
    entry.grafted = next;
    options.graft(next, entry.id);
    arm(key, entry, options.retryMs);
  };

  return {
    announce(key, id, peer) {
      let entry = entries.get(key);
      if (!entry) {
        if (entries.size >= options.maxEntries) return;
        entry = { id, announcers: [], grafted: undefined, timer: undefined };
        entries.set(key, entry);
        arm(key, entry, options.graftTimeoutMs * (1 + (options.jitter ?? 0) * (options.random ?? Math.random)()));
      }
      if (entry.grafted === peer || entry.announcers.includes(peer)) return;
      if (entry.announcers.length < options.maxAnnouncers) entry.announcers.push(peer);
    },
    received(key) {
      const entry = entries.get(key);
      if (!entry) return;
      if (entry.timer !== undefined) clock.clearTimeout(entry.timer);
      entries.delete(key);
    },
    peerDown(peer) {
      for (const [key, entry] of [...entries]) {
        entry.announcers = entry.announcers.filter((p) => p !== peer);
        if (entry.grafted === peer) {
          entry.grafted = undefined;
          // The peer we were waiting on is gone: ask the next announcer without waiting out the retry timer.
          arm(key, entry, 0);
        } else if (entry.grafted === undefined && entry.announcers.length === 0) {
          if (entry.timer !== undefined) clock.clearTimeout(entry.timer);
          entries.delete(key);
        }
      }
    },
    get size() {
      return entries.size;
    },
    stop() {
      for (const entry of entries.values()) if (entry.timer !== undefined) clock.clearTimeout(entry.timer);
      entries.clear();
    },
  };
}
