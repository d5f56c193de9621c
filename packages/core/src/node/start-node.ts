import { createFloodGuard } from '../broadcast/flood-guard.js';
import { createBroadcastEngine } from '../broadcast/plumtree-engine.js';
import { v1 } from '../codec/wire.js';
import { createDirectRouter } from '../direct/direct-router.js';
import { IdentityMismatchError, NodeAlreadyStartedError } from '../errors.js';
import { loadOrCreateIdentity, type NodeIdentity } from '../identity/node-identity.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { createLivenessMonitor } from '../liveness/liveness-monitor.js';
import { createConnectionManager } from '../mesh/connection-manager.js';
import { PeerBook } from '../mesh/peer-book.js';
import { createSeedService } from '../seed/seed-service.js';
import { Session } from '../session/session.js';
import type { PeerSession, SessionOptions } from '../session/types.js';
import { createSocketTransport } from '../transport/socket-transport.js';
import type { Transport, TransportConnection, TransportListener } from '../transport/types.js';
import { learnSeedPeers } from './discovered-peers.js';
import type { NodeShell } from './node-shell.js';
import { createNodeAuth } from './message-trust.js';
import { deliver, warn } from './notify.js';
import { sendEnvelope } from './peer-api.js';
import { roleFromWire } from './roles.js';
import type { RunningNode } from './running-node.js';
import { SeedDialer } from './seed-dialer.js';
import { selfInfo } from './self-info.js';
import { confirmDead, onSessionDead } from './session-close.js';
import { createSessionHandlers } from './session-handlers.js';
import { SessionOpener } from './session-opener.js';
import { createStoredPeersSaver, loadStoredPeers, seedBookFromStore } from './stored-peers.js';
import { noLanDiscovery, startLan } from './start-lan.js';
import { penalize } from './penalize.js';
import { probePeer } from './probe-peer.js';
import { stopNode } from './stop-node.js';

const GoodbyeReason = v1.GoodbyeReason;

/**
 * Loads the identity, binds the listener and builds every part; a node starts once, and a failed start is
 * undone (whatever was bound or started is released, so it leaks nothing).
 */
export async function startNode(shell: NodeShell): Promise<RunningNode> {
  if (shell.lifecycle.state !== 'new') throw new NodeAlreadyStartedError(shell.lifecycle.state);
  shell.lifecycle.state = 'starting';
  const cfg = shell.config;
  let transport: Transport | undefined;
  let listener: TransportListener | undefined;
  let node: RunningNode | undefined;
  try {
    const identity = await loadOrCreateIdentity(cfg.dataDir);
    if (cfg.expectedPeerId && cfg.expectedPeerId !== identity.peerId) {
      throw new IdentityMismatchError(cfg.expectedPeerId, identity.peerId, `the key in ${cfg.dataDir} is another peer's`);
    }
    transport = (cfg.transport ?? createSocketTransport)({
      identity, insecure: cfg.insecure, keylogFile: cfg.keylogFile, handshakeTimeoutMs: cfg.mesh.handshakeTimeoutMs,
      maxPendingHandshakes: Math.max(cfg.mesh.maxPendingHandshakes * 4, 16), logger: shell.logger,
    });
    // Connections that arrive before the node is built are dropped: no part may see a half-built node.
    const stored = await loadStoredPeers(shell);
    let accept = (conn: TransportConnection): void => { conn.stream.destroy(); };
    listener = await transport.listen(cfg.listen, (conn) => accept(conn));
    const built = buildNode(shell, identity, transport, listener);
    node = built;
    // Stored peers are dialled first after a restart: they may be all there is when LAN discovery is off and no seed is up.
    seedBookFromStore(built.book, stored, cfg.limits.maxUnprovenPeers);
    built.peerSaver.start();
    accept = (conn) => { if (!built.opener.accept(conn)) built.counters.framesDropped++; };
    if (cfg.lan.enabled) await startLan(built);
    shell.lifecycle.state = 'running';
    built.mesh.poke();
    built.logger.info({ peerId: built.peerId, listen: listener.address }, 'node started');
    return built;
  } catch (err) {
    if (node) {
      await stopNode(node);
    } else {
      await Promise.all([listener?.close().catch(() => undefined), transport?.close().catch(() => undefined)]);
    }
    shell.lifecycle.state = 'stopped';
    throw err;
  }
}

/**
 * Builds every part around the identity, transport and listener. Parts only keep callbacks here and do no I/O
 * until they are called, so callbacks may refer to `node`: none runs before it is assigned.
 */
function buildNode(shell: NodeShell, identity: NodeIdentity, transport: Transport, listener: TransportListener): RunningNode {
  const cfg = shell.config;
  const peerId = identity.peerId;
  const sessions = new Map<PeerIdString, PeerSession>();
  const counters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  const clock = shell.clock;
  const book = new PeerBook(peerId, 10_000, {}, cfg.limits.maxUnprovenPeers, undefined, clock);
  const m = cfg.mesh;
  const sessionOptions: SessionOptions = {
    handshakeTimeoutMs: m.handshakeTimeoutMs, maxQueueBytes: m.maxQueueBytes, framesPerSecond: m.framesPerSecond, frameBurst: m.frameBurst, clock,
  };
  const running = (): boolean => shell.lifecycle.state === 'running';
  const opener = new SessionOpener({
    self: peerId, transport, book, sessions, running,
    create: (conn, expected) => new Session(conn, handlers, counters, sessionOptions, expected),
    maxPendingHandshakes: m.maxPendingHandshakes, timeoutMs: m.handshakeTimeoutMs,
    refused: (id) => shell.penalties.has(id),
    warn: (code, message, peer) => warn(shell, code, message, peer), logger: shell.logger,
  });
  const auth = createNodeAuth(shell, sessions, identity, (peer, detail) => penalize(node, peer, detail));
  const router = createDirectRouter({
    auth: auth.direct,
    self: peerId, selfName: shell.name, logger: shell.logger, clock,
    send: (peer, env, lane) => sendEnvelope(sessions, peer, env, lane),
    neighbours: () => [...sessions.keys()],
    deliver: (msg) => deliver(shell, msg),
  });
  const seeds = createSeedService({
    isSeed: shell.role === 'seed', ttlMs: cfg.seedTtlMs, peerLimit: m.seedPeerLimit, logger: shell.logger, clock,
    self: () => selfInfo(node, ''),
    connected: () => [...sessions.keys()],
    onPeers: (peers) => learnSeedPeers(node, peers),
    confirmDead: (id) => confirmDead(node, id),
    probe: (id, address) => probePeer(node, id, address),
    perSource: cfg.limits.seedRegistrationsPerAddress,
  });
  const seedDialer = new SeedDialer({
    seeds: cfg.seeds, self: peerId, logger: shell.logger, clock,
    dial: (address) => transport.dial(address, { timeoutMs: m.handshakeTimeoutMs }),
    open: (conn) => opener.open(conn),
    connected: (id) => sessions.has(id),
    canHandshake: () => opener.canHandshake(),
  });
  const node: RunningNode = {
    ...shell, identity, peerId, transport, listener, counters, sessions, book, opener, router, seeds, seedDialer,
    peerSaver: createStoredPeersSaver(shell, book),
    lan: noLanDiscovery,
    peersDeclaredDead: 0,
    engine: createBroadcastEngine({
      auth: auth.broadcast,
      self: peerId, selfName: shell.name, mode: cfg.broadcastMode, logger: shell.logger, clock,
      send: (peer, env, lane) => sendEnvelope(sessions, peer, env, lane),
      floodGuard: createFloodGuard({ ratePerSecond: cfg.limits.broadcastsPerSecond, burst: cfg.limits.broadcastBurst, now: () => clock.now() }),
      onAbuse: (peer, detail) => penalize(node, peer, detail),
      deliver: (msg) => void deliver(shell, msg)?.catch((err: unknown) => shell.logger.warn({ err, id: msg.id }, 'broadcast not stored')),
      // Where a broadcast came from is a route back to its author, for direct messages.
      onFirstCopy: (origin, via) => router.learnRoute?.(origin, via),
    }),
    liveness: createLivenessMonitor<PeerSession>({
      pingIntervalMs: m.pingIntervalMs, maxMissedPings: m.maxMissedPings, clock,
      onDead: (s, detail) => onSessionDead(node, s, detail),
    }),
    mesh: createConnectionManager({
      sessions: () => [...sessions.values()].map((s) => ({
        peerId: s.remotePeerId!, role: roleFromWire(s.remoteHello?.role), load: s.remoteLoad, direction: s.direction, openedAt: s.openedAt,
      })),
      dialing: (id) => opener.dialing(id),
      dialCount: () => opener.dialCount(),
      dial: (id, address) => { void opener.dial(id, address); },
      trim: (id) => sessions.get(id)?.close(GoodbyeReason.GOODBYE_REASON_REBALANCE, 'above target degree'),
      askSeeds: () => seeds.askAll(),
      announce: () => node.lan.announce(),
      maintainSeeds: () => seedDialer.maintain(),
      excluded: (id) => shell.penalties.has(id),
      // A clique server must stay connected to every other server: like a seed, it never trims.
    }, book, { ...m, trim: shell.role !== 'seed' && shell.role !== 'server', unprovenDialsPerSecond: cfg.limits.unprovenDialsPerSecond },
    shell.logger, 1000, clock),
  };
  const handlers = createSessionHandlers(node);
  return node;
}
