import type { PeerIdString } from '../identity/peer-id.js';

/** Options of a penalty box. */
export interface PenaltyBoxOptions {
  /** Most peers held at once; the one released soonest makes room. Default 4096. */
  capacity?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

/** One peer in the box. */
export interface Penalty {
  /** The peer. */
  peerId: PeerIdString;
  /** Clock time it is released at. */
  until: number;
  /** Why it was put there. */
  reason: string;
}

/**
 * Peers that abused this node (flooded past their limits): while boxed, the mesh does not dial them and their
 * sessions are refused. Entries expire by themselves; a repeat offence extends the sentence, never shortens it.
 */
export interface PenaltyBox {
  /** Boxes a peer for `ms` from now. */
  add(peerId: PeerIdString, ms: number, reason: string): void;
  /** True while the peer is boxed. */
  has(peerId: PeerIdString): boolean;
  /** The peer's penalty, while it lasts. */
  get(peerId: PeerIdString): Penalty | undefined;
  /** Releases a peer early (the user asked to connect to it). */
  release(peerId: PeerIdString): void;
  /** Peers boxed now. */
  list(): Penalty[];
  /** Peers boxed since start. */
  readonly total: number;
}

/** Creates a penalty box. */
export function createPenaltyBox(options: PenaltyBoxOptions = {}): PenaltyBox {
  const capacity = Math.max(1, options.capacity ?? 4096);
  const now = options.now ?? Date.now;
  const boxed = new Map<PeerIdString, Penalty>();
  let total = 0;

  const live = (peerId: PeerIdString): Penalty | undefined => {
    const p = boxed.get(peerId);
    if (p && p.until <= now()) { boxed.delete(peerId); return undefined; }
    return p;
  };
  const makeRoom = (): void => {
    const t = now();
    let soonest: Penalty | undefined;
    for (const p of boxed.values()) {
      if (p.until <= t) { boxed.delete(p.peerId); return; }
      if (!soonest || p.until < soonest.until) soonest = p;
    }
    if (soonest) boxed.delete(soonest.peerId);
  };

  return {
    add(peerId, ms, reason) {
      const until = now() + Math.max(0, ms);
      const current = live(peerId);
      if (current) {
        current.until = Math.max(current.until, until);
        current.reason = reason;
        return;
      }
      if (boxed.size >= capacity) makeRoom();
      boxed.set(peerId, { peerId, until, reason });
      total++;
    },
    has: (peerId) => live(peerId) !== undefined,
    get: (peerId) => { const p = live(peerId); return p && { ...p }; },
    release(peerId) { boxed.delete(peerId); },
    list() {
      const t = now();
      return [...boxed.values()].filter((p) => p.until > t).map((p) => ({ ...p }));
    },
    get total() { return total; },
  };
}
