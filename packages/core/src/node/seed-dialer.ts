import { backoffDelay } from '../mesh/peer-book.js';
import type { HostPort, Logger, PeerIdString } from './types.js';
import type { TransportConnection } from '../transport/types.js';
import type { PeerSession } from '../session/types.js';
import type { Clock } from '../util/clock.js';

/** What the seed dialer needs from its node. */
export interface SeedDialerInit {
  /** The configured seed addresses. */
  seeds: HostPort[];
  /** This node's peer ID (a seed list may name this very node). */
  self: PeerIdString;
  /** Dials an address without expecting a key (seeds are configured by address). */
  dial(address: HostPort): Promise<TransportConnection>;
  /** Starts a session on a new connection; undefined when the node is no longer running (the connection is dropped). */
  open(conn: TransportConnection): PeerSession | undefined;
  /** True when a session with that peer is open. */
  connected(peerId: PeerIdString): boolean;
  /** True when another handshake may start. */
  canHandshake(): boolean;
  /** Logger. */
  logger: Logger;
  /** Time source of the backoff. */
  clock: Clock;
}

interface SeedState {
  address: HostPort;
  next: number;
  failures: number;
  session?: PeerSession;
  peerId?: PeerIdString;
  self?: boolean;
  dialing?: boolean;
}

/** Keeps a session with every configured seed: dials them by address, with exponential backoff while they are down. */
export class SeedDialer {
  private readonly states: SeedState[];
  private readonly sessions = new WeakSet<PeerSession>();

  constructor(private readonly init: SeedDialerInit) {
    this.states = init.seeds.map((address) => ({ address, next: 0, failures: 0 }));
  }

  /** True when the session was opened to a configured seed address. */
  isSeedSession(s: PeerSession): boolean { return this.sessions.has(s); }

  /** A session opened: remember which seed it is, whoever dialled. */
  opened(s: PeerSession): void {
    for (const st of this.states) if (st.session === s) st.peerId = s.remotePeerId;
  }

  /** The session turned out to reach this very node (insecure mode learns it only from Hello): never dial it again. */
  reachedSelf(s: PeerSession): void {
    for (const st of this.states) if (st.session === s) st.self = true;
  }

  /** Dials every seed that has no session and is not backing off. */
  maintain(): void {
    const now = this.init.clock.now();
    for (const st of this.states) {
      if (st.self || st.dialing || (st.session && st.session.state !== 'closed')) continue;
      if (st.session) {
        // A seed session that ended early (refused as full, or dropped at once) counts as a failed dial, so a
        // full seed is not hammered every second.
        if (st.session.openedAt === 0 || now - st.session.openedAt < 5000) this.backOff(st);
        else st.failures = 0;
        st.session = undefined;
      }
      if (st.next > now) continue;
      // Already connected to that seed by another connection (it dialled us, or a duplicate was resolved).
      if (st.peerId && this.init.connected(st.peerId)) continue;
      if (!this.init.canHandshake()) return;
      st.dialing = true;
      st.session = undefined;
      this.init.dial(st.address).then((conn) => {
        st.dialing = false;
        if (conn.authenticatedPeerId === this.init.self) { st.self = true; conn.stream.destroy(); return; }
        if (conn.authenticatedPeerId) st.peerId = conn.authenticatedPeerId;
        const s = this.init.open(conn);
        if (!s) return;
        st.session = s;
        this.sessions.add(s);
      }, (err: Error) => {
        st.dialing = false;
        this.backOff(st);
        this.init.logger.debug({ seed: `${st.address.host}:${st.address.port}`, err: err.message }, 'seed dial failed');
      });
    }
  }

  private backOff(st: SeedState): void {
    st.failures++;
    st.next = this.init.clock.now() + backoffDelay(st.failures);
  }
}
