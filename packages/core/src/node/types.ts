/**
 * The public face of a node: what the daemon, the CLI and applications program against.
 * createNode(config) (node/create-node.ts) returns a P2PNode; nothing outside core depends on the implementation.
 */

import type { BroadcastResult } from '../broadcast/types.js';
import type { SendResult } from '../direct/types.js';
import type { NodeRole } from '../identity/node-role.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { HostPort } from '../transport/host-port.js';
import type { TransportFactory } from '../transport/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

// The basic types live at the bottom of the layers, beside what they describe; they are re-exported here so that
// code written against node/types.ts keeps compiling.
export type { BroadcastResult, HostPort, InboundMessage, Logger, NodeRole, PeerIdString, SendResult };

/** Configuration accepted by createNode. Everything but dataDir has a default. */
export interface NodeConfig {
  /** Directory holding the identity (key + certificate, mode 0600) and the peer book. */
  dataDir: string;
  /** Human-readable name; defaults to the host name. */
  name?: string;
  /** What this node does for the network; default 'peer'. */
  role?: NodeRole;
  /** Address to accept sessions on; default 0.0.0.0:7070 (port 0 picks a free port). */
  listen?: HostPort;
  /** LAN discovery; default enabled. */
  lan?: {
    /** Turn LAN discovery on or off. */
    enabled?: boolean;
    /** Interface address to bind discovery to and announce; default: the listen host. */
    interface?: string;
    /** Network mask of that interface, to compute the subnet broadcast address (e.g. 255.255.255.0 or 24). */
    mask?: string;
    /** UDP port of discovery; default 7071. */
    port?: number;
    /** Multicast group; default 239.192.112.112. Set to '' to disable multicast. */
    multicastGroup?: string;
    /** Milliseconds between periodic announcements; default 5000. */
    intervalMs?: number;
  };
  /** Seed nodes to register with and ask for peers. */
  seeds?: HostPort[];
  /** Plaintext sessions for labs: no TLS, no authentication. Default false. */
  insecure?: boolean;
  /** File to append TLS secrets to in the NSS key log format, for decrypting captures. */
  keylogFile?: string;
  /** Mesh limits and timings; every field has a default. */
  mesh?: {
    /** Hard cap on sessions; default 50. */
    maxConnections?: number;
    /** Number of sessions the node tries to keep; default 8. */
    targetDegree?: number;
    /** Cap on sessions the node did not dial; default 3/4 of maxConnections. */
    maxInbound?: number;
    /** Maximum handshakes in progress at once; default 16. */
    maxPendingHandshakes?: number;
    /** A connection that has not said Hello by then is closed; default 5000 ms. */
    handshakeTimeoutMs?: number;
    /** Interval between pings on every session; default 750 ms. */
    pingIntervalMs?: number;
    /** Pings missed in a row before a peer is declared dead; default 3. */
    maxMissedPings?: number;
    /** Sustained frames per second accepted from one peer; default 2000. */
    framesPerSecond?: number;
    /** Frames one peer may send in a burst; default 4000. */
    frameBurst?: number;
    /** Cap on bytes queued for one peer; default 8 MiB. */
    maxQueueBytes?: number;
    /** Peers asked for from each seed; default 50. */
    seedPeerLimit?: number;
  };
  /** Abuse limits: floods, discovery, seeds; every field has a default. */
  limits?: {
    /** Sustained new broadcasts per second accepted from one origin (this node's own included); default 50. */
    broadcastsPerSecond?: number;
    /** New broadcasts one origin may send in a burst; default 300. */
    broadcastBurst?: number;
    /** How long a neighbour that kept flooding past its limits is disconnected and refused; default 60000 ms. */
    penaltyMs?: number;
    /** Dials per second, node-wide, to addresses that never completed a handshake; default 2. */
    unprovenDialsPerSecond?: number;
    /** Peer-book entries never proven by a handshake; default 256 (the oldest unproven is forgotten first). */
    maxUnprovenPeers?: number;
    /** Seed role: live registrations from one source address; default 16 (its oldest is replaced). */
    seedRegistrationsPerAddress?: number;
    /** Messages stored (persist) at once; waiting ones start round-robin by sender. Default 32. */
    persistConcurrency?: number;
    /** Messages of one sender waiting to be stored; more are refused (not delivered). Default 256. */
    persistQueuePerSender?: number;
  };
  /** Logger; defaults to a silent one. pino's logger fits. */
  logger?: Logger;
  /** Time source of every protocol timer (sessions, liveness, seeds, mesh, broadcast, direct); the process clock by default. */
  clock?: Clock;
  /** Transport to use; defaults to real TCP/UDP sockets. Simulation tests pass the in-memory network's. */
  transport?: TransportFactory;
  /**
   * Stores a received message durably. Awaited before a direct message is acknowledged, so the sender's
   * "delivered" means "kept": a rejection with InboxFullError (code ERR_INBOX_FULL) answers "inbox-full", any
   * other rejection "not-stored"; broadcasts are passed to it too.
   */
  persist?: (message: InboundMessage) => Promise<void>;
  /** How broadcasts spread: 'plumtree' (default) or 'flood' (the baseline benchmarks compare against). */
  broadcastMode?: 'plumtree' | 'flood';
  /** The node refuses to start unless its key hashes to this peer ID. */
  expectedPeerId?: PeerIdString;
  /** Seed role: how long a registration lasts without renewal; default 30000 ms. */
  seedTtlMs?: number;
}

/** One row of the peer table. */
export interface PeerSnapshot {
  /** The peer's ID. */
  peerId: PeerIdString;
  /** The peer's name as it said in its Hello or announcement. */
  name: string;
  /** Where it can be dialled. */
  address: HostPort;
  /** connected: a live session; known: learned but not connected; dead: failed recently. */
  state: 'connected' | 'known' | 'dead';
  /** Last measured round-trip time in milliseconds, if any. */
  rttMs?: number;
  /** What the peer does for the network. */
  role: NodeRole;
  /** The peer's session count as it last reported. */
  load: number;
  /** Who dialled: only for connected peers. */
  direction?: 'inbound' | 'outbound';
}

/** Counters of a node, for status, metrics and benchmarks. */
export interface NodeStats {
  /** Live sessions. */
  connections: number;
  /** Bytes written to / read from sessions. */
  bytesSent: number;
  bytesReceived: number;
  /** Frames written to / read from sessions. */
  framesSent: number;
  framesReceived: number;
  /** Frames dropped: malformed, oversized, rate-limited, or queue full. */
  framesDropped: number;
  /** Broadcasts delivered to the application (each once). */
  broadcastsDelivered: number;
  /** Broadcast copies received beyond the first (the cost Plumtree keeps low). */
  broadcastDuplicates: number;
  /** Direct messages delivered to this node's application. */
  directDelivered: number;
  /** Peers declared dead by liveness. */
  peersDeclaredDead: number;
  /** New broadcasts dropped where first seen, over an origin's or a neighbour's rate limit. */
  broadcastsRateLimited: number;
  /** Chat texts refused on receipt for being over 64 KiB (broadcast or direct). */
  messagesTooLarge: number;
  /** Neighbours disconnected and boxed for flooding, since start. */
  peersPenalized: number;
  /** Dials skipped by the node-wide cap on dials to addresses never proven by a handshake. */
  unprovenDialsSkipped: number;
  /** Broadcasts, directs and acknowledgements dropped because their signature did not prove their author. */
  messagesRejected?: number;
  /** Last RTT per connected peer, ms. */
  rttMs: Record<PeerIdString, number>;
}

/** Events a node emits, with their argument. */
export interface NodeEvents {
  /** A session with a peer is up (after the Hello exchange). */
  'peer:connect': PeerSnapshot;
  /** A session ended (goodbye, closed socket, or declared dead). */
  'peer:disconnect': { peerId: PeerIdString; reason: string };
  /** A peer was learned (LAN, seed, hello). */
  'peer:discovered': PeerSnapshot;
  /** A chat line or data for the application (direct or broadcast), delivered exactly once. */
  message: InboundMessage;
  /** A non-fatal problem worth reporting (bad frame from a peer, failed dial). */
  warning: { code: string; message: string; peerId?: PeerIdString };
}

/** A running (or startable) node. */
export interface P2PNode {
  /** This node's peer ID (the empty string until start() has loaded the identity). */
  readonly peerId: PeerIdString;
  /** This node's name. */
  readonly name: string;
  /** This node's role. */
  readonly role: NodeRole;
  /** Binds sockets, starts discovery, seeds and the mesh. Resolves once listening. */
  start(): Promise<void>;
  /** Says goodbye to every peer and closes everything; resolves within about a second. */
  stop(): Promise<void>;
  /** Address sessions are accepted on (the real port when 0 was asked), once started. */
  listenAddress(): HostPort | undefined;
  /** Connected and known peers. */
  peers(): PeerSnapshot[];
  /** Resolves a name or a peer ID (or a unique prefix of one) to a peer ID. */
  resolve(nameOrId: string): PeerIdString | undefined;
  /**
   * Sends a chat line to one peer, waiting for the end-to-end acknowledgement. Rejects with MessageTooLargeError
   * ("refused: too large") for a text over 64 KiB of UTF-8, without sending anything.
   */
  send(to: string, text: string, options?: { timeoutMs?: number }): Promise<SendResult>;
  /**
   * Sends a chat line to every node. Throws MessageTooLargeError for a text over 64 KiB and RateLimitedError past
   * this node's own broadcast rate (which its neighbours would enforce anyway).
   */
  broadcast(text: string): BroadcastResult;
  /** Measures the round-trip time to a peer, dialling it if needed. */
  ping(to: string, options?: { timeoutMs?: number }): Promise<number>;
  /** Counters. */
  stats(): NodeStats;
  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void;
}
