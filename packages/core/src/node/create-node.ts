import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createBroadcastEngine } from '../broadcast/index.js';
import type { BroadcastEngine } from '../broadcast/types.js';
import { PROTOCOL_VERSION, v1, type DecodedEnvelope, type Envelope, type p2p } from '../codec/wire.js';
import { createDirectRouter, type DirectRouter } from '../direct/index.js';
import { startLanDiscovery, type LanDiscovery } from '../discovery/index.js';
import { IdentityMismatchError, NodeNotStartedError, PeerNotFoundError } from '../errors.js';
import { isPeerIdString, peerIdToString } from '../identity/peer-id.js';
import { loadOrCreateIdentity, type NodeIdentity } from '../identity/node-identity.js';
import { createLivenessMonitor, type LivenessMonitor } from '../liveness/index.js';
import { closeVerdict, createConnectionManager, PeerBook, type ConnectionManager } from '../mesh/index.js';
import { createSeedService, type SeedService } from '../seed/index.js';
import { Session } from '../session/session.js';
import { pickSession } from '../session/pick-session.js';
import type { SessionCounters, SessionHandlers, SessionOptions } from '../session/types.js';
import { createSocketTransport } from '../transport/socket-transport.js';
import type { Transport, TransportFactory, TransportListener } from '../transport/types.js';
import { normalizeConfig, type ResolvedNodeConfig } from './config.js';
import { resolveLanInterface } from './lan-interface.js';
import { silentLogger } from './silent-logger.js';
import type { EnvelopeHandler, NodeExtensions } from './extensions.js';
import { recordSnapshot, resolvePeer, sessionSnapshot } from './peer-view.js';
import { ROLE_TO_WIRE, roleFromWire } from './roles.js';
import { SeedDialer } from './seed-dialer.js';
import { SessionOpener } from './session-opener.js';
import { TypedEmitter } from './typed-emitter.js';
import type {
  InboundMessage,
  BroadcastResult, HostPort, Logger, NodeConfig, NodeEvents, NodeRole, NodeStats, P2PNode, PeerIdString, PeerSnapshot,
  SendResult,
} from './types.js';

const GoodbyeReason = v1.GoodbyeReason;
/** Software name sent in Hello. */
export const AGENT = 'p2p-toolkit/0.1.0';

const hex = (b: Uint8Array | null | undefined): string => (b ? Buffer.from(b).toString('hex') : '');
const addrKey = (a: HostPort): string => `${a.host}:${a.port}`;

/**
 * Creates a node. The configuration is validated at once (ConfigError names the key at fault); nothing is bound
 * until start(). `peerId` is the empty string until start() has loaded the identity.
 */
export function createNode(config: NodeConfig): P2PNode & NodeExtensions {
  return new Node(normalizeConfig(config));
}

class Node implements P2PNode, NodeExtensions {
  peerId: PeerIdString = '';
  name: string;
  readonly role: NodeRole;
  private readonly logger: Logger;
  private readonly emitter: TypedEmitter;
  private readonly counters: SessionCounters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  private readonly sessions = new Map<PeerIdString, Session>();
  private opener: SessionOpener | undefined;
  private seedDialer: SeedDialer | undefined;
  private readonly extraHandlers = new Set<EnvelopeHandler>();
  private readonly instanceId = randomBytes(16);
  private readonly sessionOptions: SessionOptions;
  private identity: NodeIdentity | undefined;
  private transport: Transport | undefined;
  private listener: TransportListener | undefined;
  private book: PeerBook | undefined;
  private liveness: LivenessMonitor | undefined;
  private mesh: ConnectionManager | undefined;
  private seeds: SeedService | undefined;
  private lan: LanDiscovery | undefined;
  private engine: BroadcastEngine | undefined;
  private router: DirectRouter | undefined;
  private peersDeclaredDead = 0;
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(private readonly config: ResolvedNodeConfig) {
    this.name = config.name ?? hostname();
    this.role = config.role;
    this.logger = config.logger ?? silentLogger;
    this.emitter = new TypedEmitter(this.logger);
    const m = config.mesh;
    this.sessionOptions = {
      handshakeTimeoutMs: m.handshakeTimeoutMs, maxQueueBytes: m.maxQueueBytes, framesPerSecond: m.framesPerSecond, frameBurst: m.frameBurst,
    };
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`cannot start a node that is ${this.state}`);
    this.state = 'starting';
    try {
      await this.startParts();
    } catch (err) {
      // Whatever did start (listener, timers, sockets) is released, so a failed start leaks nothing.
      this.state = 'running';
      await this.stop();
      throw err;
    }
  }

  private async startParts(): Promise<void> {
    const cfg = this.config;
    const identity = await loadOrCreateIdentity(cfg.dataDir);
    if (cfg.expectedPeerId && cfg.expectedPeerId !== identity.peerId) {
      throw new IdentityMismatchError(cfg.expectedPeerId, identity.peerId, `the key in ${cfg.dataDir} is another peer's`);
    }
    this.identity = identity;
    this.peerId = identity.peerId;
    this.book = new PeerBook(this.peerId);
    const factory = (cfg.transport as TransportFactory | undefined) ?? createSocketTransport;
    this.transport = factory({ identity, insecure: cfg.insecure, keylogFile: cfg.keylogFile, handshakeTimeoutMs: cfg.mesh.handshakeTimeoutMs,
      maxPendingHandshakes: Math.max(cfg.mesh.maxPendingHandshakes * 4, 16), logger: this.logger });
    this.opener = new SessionOpener({
      self: this.peerId, transport: this.transport, book: this.book, sessions: this.sessions,
      running: () => this.state === 'running',
      create: (conn, expected) => new Session(conn, this.handlers, this.counters, this.sessionOptions, expected),
      maxPendingHandshakes: cfg.mesh.maxPendingHandshakes, timeoutMs: cfg.mesh.handshakeTimeoutMs,
      warn: (code, message, peerId) => this.warn(code, message, peerId), logger: this.logger,
    });
    this.listener = await this.transport.listen(cfg.listen, (conn) => {
      if (!this.opener!.accept(conn)) this.counters.framesDropped++;
    });
    this.engine = createBroadcastEngine({
      self: this.peerId, selfName: this.name, mode: cfg.broadcastMode, logger: this.logger,
      send: (peer, env) => this.sendEnvelope(peer, env),
      deliver: (msg) => void this.deliver(msg)?.catch((err: unknown) => this.logger.warn({ err, id: msg.id }, 'broadcast not stored')),
      // Where a broadcast came from is a route back to its author, for direct messages.
      onFirstCopy: (origin, via) => this.router?.learnRoute?.(origin, via),
    });
    this.router = createDirectRouter({
      self: this.peerId, selfName: this.name, logger: this.logger,
      send: (peer, env) => this.sendEnvelope(peer, env),
      neighbours: () => [...this.sessions.keys()],
      deliver: (msg) => this.deliver(msg),
    });
    this.liveness = createLivenessMonitor({
      pingIntervalMs: cfg.mesh.pingIntervalMs, maxMissedPings: cfg.mesh.maxMissedPings,
      onDead: (s, detail) => this.onDead(s, detail),
    });
    this.seeds = createSeedService({
      isSeed: this.role === 'seed', ttlMs: cfg.seedTtlMs, peerLimit: cfg.mesh.seedPeerLimit, logger: this.logger,
      self: () => this.selfInfo(''),
      connected: () => [...this.sessions.keys()],
      onPeers: (peers) => this.onSeedPeers(peers),
      confirmDead: (id) => this.confirmDead(id),
    });
    this.seedDialer = new SeedDialer({
      seeds: cfg.seeds, self: this.peerId, logger: this.logger,
      dial: (address) => this.transport!.dial(address, { timeoutMs: cfg.mesh.handshakeTimeoutMs }),
      open: (conn) => this.opener!.open(conn),
      connected: (id) => this.sessions.has(id),
      canHandshake: () => this.opener!.canHandshake(),
    });
    this.mesh = createConnectionManager({
      sessions: () => [...this.sessions.values()].map((s) => ({
        peerId: s.remotePeerId!, role: roleFromWire(s.remoteHello?.role), load: s.remoteLoad, direction: s.direction, openedAt: s.openedAt,
      })),
      dialing: (id) => this.opener!.dialing(id),
      dialCount: () => this.opener!.dialCount(),
      dial: (id, address) => { void this.opener!.dial(id, address); },
      trim: (id) => this.sessions.get(id)?.close(GoodbyeReason.GOODBYE_REASON_REBALANCE, 'above target degree'),
      askSeeds: () => this.seeds?.askAll(),
      announce: () => this.lan?.announce(),
      maintainSeeds: () => this.seedDialer?.maintain(),
    }, this.book, { ...cfg.mesh, trim: this.role !== 'seed' }, this.logger);
    if (cfg.lan.enabled) await this.startLan();
    this.state = 'running';
    this.mesh.poke();
    this.logger.info({ peerId: this.peerId, listen: this.listener.address }, 'node started');
  }

  private async startLan(): Promise<void> {
    const cfg = this.config;
    const iface = resolveLanInterface(cfg.lan.interface, cfg.lan.mask, this.listener!.address.host);
    if (!iface) {
      this.warn('ERR_NO_LAN_INTERFACE', 'LAN discovery disabled: no IPv4 interface to announce on');
      return;
    }
    try {
      this.lan = await startLanDiscovery({
        transport: this.transport!, intervalMs: cfg.lan.intervalMs, instanceId: this.instanceId, logger: this.logger,
        channel: { interface: iface.address, mask: iface.mask, port: cfg.lan.port, multicastGroup: cfg.lan.multicastGroup },
        self: () => this.selfInfo(cfg.listen.host === '0.0.0.0' || cfg.listen.host === '::' ? '' : this.listener!.address.host),
        onPeer: (p) => {
          const learned = this.book!.learn(p, 'lan');
          if (learned?.isNew) this.emitter.emit('peer:discovered', this.snapshotOf(learned.record.peerId)!);
          if (!this.sessions.has(p.peerId)) this.mesh?.poke();
        },
      });
    } catch (err) {
      this.warn('ERR_LAN_DISCOVERY', `LAN discovery disabled: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    const wasRunning = this.state === 'running';
    this.state = 'stopping';
    this.mesh?.stop();
    this.liveness?.stop();
    this.seeds?.stop();
    this.engine?.stop();
    this.router?.stop();
    const lanStop = this.lan?.stop().catch(() => undefined);
    const all = [...this.sessions.values(), ...(this.opener?.handshaking ?? [])];
    for (const s of all) s.close(GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'node shutting down');
    const deadline = new Promise<void>((r) => setTimeout(r, 800).unref?.());
    await Promise.race([Promise.all(all.map((s) => s.closed())), deadline]);
    for (const s of all) s.destroy('shutdown');
    await Promise.race([Promise.all([this.listener?.close(), lanStop, this.transport?.close()]), new Promise((r) => setTimeout(r, 150).unref?.())]);
    this.state = 'stopped';
    if (wasRunning) this.logger.info({ peerId: this.peerId }, 'node stopped');
  }

  // ---- sessions ----

  private handlers: SessionHandlers = {
    localHello: () => ({
      protocolVersion: PROTOCOL_VERSION, peerId: this.identity!.peerIdBytes, name: this.name,
      listenPort: this.listener?.address.port ?? 0, role: ROLE_TO_WIRE[this.role], load: this.load(),
      instanceId: this.instanceId, agent: AGENT,
    }),
    onOpen: (s) => this.onOpen(s),
    onEnvelope: (s, env) => this.onSessionEnvelope(s, env),
    onClose: (s, reason, wasOpen) => this.onClose(s, reason, wasOpen),
    onWarning: (s, err, detail) => this.warn(err.code, detail ? `${err.message}: ${detail}` : err.message, s.remotePeerId),
  };

  /**
   * Load as reported to others: sessions with non-seed peers, i.e. the mesh degree. Sessions a peer keeps with
   * its seeds are not mesh links, and counting them would make others trim a peer below its target degree.
   */
  private load(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (this.role === 'seed' || s.remoteHello?.role !== v1.Role.ROLE_SEED) n++;
    return n;
  }

  private onOpen(s: Session): void {
    this.opener!.handshaking.delete(s);
    const peer = s.remotePeerId!;
    this.seedDialer!.opened(s);
    if (peer === this.peerId) {
      this.seedDialer!.reachedSelf(s);
      s.close(GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'connected to itself');
      return;
    }
    if (this.state !== 'running') {
      s.close(GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'node shutting down');
      return;
    }
    const existing = this.sessions.get(peer);
    if (existing) {
      // Exactly one session per pair: both ends apply the same rule, so both keep the same connection.
      const view = (x: Session) => ({ direction: x.direction, instanceId: hex(x.remoteHello?.instanceId) });
      const winner = pickSession(this.peerId, peer, view(existing), view(s)) === 'candidate' ? s : existing;
      const loser = winner === s ? existing : s;
      if (winner === s) {
        this.sessions.set(peer, s);
        this.liveness!.untrack(existing);
        this.liveness!.track(s);
      }
      loser.close(GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'a session with this peer already exists');
      if (winner === s && this.isSeedSession(s)) this.seeds!.seedSessionOpened(s);
      return;
    }
    // A seed is dialled by everyone and serves them all: only its hard cap applies to it.
    const refusal = s.direction !== 'inbound' || this.isSeedSession(s) ? undefined
      : this.role === 'seed' ? (this.sessions.size >= this.config.mesh.maxConnections ? `at max connections (${this.config.mesh.maxConnections})` : undefined)
        : this.mesh!.admitInbound();
    if (refusal) {
      s.close(GoodbyeReason.GOODBYE_REASON_TOO_MANY_PEERS, refusal);
      return;
    }
    this.sessions.set(peer, s);
    const hello = s.remoteHello!;
    const listenPort = hello.listenPort ?? 0;
    if (listenPort > 0) {
      // The address comes from an authenticated session (the socket's source host and the port the key holder
      // says it listens on), so it outranks anything an unauthenticated announcement claims.
      const learned = this.book!.learn({
        peerId: peer, name: hello.name ?? '', address: { host: s.remoteAddress.host, port: s.direction === 'outbound' ? s.remoteAddress.port : listenPort },
        role: roleFromWire(hello.role), load: hello.load ?? 0, instanceId: hex(hello.instanceId),
      }, 'session', true);
      if (learned?.isNew) this.emitter.emit('peer:discovered', this.snapshotOf(peer)!);
    }
    this.book!.connected(peer);
    this.liveness!.track(s);
    this.engine!.neighbourUp(peer);
    if (this.isSeedSession(s)) this.seeds!.seedSessionOpened(s);
    this.emitter.emit('peer:connect', this.snapshotOf(peer)!);
    this.mesh!.poke();
  }

  private isSeedSession(s: Session): boolean {
    return this.seedDialer!.isSeedSession(s) || s.remoteHello?.role === v1.Role.ROLE_SEED;
  }


  private onSessionEnvelope(s: Session, env: DecodedEnvelope): void {
    const peer = s.remotePeerId!;
    if (this.sessions.get(peer) !== s) return;
    if (this.seeds!.handle(s, env) || this.engine!.handle(peer, env) || this.router!.handle(peer, env)) return;
    for (const h of this.extraHandlers) {
      try {
        if (h(peer, env)) return;
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'envelope handler threw');
        return;
      }
    }
    this.counters.framesDropped++;
  }

  private onClose(s: Session, reason: string, wasOpen: boolean): void {
    this.opener?.handshaking.delete(s);
    const peer = s.remotePeerId;
    if (!wasOpen || !peer || this.sessions.get(peer) !== s) return;
    this.sessions.delete(peer);
    this.liveness?.untrack(s);
    this.engine?.neighbourDown(peer);
    this.router?.neighbourDown(peer);
    this.seeds?.sessionClosed(s);
    const verdict = closeVerdict(reason);
    if (verdict.holdOffMs) this.book?.holdOff(peer, verdict.holdOffMs);
    if (verdict.deadMs) this.book?.markDead(peer, verdict.deadMs);
    if (verdict.forgetRegistration) this.seeds?.registry?.remove(peer);
    if (verdict.suspect && this.state === 'running') {
      this.seeds?.reportDead(peer, reason);
      // A seed checks for itself (dials back) before dropping the registration.
      if (this.seeds?.registry?.has(peer)) {
        void this.confirmDead(peer).then((dead) => { if (dead) this.seeds?.registry?.remove(peer); });
      }
    }
    this.emitter.emit('peer:disconnect', { peerId: peer, reason });
    this.mesh?.poke();
  }

  private onDead(s: Session, detail: string): void {
    const peer = s.remotePeerId!;
    this.peersDeclaredDead++;
    this.logger.info({ peer, detail }, 'peer declared dead');
    this.book?.markDead(peer, 10_000);
    this.seeds?.registry?.remove(peer);
    this.seeds?.reportDead(peer, detail);
    s.destroy(`dead: ${detail}`);
  }

  private async confirmDead(peerId: PeerIdString): Promise<boolean> {
    const s = this.sessions.get(peerId);
    if (s) {
      try {
        await s.ping(Math.max(1000, this.config.mesh.pingIntervalMs * 2));
        return false;
      } catch {
        s.destroy('dead: confirmed after a dead report');
        return true;
      }
    }
    const info = this.seeds?.registry?.get(peerId);
    const address = this.book?.get(peerId)?.address ?? (info?.host && info.port ? { host: info.host, port: info.port } : undefined);
    if (!address) return true;
    return (await this.opener!.dial(peerId, address)) === undefined;
  }

  private onSeedPeers(peers: p2p.v1.IPeerInfo[]): void {
    for (const p of peers) {
      if (!p.peerId || p.peerId.length !== 32 || !p.port || !p.host) continue;
      const learned = this.book!.learn({
        peerId: peerIdToString(p.peerId), name: p.name ?? '', address: { host: p.host, port: p.port }, role: roleFromWire(p.role), load: p.load ?? 0,
      }, 'seed');
      if (learned?.isNew) this.emitter.emit('peer:discovered', this.snapshotOf(learned.record.peerId)!);
    }
    this.mesh?.poke();
  }

  private selfInfo(host: string): p2p.v1.IPeerInfo {
    return {
      peerId: this.identity!.peerIdBytes, name: this.name, host, port: this.listener?.address.port ?? 0,
      role: ROLE_TO_WIRE[this.role], load: this.load(), seenAtMs: Date.now(),
    };
  }

  // Hands a message to the application: listeners see it at once; the returned promise settles once it is kept.
  private deliver(message: InboundMessage): Promise<void> | undefined {
    this.emitter.emit('message', message);
    return this.config.persist?.(message);
  }

  private warn(code: string, message: string, peerId?: PeerIdString): void {
    this.logger.warn({ code, peer: peerId }, message);
    this.emitter.emit('warning', peerId ? { code, message, peerId } : { code, message });
  }

  // ---- public API ----

  listenAddress(): HostPort | undefined {
    return this.listener?.address;
  }

  private snapshotOf(peerId: PeerIdString): PeerSnapshot | undefined {
    const s = this.sessions.get(peerId);
    const r = this.book?.get(peerId);
    if (s) return sessionSnapshot(s, r);
    return r ? recordSnapshot(r, this.book!.isDead(peerId)) : undefined;
  }

  peers(): PeerSnapshot[] {
    const out: PeerSnapshot[] = [];
    for (const id of this.sessions.keys()) out.push(this.snapshotOf(id)!);
    for (const r of this.book?.all() ?? []) if (!this.sessions.has(r.peerId)) out.push(this.snapshotOf(r.peerId)!);
    return out;
  }

  resolve(nameOrId: string): PeerIdString | undefined {
    return resolvePeer(nameOrId, this.peers());
  }

  private need(to: string): PeerIdString {
    if (this.state !== 'running') throw new NodeNotStartedError();
    const id = this.resolve(to) ?? (isPeerIdString(to.trim().toLowerCase()) ? to.trim().toLowerCase() : undefined);
    if (!id) throw new PeerNotFoundError(to, 'no peer with that name or ID (or more than one)');
    return id;
  }

  async send(to: string, text: string, options?: { timeoutMs?: number }): Promise<SendResult> {
    const id = this.need(to);
    const result = await this.router!.send(id, { text }, options);
    return result;
  }

  broadcast(text: string): BroadcastResult {
    if (this.state !== 'running') throw new NodeNotStartedError();
    return this.engine!.broadcast({ text });
  }

  async ping(to: string, options?: { timeoutMs?: number }): Promise<number> {
    const id = this.need(to);
    const timeoutMs = options?.timeoutMs ?? 5000;
    let s = this.sessions.get(id);
    if (!s) {
      const address = this.book?.get(id)?.address;
      if (!address) throw new PeerNotFoundError(to, 'no known address to dial');
      s = await this.opener!.dial(id, address);
      if (!s) throw new PeerNotFoundError(to, `cannot connect to ${addrKey(address)}`);
    }
    return s.ping(timeoutMs);
  }

  stats(): NodeStats {
    const b = this.engine?.stats();
    const rttMs: Record<PeerIdString, number> = {};
    for (const [id, s] of this.sessions) if (s.rttMs !== undefined) rttMs[id] = s.rttMs;
    return {
      connections: this.sessions.size, ...this.counters,
      broadcastsDelivered: b?.delivered ?? 0, broadcastDuplicates: b?.duplicates ?? 0,
      directDelivered: this.router?.stats().delivered ?? 0, peersDeclaredDead: this.peersDeclaredDead, rttMs,
    };
  }

  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  connect(address: HostPort, peerId?: PeerIdString): Promise<PeerIdString> {
    if (!this.opener) return Promise.reject(new NodeNotStartedError());
    return this.opener.connect(address, peerId);
  }

  disconnect(peerId: PeerIdString): boolean {
    const s = this.sessions.get(peerId);
    if (!s) return false;
    this.book?.holdOff(peerId, 30_000);
    s.close(GoodbyeReason.GOODBYE_REASON_UNSPECIFIED, 'closed by the user');
    return true;
  }

  sendEnvelope(peerId: PeerIdString, envelope: Envelope): boolean {
    return this.sessions.get(peerId)?.send(envelope) ?? false;
  }

  onEnvelope(handler: EnvelopeHandler): () => void {
    this.extraHandlers.add(handler);
    return () => { this.extraHandlers.delete(handler); };
  }
}
