import type { PeerIdString } from '../identity/peer-id.js';
import { TokenBucket } from '../session/token-bucket.js';

/** Limits of a flood guard. */
export interface FloodGuardOptions {
  /** Sustained new broadcasts per second accepted from one origin. */
  ratePerSecond: number;
  /** New broadcasts one origin may send in a burst. */
  burst: number;
  /**
   * A neighbour may hand over new broadcasts (of any origins) at this many times an origin's rate and burst; it
   * bounds floods under made-up origin IDs, which cost nothing since a Broadcast's origin is a claim. Default 4.
   */
  neighbourFactor?: number;
  /** Most origins tracked; the least recently heard is forgotten first (and gets a full bucket back). Default 4096. */
  maxOrigins?: number;
  /** Clock in ms. */
  now: () => number;
}

/** What the guard says about one new broadcast. */
export interface FloodVerdict {
  /** True to accept (deliver, store, relay); false to drop it here. */
  ok: boolean;
  /** Why it was dropped. */
  reason?: 'origin-limit' | 'neighbour-limit';
  /** True once the neighbour has kept pushing past its limits: time to end its session. */
  abusive: boolean;
}

/** Counters of a flood guard. */
export interface FloodGuardStats {
  /** New broadcasts dropped over an origin's limit. */
  originDrops: number;
  /** New broadcasts dropped over a neighbour's limit. */
  neighbourDrops: number;
  /** Times a neighbour was found abusive. */
  offences: number;
}

/**
 * Admission of new broadcasts where they are first seen: one token bucket per origin, one per neighbour (at
 * `neighbourFactor` times the size), and a strike bucket per neighbour. A drop is a strike against the neighbour
 * only when it is plainly its own doing (it is the origin, or it exceeded its own aggregate limit): an honest relay
 * passes on only what it admitted itself, so it never accrues strikes for somebody else's flood. A neighbour whose
 * strikes outrun the origin rate by a burst (roughly: pushing more than twice the limit) is abusive.
 */
export interface FloodGuard {
  /** Decides on one broadcast seen for the first time, authored by `origin`, handed over by `via`. */
  admit(origin: PeerIdString, via: PeerIdString): FloodVerdict;
  /** Decides on a broadcast this node starts itself (never abusive: the caller is told instead). */
  admitOwn(self: PeerIdString): boolean;
  /** The neighbour's session ended: forget its buckets. */
  forget(neighbour: PeerIdString): void;
  /** Counters. */
  stats(): FloodGuardStats;
}

interface NeighbourState {
  bucket: TokenBucket;
  strikes: TokenBucket;
}

/** Creates a flood guard. */
export function createFloodGuard(options: FloodGuardOptions): FloodGuard {
  const { ratePerSecond: rate, burst, now } = options;
  const factor = options.neighbourFactor ?? 4;
  const maxOrigins = Math.max(1, options.maxOrigins ?? 4096);
  // Map order is recency order: an origin heard again moves to the back, the front is forgotten first.
  const origins = new Map<PeerIdString, TokenBucket>();
  const neighbours = new Map<PeerIdString, NeighbourState>();
  const stats: FloodGuardStats = { originDrops: 0, neighbourDrops: 0, offences: 0 };

  const originBucket = (origin: PeerIdString): TokenBucket => {
    let b = origins.get(origin);
    if (b) origins.delete(origin);
    else {
      if (origins.size >= maxOrigins) origins.delete(origins.keys().next().value!);
      b = new TokenBucket(rate, burst, now);
    }
    origins.set(origin, b);
    return b;
  };
  const neighbour = (id: PeerIdString): NeighbourState => {
    let n = neighbours.get(id);
    if (!n) {
      n = { bucket: new TokenBucket(rate * factor, burst * factor, now), strikes: new TokenBucket(rate, burst, now) };
      neighbours.set(id, n);
    }
    return n;
  };
  const strike = (n: NeighbourState): boolean => {
    if (n.strikes.take()) return false;
    stats.offences++;
    // Judged once per offence: a fresh strike budget, so one flood is reported once, not per dropped frame.
    n.strikes = new TokenBucket(rate, burst, now);
    return true;
  };

  return {
    admit(origin, via) {
      const n = neighbour(via);
      if (!n.bucket.take()) {
        stats.neighbourDrops++;
        return { ok: false, reason: 'neighbour-limit', abusive: strike(n) };
      }
      if (!originBucket(origin).take()) {
        stats.originDrops++;
        return { ok: false, reason: 'origin-limit', abusive: origin === via ? strike(n) : false };
      }
      return { ok: true, abusive: false };
    },
    admitOwn(self) {
      return originBucket(self).take();
    },
    forget(id) { neighbours.delete(id); },
    stats: () => ({ ...stats }),
  };
}
