import { createBroadcastEngine } from '../broadcast/index.js';
import { v1 } from '../codec/wire.js';
import { createDirectRouter } from '../direct/index.js';
import { IdentityMismatchError } from '../errors.js';
import { loadOrCreateIdentity } from '../identity/node-identity.js';
import { createLivenessMonitor } from '../liveness/index.js';
import { createConnectionManager, PeerBook } from '../mesh/index.js';
import { createSeedService } from '../seed/index.js';
import { Session } from '../session/session.js';
import type { PeerSession } from '../session/types.js';
import { createSocketTransport } from '../transport/socket-transport.js';
import { learnSeedPeers } from './discovered-peers.js';
import type { NodeContext } from './node-context.js';
import { deliver, warn } from './notify.js';
import { sendEnvelope } from './peer-api.js';
import { roleFromWire } from './roles.js';
import { SeedDialer } from './seed-dialer.js';
import { selfInfo } from './self-info.js';
import { confirmDead, onSessionDead } from './session-close.js';
import { createSessionHandlers } from './session-handlers.js';
import { SessionOpener } from './session-opener.js';
import { startLan } from './start-lan.js';
import { stopNode } from './stop-node.js';

const GoodbyeReason = v1.GoodbyeReason;

/** Loads the identity, binds the listener and starts every part; a node starts once, and a failed start is undone. */
export async function startNode(ctx: NodeContext): Promise<void> {
  if (ctx.state !== 'new') throw new Error(`cannot start a node that is ${ctx.state}`);
  ctx.state = 'starting';
  try {
    await startParts(ctx);
  } catch (err) {
    // Whatever did start (listener, timers, sockets) is released, so a failed start leaks nothing.
    ctx.state = 'running';
    await stopNode(ctx);
    throw err;
  }
}

async function startParts(ctx: NodeContext): Promise<void> {
  const cfg = ctx.config;
  const identity = await loadOrCreateIdentity(cfg.dataDir);
  if (cfg.expectedPeerId && cfg.expectedPeerId !== identity.peerId) {
    throw new IdentityMismatchError(cfg.expectedPeerId, identity.peerId, `the key in ${cfg.dataDir} is another peer's`);
  }
  ctx.identity = identity;
  ctx.peerId = identity.peerId;
  ctx.book = new PeerBook(ctx.peerId);
  const factory = cfg.transport ?? createSocketTransport;
  const transport = factory({ identity, insecure: cfg.insecure, keylogFile: cfg.keylogFile, handshakeTimeoutMs: cfg.mesh.handshakeTimeoutMs,
    maxPendingHandshakes: Math.max(cfg.mesh.maxPendingHandshakes * 4, 16), logger: ctx.logger });
  ctx.transport = transport;
  const handlers = createSessionHandlers(ctx);
  const opener = new SessionOpener({
    self: ctx.peerId, transport, book: ctx.book, sessions: ctx.sessions,
    running: () => ctx.state === 'running',
    create: (conn, expected) => new Session(conn, handlers, ctx.counters, ctx.sessionOptions, expected),
    maxPendingHandshakes: cfg.mesh.maxPendingHandshakes, timeoutMs: cfg.mesh.handshakeTimeoutMs,
    warn: (code, message, peerId) => warn(ctx, code, message, peerId), logger: ctx.logger,
  });
  ctx.opener = opener;
  ctx.listener = await transport.listen(cfg.listen, (conn) => {
    if (!opener.accept(conn)) ctx.counters.framesDropped++;
  });
  ctx.engine = createBroadcastEngine({
    self: ctx.peerId, selfName: ctx.name, mode: cfg.broadcastMode, logger: ctx.logger,
    send: (peer, env) => sendEnvelope(ctx, peer, env),
    deliver: (msg) => void deliver(ctx, msg)?.catch((err: unknown) => ctx.logger.warn({ err, id: msg.id }, 'broadcast not stored')),
    // Where a broadcast came from is a route back to its author, for direct messages.
    onFirstCopy: (origin, via) => ctx.router?.learnRoute?.(origin, via),
  });
  ctx.router = createDirectRouter({
    self: ctx.peerId, selfName: ctx.name, logger: ctx.logger,
    send: (peer, env) => sendEnvelope(ctx, peer, env),
    neighbours: () => [...ctx.sessions.keys()],
    deliver: (msg) => deliver(ctx, msg),
  });
  ctx.liveness = createLivenessMonitor<PeerSession>({
    pingIntervalMs: cfg.mesh.pingIntervalMs, maxMissedPings: cfg.mesh.maxMissedPings,
    onDead: (s, detail) => onSessionDead(ctx, s, detail),
  });
  ctx.seeds = createSeedService({
    isSeed: ctx.role === 'seed', ttlMs: cfg.seedTtlMs, peerLimit: cfg.mesh.seedPeerLimit, logger: ctx.logger,
    self: () => selfInfo(ctx, ''),
    connected: () => [...ctx.sessions.keys()],
    onPeers: (peers) => learnSeedPeers(ctx, peers),
    confirmDead: (id) => confirmDead(ctx, id),
  });
  ctx.seedDialer = new SeedDialer({
    seeds: cfg.seeds, self: ctx.peerId, logger: ctx.logger,
    dial: (address) => transport.dial(address, { timeoutMs: cfg.mesh.handshakeTimeoutMs }),
    open: (conn) => opener.open(conn),
    connected: (id) => ctx.sessions.has(id),
    canHandshake: () => opener.canHandshake(),
  });
  ctx.mesh = createConnectionManager({
    sessions: () => [...ctx.sessions.values()].map((s) => ({
      peerId: s.remotePeerId!, role: roleFromWire(s.remoteHello?.role), load: s.remoteLoad, direction: s.direction, openedAt: s.openedAt,
    })),
    dialing: (id) => opener.dialing(id),
    dialCount: () => opener.dialCount(),
    dial: (id, address) => { void opener.dial(id, address); },
    trim: (id) => ctx.sessions.get(id)?.close(GoodbyeReason.GOODBYE_REASON_REBALANCE, 'above target degree'),
    askSeeds: () => ctx.seeds?.askAll(),
    announce: () => ctx.lan?.announce(),
    maintainSeeds: () => ctx.seedDialer?.maintain(),
  }, ctx.book, { ...cfg.mesh, trim: ctx.role !== 'seed' }, ctx.logger);
  if (cfg.lan.enabled) await startLan(ctx);
  ctx.state = 'running';
  ctx.mesh.poke();
  ctx.logger.info({ peerId: ctx.peerId, listen: ctx.listener.address }, 'node started');
}
