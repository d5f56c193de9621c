import type { HostPort } from '../transport/host-port.js';
import type { Logger } from '../util/logger.js';
import type { NodeRole } from '../identity/node-role.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { TokenBucket } from '../session/token-bucket.js';
import { every, systemClock, type Clock } from '../util/clock.js';
import type { PeerBook } from './peer-book.js';

/** Limits of the mesh. */
export interface MeshLimits {
  /** Hard cap on sessions. */
  maxConnections: number;
  /** Sessions (with non-seed peers) the node tries to keep. */
  targetDegree: number;
  /** Cap on sessions the node did not dial. */
  maxInbound: number;
  /** Whether to trim above the target degree; seeds and clique servers do not (their connections are their job). */
  trim?: boolean;
  /**
   * Node-wide dials per second to addresses no dial ever reached (learned from announcements, seed lists, or the
   * port an inbound peer claims); default 2, with a burst of twice that. Reached addresses are not limited.
   */
  unprovenDialsPerSecond?: number;
}

/** A live session as the connection manager sees it. */
export interface MeshSession {
  /** The peer. */
  peerId: PeerIdString;
  /** Its role. */
  role: NodeRole;
  /** Its reported load. */
  load: number;
  /** Who dialled. */
  direction: 'inbound' | 'outbound';
  /** Clock time (ms) when it opened. */
  openedAt: number;
}

/** What the connection manager drives. */
export interface MeshHost {
  /** Open sessions. */
  sessions(): MeshSession[];
  /** True while a dial to that peer is in progress. */
  dialing(peerId: PeerIdString): boolean;
  /** Number of dials in progress. */
  dialCount(): number;
  /** Dials a known peer, expecting its key. */
  dial(peerId: PeerIdString, address: HostPort): void;
  /** Ends a session politely because the mesh is above its target degree. */
  trim(peerId: PeerIdString): void;
  /** Asks the seeds for more peers. */
  askSeeds(): void;
  /** Sends a LAN announcement now. */
  announce(): void;
  /** Re-dials configured seeds that have no session. */
  maintainSeeds(): void;
  /** True for a peer the mesh must not dial now (in the penalty box). */
  excluded?(peerId: PeerIdString): boolean;
}

/** Keeps the node at its target degree: dials replacements when below, trims politely when above. */
export interface ConnectionManager {
  /** Runs one round now (after a peer died, a peer was learned, ...), coalesced with other requests. */
  poke(): void;
  /** Whether an inbound session can be accepted now: undefined if yes, else why not. */
  admitInbound(): string | undefined;
  /** Counters. */
  stats(): { unprovenDialsSkipped: number };
  /** Stops the timer. */
  stop(): void;
}

const SETTLE_MS = 3000;
// Pokes within this window share one round: a burst of announcements must not cost a round each.
const POKE_DELAY_MS = 25;
const ASK_EVERY_MS = 2000;

/** Creates the connection manager; it ticks every `tickMs` (default 1000) of `clock` and whenever poked. */
export function createConnectionManager(
  host: MeshHost, book: PeerBook, limits: MeshLimits, logger: Logger, tickMs = 1000, clock: Clock = systemClock,
): ConnectionManager {
  let lastAsk = 0;
  let lastAnnounce = 0;
  let poked = false;
  let stopped = false;
  const unprovenRate = limits.unprovenDialsPerSecond ?? 2;
  // Dials to unproven addresses are what forged announcements and junk seed lists would turn into traffic
  // towards third parties: a node-wide budget, spent only while the node is short of peers (rounds dial only then).
  const unproven = new TokenBucket(unprovenRate, Math.max(1, unprovenRate * 2), () => clock.now());
  let unprovenDialsSkipped = 0;

  function round(): void {
    if (stopped) return;
    host.maintainSeeds();
    const sessions = host.sessions();
    const connected = new Set(sessions.map((s) => s.peerId));
    const meshPeers = sessions.filter((s) => s.role !== 'seed');
    const degree = meshPeers.length;
    const now = clock.now();
    if (degree < limits.targetDegree && sessions.length < limits.maxConnections) {
      const want = Math.min(limits.targetDegree - degree, limits.maxConnections - sessions.length);
      // Up to twice the shortfall in flight: a dial hanging on a frozen peer must not hold up the healing.
      const budget = Math.max(0, Math.min(want, 2 * want - host.dialCount()));
      const candidates = budget === 0 ? [] : book.candidates(
        (id) => connected.has(id) || host.dialing(id) || book.get(id)?.role === 'seed' || host.excluded?.(id) === true, budget, now);
      for (const r of candidates) {
        if (!r.reached && !unproven.take()) { unprovenDialsSkipped++; continue; }
        host.dial(r.peerId, r.address);
      }
      if (candidates.length < budget) {
        if (now - lastAsk >= ASK_EVERY_MS) { lastAsk = now; host.askSeeds(); }
        if (now - lastAnnounce >= ASK_EVERY_MS) { lastAnnounce = now; host.announce(); }
      }
    } else if (degree > limits.targetDegree && limits.trim !== false) {
      // Trim only a peer that keeps at least the target degree without us, so trimming never starts a chain of
      // re-dials; one per round, oldest-settled and busiest first.
      const victim = meshPeers
        .filter((s) => now - s.openedAt >= SETTLE_MS && s.load > limits.targetDegree)
        .sort((a, b) => b.load - a.load)[0];
      if (victim) {
        logger.debug({ peer: victim.peerId, degree }, 'trimming the mesh');
        host.trim(victim.peerId);
      }
    }
  }

  const timer = every(clock, tickMs, round);
  return {
    poke() {
      if (poked || stopped) return;
      poked = true;
      clock.setTimeout(() => { poked = false; round(); }, POKE_DELAY_MS);
    },
    admitInbound() {
      const sessions = host.sessions();
      if (sessions.length >= limits.maxConnections) return `at max connections (${limits.maxConnections})`;
      const inbound = sessions.filter((s) => s.direction === 'inbound').length;
      if (inbound >= limits.maxInbound) return `at max inbound sessions (${limits.maxInbound})`;
      return undefined;
    },
    stats: () => ({ unprovenDialsSkipped }),
    stop() { stopped = true; timer.stop(); },
  };
}
