import { DialError, IdentityMismatchError, NodeNotStartedError, SessionClosedError, type P2PError } from '../errors.js';
import type { PeerBook } from '../mesh/peer-book.js';
import type { Transport, TransportConnection } from '../transport/types.js';
import { formatHostPort } from '../transport/host-port.js';
import type { HostPort, Logger, PeerIdString } from './types.js';
import type { PeerSession } from '../session/types.js';

/** What the session opener needs from its node. */
export interface SessionOpenerInit {
  /** This node's peer ID. */
  self: PeerIdString;
  /** The node's transport. */
  transport: Transport;
  /** The node's peer book (dial failures back off there). */
  book: PeerBook;
  /** Open sessions by peer. */
  sessions: ReadonlyMap<PeerIdString, PeerSession>;
  /** True while the node runs. */
  running(): boolean;
  /** Builds a session on a connection (the node's handlers, counters and options). */
  create(conn: TransportConnection, expectedPeerId?: PeerIdString): PeerSession;
  /** Most handshakes in progress. */
  maxPendingHandshakes: number;
  /** True for a peer whose sessions are refused now (penalty box): no dial to it, and its connections are dropped. */
  refused?(peerId: PeerIdString): boolean;
  /** Dial and handshake timeout. */
  timeoutMs: number;
  /** Reports a warning. */
  warn(code: string, message: string, peerId?: PeerIdString): void;
  /** Logger. */
  logger: Logger;
}

/** Opens sessions, inbound and outbound, within the pending-handshake cap; one dial per peer at a time. */
export class SessionOpener {
  /** Sessions still in their Hello exchange. */
  readonly handshaking = new Set<PeerSession>();
  private readonly dials = new Map<PeerIdString, Promise<PeerSession | undefined>>();

  constructor(private readonly init: SessionOpenerInit) {}

  /** Handshakes in progress. */
  pending(): number { return this.handshaking.size; }
  /** True while a dial to the peer is in progress. */
  dialing(peerId: PeerIdString): boolean { return this.dials.has(peerId); }
  /** Dials in progress. */
  dialCount(): number { return this.dials.size; }
  /** True when another handshake may start. */
  canHandshake(): boolean { return this.init.running() && this.pending() < this.init.maxPendingHandshakes; }

  /**
   * Makes room for one more handshake: at the cap, the oldest INBOUND handshake in progress goes (never one of our
   * dials). Connections that finish TLS and then say nothing would otherwise hold every slot for the whole handshake
   * timeout, and the node could neither accept nor dial anyone (slowloris at the Hello).
   */
  private makeRoom(): boolean {
    if (!this.init.running()) return false;
    if (this.pending() < this.init.maxPendingHandshakes) return true;
    for (const s of this.handshaking) {
      if (s.direction !== 'inbound') continue;
      this.handshaking.delete(s);
      s.destroy('handshake slot taken by a newer connection');
      return true;
    }
    return false;
  }

  /** An inbound connection: a session (the oldest inbound handshake goes when at the cap), or dropped. Returns false when dropped. */
  accept(conn: TransportConnection): boolean {
    const proven = conn.authenticatedPeerId;
    if ((proven !== undefined && this.init.refused?.(proven)) || !this.makeRoom()) {
      conn.stream.destroy();
      return false;
    }
    this.handshaking.add(this.init.create(conn));
    return true;
  }

  /** Starts a session on a connection this node dialled, unless the node is stopping. */
  open(conn: TransportConnection, expectedPeerId?: PeerIdString): PeerSession | undefined {
    if (!this.init.running()) {
      conn.stream.destroy();
      return undefined;
    }
    const s = this.init.create(conn, expectedPeerId);
    this.handshaking.add(s);
    return s;
  }

  /** Dials a peer ID at an address; resolves with the session with that peer, or undefined on failure. */
  dial(peerId: PeerIdString, address: HostPort): Promise<PeerSession | undefined> {
    const existing = this.init.sessions.get(peerId);
    if (existing) return Promise.resolve(existing);
    const inflight = this.dials.get(peerId);
    if (inflight) return inflight;
    if (this.init.refused?.(peerId) || !this.makeRoom()) return Promise.resolve(undefined);
    const { transport, book } = this.init;
    const p = (async () => {
      try {
        const conn = await transport.dial(address, { expectedPeerId: transport.secure ? peerId : undefined, timeoutMs: this.init.timeoutMs });
        const s = this.open(conn, peerId);
        if (!s) return undefined;
        await s.settled();
        // The peer's key answered Hello at that address, even if it then refused us: the address is reached.
        if (s.remotePeerId === peerId) book.reachedAt(peerId, address);
        // Open, or lost a simultaneous-dial race to the peer's own connection: either way there is a session.
        const current = this.init.sessions.get(peerId);
        if (current) return current;
        book.dialFailed(peerId, s.closeReason?.includes('IDENTITY_MISMATCH'));
        return undefined;
      } catch (err) {
        const mismatch = err instanceof IdentityMismatchError;
        book.dialFailed(peerId, mismatch);
        if (mismatch) this.init.warn((err as P2PError).code, (err as Error).message, peerId);
        else this.init.logger.debug({ peer: peerId, err: (err as Error).message }, 'dial failed');
        return undefined;
      } finally {
        this.dials.delete(peerId);
      }
    })();
    this.dials.set(peerId, p);
    return p;
  }

  /** Opens a session to an address now (see NodeExtensions.connect). */
  async connect(address: HostPort, peerId?: PeerIdString): Promise<PeerIdString> {
    if (!this.init.running()) throw new NodeNotStartedError();
    const target = formatHostPort(address);
    const { transport, sessions } = this.init;
    const conn = await transport.dial(address, { expectedPeerId: transport.secure ? peerId : undefined, timeoutMs: this.init.timeoutMs });
    const proven = conn.authenticatedPeerId;
    if (proven === this.init.self) { conn.stream.destroy(); throw new DialError(target, 'that address is this node'); }
    if (proven && sessions.has(proven)) { conn.stream.destroy(); return proven; }
    const s = this.open(conn, peerId);
    if (!s) throw new NodeNotStartedError();
    await s.settled();
    const id = s.remotePeerId;
    // Open, or lost a simultaneous-dial race to the other connection: the session with the peer is there.
    if (id && sessions.has(id)) return id;
    throw new SessionClosedError(s.closeReason ?? 'closed during the handshake');
  }
}
