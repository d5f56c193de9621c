import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { BroadcastEngine } from '../broadcast/types.js';
import type { DirectRouter } from '../direct/index.js';
import type { LanDiscovery } from '../discovery/index.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import type { LivenessMonitor } from '../liveness/index.js';
import type { ConnectionManager, PeerBook } from '../mesh/index.js';
import type { SeedService } from '../seed/index.js';
import type { PeerSession, SessionCounters, SessionOptions } from '../session/types.js';
import type { Transport, TransportListener } from '../transport/types.js';
import type { ResolvedNodeConfig } from './config.js';
import type { EnvelopeHandler, LanEnvelopeHandler } from './extensions.js';
import type { SeedDialer } from './seed-dialer.js';
import type { SessionOpener } from './session-opener.js';
import { silentLogger } from '../util/logger.js';
import { TypedEmitter } from './typed-emitter.js';
import type { Logger, NodeRole, PeerIdString } from './types.js';

/** Where a node is in its one-way life: a node is started at most once and never restarted. */
export type NodeState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * State shared by a node's start/stop, its session handlers and its public API. The optional parts exist once
 * start() has built them and are never cleared, so callbacks that fire during or after stop() still find them;
 * whether the node runs is told by `state` alone.
 */
export interface NodeContext {
  /** The validated configuration. */
  readonly config: ResolvedNodeConfig;
  /** This node's peer ID (empty until the identity is loaded). */
  peerId: PeerIdString;
  /** This node's name, as sent in Hello and announcements. */
  name: string;
  /** This node's role. */
  readonly role: NodeRole;
  /** Where to log. */
  readonly logger: Logger;
  /** The application's event listeners. */
  readonly emitter: TypedEmitter;
  /** Traffic counters, summed over every session. */
  readonly counters: SessionCounters;
  /** Open sessions, one per peer. */
  readonly sessions: Map<PeerIdString, PeerSession>;
  /** Handlers for envelopes the node does not handle itself (NodeExtensions.onEnvelope). */
  readonly extraHandlers: Set<EnvelopeHandler>;
  /** Handlers for LAN datagrams other than announcements (NodeExtensions.onLanEnvelope). */
  readonly lanHandlers: Set<LanEnvelopeHandler>;
  /** Random per run, so peers tell a restarted node from the one they knew. */
  readonly instanceId: Uint8Array;
  /** Options every session is created with. */
  readonly sessionOptions: SessionOptions;
  /** Lifecycle state. */
  state: NodeState;
  /** Peers liveness has declared dead since start. */
  peersDeclaredDead: number;
  /** The loaded identity. */
  identity?: NodeIdentity;
  /** The transport sessions run over. */
  transport?: Transport;
  /** The listener for inbound sessions. */
  listener?: TransportListener;
  /** Every peer known, connected or not. */
  book?: PeerBook;
  /** Pings and dead-peer detection. */
  liveness?: LivenessMonitor<PeerSession>;
  /** Keeps the mesh at its target degree. */
  mesh?: ConnectionManager;
  /** Seed registration and lookups (and, on a seed, the registry). */
  seeds?: SeedService;
  /** LAN discovery, when enabled and an interface was found. */
  lan?: LanDiscovery;
  /** Broadcast dissemination. */
  engine?: BroadcastEngine;
  /** Direct message routing. */
  router?: DirectRouter;
  /** Opens sessions within the handshake cap. */
  opener?: SessionOpener;
  /** Keeps sessions with the configured seeds. */
  seedDialer?: SeedDialer;
}

/** The state of a node that has not started: nothing bound, no identity loaded. */
export function createNodeContext(config: ResolvedNodeConfig): NodeContext {
  const logger = config.logger ?? silentLogger;
  const m = config.mesh;
  return {
    config,
    peerId: '',
    name: config.name ?? hostname(),
    role: config.role,
    logger,
    emitter: new TypedEmitter(logger),
    counters: { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 },
    sessions: new Map(),
    extraHandlers: new Set(),
    lanHandlers: new Set(),
    instanceId: randomBytes(16),
    sessionOptions: {
      handshakeTimeoutMs: m.handshakeTimeoutMs, maxQueueBytes: m.maxQueueBytes, framesPerSecond: m.framesPerSecond, frameBurst: m.frameBurst,
    },
    state: 'new',
    peersDeclaredDead: 0,
  };
}
