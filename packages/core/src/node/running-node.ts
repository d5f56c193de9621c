import type { BroadcastEngine } from '../broadcast/types.js';
import type { DirectRouter } from '../direct/types.js';
import type { LanDiscovery } from '../discovery/lan-discovery.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { LivenessMonitor } from '../liveness/liveness-monitor.js';
import type { ConnectionManager } from '../mesh/connection-manager.js';
import type { PeerBook } from '../mesh/peer-book.js';
import type { PeerBookSaver } from '../mesh/peer-book-saver.js';
import type { SeedService } from '../seed/seed-service.js';
import type { PeerSession, SessionCounters } from '../session/types.js';
import type { Transport, TransportListener } from '../transport/types.js';
import type { NodeShell } from './node-shell.js';
import type { SeedDialer } from './seed-dialer.js';
import type { SessionOpener } from './session-opener.js';

/**
 * A started node: built once by start() with every part in place, so no field is ever missing. It outlives
 * stop() (callbacks that fire during or after stop() still find every part); whether it runs is told by
 * `lifecycle.state` alone. Each module of node/ takes only the fields it uses (a Pick of this).
 */
export interface RunningNode extends NodeShell {
  /** The loaded identity. */
  readonly identity: NodeIdentity;
  /** This node's peer ID. */
  readonly peerId: PeerIdString;
  /** The transport sessions run over. */
  readonly transport: Transport;
  /** The listener for inbound sessions. */
  readonly listener: TransportListener;
  /** Traffic counters, summed over every session. */
  readonly counters: SessionCounters;
  /** Open sessions, one per peer. */
  readonly sessions: Map<PeerIdString, PeerSession>;
  /** Every peer known, connected or not. */
  readonly book: PeerBook;
  /** Writes the book to dataDir, so a restarted node knows whom to dial. */
  readonly peerSaver: PeerBookSaver;
  /** Opens sessions within the handshake cap. */
  readonly opener: SessionOpener;
  /** Pings and dead-peer detection. */
  readonly liveness: LivenessMonitor<PeerSession>;
  /** Seed registration and lookups (and, on a seed, the registry). */
  readonly seeds: SeedService;
  /** Keeps sessions with the configured seeds. */
  readonly seedDialer: SeedDialer;
  /** Broadcast dissemination. */
  readonly engine: BroadcastEngine;
  /** Direct message routing. */
  readonly router: DirectRouter;
  /** Keeps the mesh at its target degree. */
  readonly mesh: ConnectionManager;
  /** LAN discovery; a stand-in that does nothing while it is disabled or could not start. */
  lan: LanDiscovery;
  /** Peers liveness has declared dead since start. */
  peersDeclaredDead: number;
}
