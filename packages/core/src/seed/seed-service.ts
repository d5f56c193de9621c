import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { Logger } from '../util/logger.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import { every, systemClock, type Clock } from '../util/clock.js';
import { createDialBack } from './dial-back.js';
import { SeedRegistry } from './seed-registry.js';

/** What the seed protocol reads and calls on a session: a small view, so it does not depend on the Session class. */
export interface SeedSession {
  /** Only open sessions are written to. */
  readonly state: 'handshaking' | 'open' | 'closing' | 'closed';
  /** The authenticated peer ID (set once the session is open). */
  readonly remotePeerId: PeerIdString | undefined;
  /** Remote socket address: a registration is always taken at this host. */
  readonly remoteAddress: HostPort;
  /** Who dialled: a session this node dialled to a peer's listen port proves that address. */
  readonly direction: 'inbound' | 'outbound';
  /** Queues an envelope; false when it could not be. */
  send(envelope: Envelope): boolean;
}

/** What the seed protocol needs from its node. */
export interface SeedServiceInit {
  /** True when this node has the seed role and keeps a registry. */
  isSeed: boolean;
  /** TTL granted to registrations (seed role). */
  ttlMs: number;
  /** Peers asked from each seed. */
  peerLimit: number;
  /** This node's PeerInfo, for Register. */
  self(): p2p.v1.IPeerInfo;
  /** Peer IDs this node already has sessions with (excluded from peer list requests). */
  connected(): PeerIdString[];
  /** Peers received from a seed. */
  onPeers(peers: p2p.v1.IPeerInfo[], seed: PeerIdString): void;
  /** Seed role: checks a reported peer itself; resolves true when it is really dead. */
  confirmDead(peerId: PeerIdString): Promise<boolean>;
  /** Seed role: dials a registered address back expecting that key; resolves true once the handshake completed. */
  probe?(peerId: PeerIdString, address: HostPort): Promise<boolean>;
  /** Seed role: live registrations kept from one source address; default 16. */
  perSource?: number;
  /** Logger. */
  logger: Logger;
  /** Time source of renewals and registration expiry; the process clock by default. */
  clock?: Clock;
}

/** Both sides of the seed protocol: the registry of a seed, and the registration of a peer with its seeds. */
export interface SeedService {
  /** The registry, on a seed. */
  readonly registry: SeedRegistry | undefined;
  /** A session with a seed opened: register and ask for peers. */
  seedSessionOpened(session: SeedSession): void;
  /** A session closed. */
  sessionClosed(session: SeedSession): void;
  /** Handles register / registerAck / peerListRequest / peerList / deadReport; false for anything else. */
  handle(session: SeedSession, envelope: DecodedEnvelope): boolean;
  /** Asks every connected seed for peers. */
  askAll(): void;
  /** Tells every connected seed that a neighbour looks dead. */
  reportDead(peerId: PeerIdString, reason: string): void;
  /** Number of seed sessions. */
  seedCount(): number;
  /** Stops timers. */
  stop(): void;
}

const MAX_CONFIRMATIONS = 8;

/** Creates the seed protocol handler of a node. */
export function createSeedService(init: SeedServiceInit): SeedService {
  const clock = init.clock ?? systemClock;
  const registry = init.isSeed
    ? new SeedRegistry({ ttlMs: init.ttlMs, now: () => clock.now(), ...(init.perSource ? { perSource: init.perSource } : {}) })
    : undefined;
  const dialBack = registry && init.probe ? createDialBack({
    // An entry pushed out (by its source's cap) while its proof waited is not worth a dial any more.
    probe: (peerId, address) => (registry.has(peerId) ? init.probe!(peerId, address) : Promise.resolve(false)),
    onProven: (peerId, address) => {
      if (registry.verify(peerId, address)) init.logger.debug({ peer: peerId, address }, 'seed: registered address proven');
    },
  }) : undefined;
  const seeds = new Map<SeedSession, { renewAt: number }>();
  const confirming = new Set<PeerIdString>();

  const register = (s: SeedSession): void => {
    s.send({ register: { peer: init.self() } });
  };
  const ask = (s: SeedSession): void => {
    const exclude = init.connected().slice(0, 256).map((id) => peerIdFromString(id));
    s.send({ peerListRequest: { limit: init.peerLimit, exclude } });
  };

  const timer = every(clock, 1000, () => {
    const now = clock.now();
    for (const [s, st] of seeds) {
      if (s.state !== 'open') { seeds.delete(s); continue; }
      if (now >= st.renewAt) { st.renewAt = now + init.ttlMs / 3; register(s); }
    }
  });

  function onDeadReport(reporter: SeedSession, report: p2p.v1.IDeadReport): void {
    if (!registry || !report.peerId || report.peerId.length !== PEER_ID_BYTES) return;
    const peerId = peerIdToString(report.peerId);
    // Only a proven registration is worth a dial to confirm: an unproven one is not handed out anyway.
    if (!registry.isVerified(peerId) || confirming.has(peerId) || confirming.size >= MAX_CONFIRMATIONS) return;
    confirming.add(peerId);
    init.logger.debug({ peer: peerId, reporter: reporter.remotePeerId, reason: report.reason }, 'dead report: confirming');
    init.confirmDead(peerId).then((dead) => {
      if (dead) {
        registry.remove(peerId);
        init.logger.info({ peer: peerId }, 'dead report confirmed: peer dropped from the registry');
      } else {
        init.logger.debug({ peer: peerId }, 'dead report refuted: the peer answered');
      }
    }, () => undefined).finally(() => confirming.delete(peerId));
  }

  return {
    registry,
    seedSessionOpened(session) {
      if (seeds.has(session)) return;
      seeds.set(session, { renewAt: clock.now() + init.ttlMs / 3 });
      register(session);
      ask(session);
    },
    sessionClosed(session) { seeds.delete(session); },
    handle(session, envelope) {
      const from = session.remotePeerId!;
      switch (envelope.body) {
        case 'register': {
          if (!registry) return true;
          const peer = envelope.register!.peer;
          // A node registers itself only, where it is: the peer ID is the session's authenticated one and the host
          // the session's source address, whatever the Register claims; only the port is the peer's to say.
          if (!peer?.port || peer.port > 65535) return true;
          const host = session.remoteAddress.host;
          const info: p2p.v1.IPeerInfo = {
            peerId: peerIdFromString(from), name: (peer.name ?? '').slice(0, 256), host, port: peer.port, role: peer.role ?? 0, load: peer.load ?? 0,
          };
          // A session this seed dialled to that very address has already proven it.
          const proven = session.direction === 'outbound' && session.remoteAddress.port === peer.port;
          const { ttlMs, needsProof } = registry.register(from, info, host, proven);
          if (needsProof) dialBack?.request(from, { host, port: peer.port });
          session.send({ registerAck: { ttlMs, knownPeers: registry.verifiedSize } });
          return true;
        }
        case 'peerListRequest': {
          if (!registry) { session.send({ peerList: { peers: [] } }); return true; }
          const req = envelope.peerListRequest!;
          const exclude = new Set<PeerIdString>([from]);
          for (const e of (req.exclude ?? []).slice(0, 1024)) if (e.length === PEER_ID_BYTES) exclude.add(peerIdToString(e));
          const limit = Math.min(Math.max(1, req.limit || init.peerLimit), 200);
          session.send({ peerList: { peers: registry.list(limit, exclude) } });
          return true;
        }
        case 'deadReport':
          onDeadReport(session, envelope.deadReport!);
          return true;
        case 'registerAck': {
          const st = seeds.get(session);
          const ttl = envelope.registerAck!.ttlMs || init.ttlMs;
          if (st) st.renewAt = clock.now() + Math.max(500, ttl / 3);
          return true;
        }
        case 'peerList':
          init.onPeers((envelope.peerList!.peers ?? []).slice(0, 1000), from);
          return true;
        default:
          return false;
      }
    },
    askAll() { for (const s of seeds.keys()) if (s.state === 'open') ask(s); },
    reportDead(peerId, reason) {
      for (const s of seeds.keys()) {
        if (s.state === 'open' && s.remotePeerId !== peerId) s.send({ deadReport: { peerId: peerIdFromString(peerId), reason } });
      }
    },
    seedCount: () => seeds.size,
    stop() { timer.stop(); seeds.clear(); dialBack?.stop(); },
  };
}
