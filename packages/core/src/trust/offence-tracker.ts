import type { PeerIdString } from '../identity/peer-id.js';

/**
 * Counts what each neighbour passed on that failed its check (an honest node checks before it relays, so the
 * neighbour that passed a forgery on is answerable for it) and says when one has done it too often.
 */
export interface OffenceTracker {
  /** Records one offence by `peer`; true when it has now reached the limit (the caller closes its session). */
  record(peer: PeerIdString): boolean;
  /** Forgets a peer (its session ended). */
  forget(peer: PeerIdString): void;
  /** Offences recorded in total. */
  readonly total: number;
}

/** Offences after which a neighbour's session is closed, by default. */
export const DEFAULT_OFFENCE_LIMIT = 3;

/** A tracker closing after `limit` offences; bounded by the number of sessions, since entries go with them. */
export function createOffenceTracker(limit = DEFAULT_OFFENCE_LIMIT): OffenceTracker {
  const counts = new Map<PeerIdString, number>();
  let total = 0;
  return {
    record(peer) {
      total++;
      const n = (counts.get(peer) ?? 0) + 1;
      counts.set(peer, n);
      return n >= limit;
    },
    forget(peer) {
      counts.delete(peer);
    },
    get total() {
      return total;
    },
  };
}
