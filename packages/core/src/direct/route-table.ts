import type { Clock } from '../util/clock.js';
import { createSeenCache } from '../util/seen-cache.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** Next hops toward peers we have no session with, learned from the paths their messages took to reach us. */
export interface RouteTable {
  /** Remembers that `destination` can be reached through neighbour `via` (overwrites an older route). */
  learn(destination: PeerIdString, via: PeerIdString): void;
  /** Remembers a route only when none is known: a weaker hint must not replace a confirmed path. */
  suggest(destination: PeerIdString, via: PeerIdString): void;
  /** The neighbour to go through toward `destination`, if known. */
  next(destination: PeerIdString): PeerIdString | undefined;
  /** Forgets the route toward `destination` (it failed). */
  forget(destination: PeerIdString): void;
  /** Forgets every route through `via` (its session ended). */
  dropVia(via: PeerIdString): void;
  /** Routes known. */
  readonly size: number;
}

/** Creates a route table of at most `capacity` routes, each forgotten `ttlMs` after it was last confirmed. */
export function createRouteTable(options: { capacity: number; ttlMs: number; clock?: Clock }): RouteTable {
  const routes = createSeenCache<PeerIdString>(options);
  return {
    learn(destination, via) {
      if (destination !== via) routes.set(destination, via);
    },
    suggest(destination, via) {
      if (destination !== via && !routes.has(destination)) routes.set(destination, via);
    },
    next: (destination) => routes.get(destination),
    forget(destination) {
      routes.delete(destination);
    },
    dropVia(via) {
      for (const [destination, hop] of [...routes.entries()]) if (hop === via) routes.delete(destination);
    },
    get size() {
      return routes.size;
    },
  };
}
