import { v1 } from '../codec/wire.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { NodeExtensions } from '../node/extensions.js';
import type { P2PNode } from '../node/types.js';
import type { HostPort } from '../transport/host-port.js';
import type { Logger } from '../util/logger.js';
import type { NameHolder } from './claims.js';
import { createCliqueEngine } from './clique-engine.js';
import { startClientListener } from './client-listener.js';
import type { CliqueLimits, CliqueServerInfo, CliqueStats } from './types.js';

/** Everything a clique server needs besides its started node. */
export interface CliqueServerInit {
  /** The started node (role 'server'): clique sessions between servers are its sessions. */
  node: Pick<P2PNode, 'peerId' | 'name' | 'on' | 'listenAddress' | 'peers'> & NodeExtensions;
  /** The node's identity, for the client listener's TLS. */
  identity: NodeIdentity;
  /** Where clients connect. */
  clientListen: HostPort;
  /** Clique servers to join (node session addresses); the others are learned from their rosters. */
  join?: HostPort[];
  /** Peer IDs of the servers allowed in the clique; empty: open to any server (a warning is logged). */
  allow?: PeerIdString[];
  /** Bounds. */
  limits?: Partial<CliqueLimits>;
  /** Plaintext client sessions (labs only; follows the node's `insecure`). */
  insecure?: boolean;
  /** TLS key log for client sessions. */
  keylogFile?: string;
  /** Logger. */
  logger: Logger;
}

/** A running clique server. */
export interface CliqueServer {
  /** Where clients connect (the real port when 0 was asked). */
  readonly clientAddress: HostPort;
  /** The other servers of the clique. */
  members(): CliqueServerInfo[];
  /** Names online across the clique. */
  online(): NameHolder[];
  /** Counters. */
  stats(): CliqueStats;
  /** Closes client sessions and stops the engine (the node is the caller's to stop). */
  stop(): Promise<void>;
}

/** Dials configured clique addresses this often until a session with a clique server stands there. */
const JOIN_RETRY_MS = 2000;

/** Starts the clique on a started node: the engine, the node's clique envelopes, and the client listener. */
export async function startCliqueServer(init: CliqueServerInit): Promise<CliqueServer> {
  const { node, logger } = init;
  const self = node.peerId;
  const listen = node.listenAddress()!;
  const dialing = new Set<PeerIdString>();
  let clients: Awaited<ReturnType<typeof startClientListener>> | undefined;
  if (!init.allow?.length) logger.warn({}, 'clique is open: any server may join and claim names (use --clique-allow PEER_ID to close it)');
  const engine = createCliqueEngine({
    self: { peerId: self, name: node.name, host: listen.host, port: listen.port },
    allow: init.allow, limits: init.limits, logger,
    sendToServer: (to, m) => node.sendEnvelope(to, { clique: m }),
    pendingBytes: (to) => node.pendingBytes(to),
    sendToClient: (to, m) => clients?.send(to, m) ?? false,
    defer: (fn) => void setImmediate(fn),
    dialServer(info) {
      if (dialing.has(info.peerId)) return;
      dialing.add(info.peerId);
      node.connect({ host: info.host, port: info.port }, info.peerId)
        .catch((err) => logger.debug({ server: info.peerId, err: (err as Error).message }, 'clique: dial failed'))
        .finally(() => dialing.delete(info.peerId));
    },
    dropClient: (client, reason, cutOff) => {
      logger.info({ client, reason }, cutOff ? 'clique: client cut off' : 'clique: client dropped');
      clients?.drop(client, reason, cutOff);
    },
    refuseServer(server, reason) {
      node.sendEnvelope(server, { error: { code: v1.ErrorCode.ERROR_CODE_UNEXPECTED, message: `clique: ${reason}` } });
      setTimeout(() => node.disconnect(server), 100).unref();
    },
  });

  const servers = new Set<PeerIdString>();
  const offs = [
    node.onEnvelope((from, env) => {
      if (env.clique) {
        engine.handleServer(from, env.clique);
        return true;
      }
      if (env.error && servers.has(from) && env.error.message?.startsWith('clique:')) {
        logger.warn({ server: from, reason: env.error.message }, 'clique: refused by a server');
        return true;
      }
      return false;
    }),
    node.on('peer:connect', (p) => {
      if (p.role !== 'server') return;
      servers.add(p.peerId);
      engine.serverUp({ peerId: p.peerId, name: p.name, host: p.address.host, port: p.address.port });
    }),
    node.on('peer:disconnect', (e) => {
      servers.delete(e.peerId);
      engine.serverDown(e.peerId);
    }),
  ];

  // Servers that connected before the clique started listening (the node starts first).
  for (const p of node.peers()) {
    if (p.role === 'server' && p.state === 'connected') {
      servers.add(p.peerId);
      engine.serverUp({ peerId: p.peerId, name: p.name, host: p.address.host, port: p.address.port });
    }
  }

  // Configured addresses carry no peer ID: dial them until a server answers there, then rosters take over.
  const joined = new Map<string, PeerIdString>();
  const joinConfigured = () => {
    for (const a of init.join ?? []) {
      const key = `${a.host}:${a.port}`;
      const known = joined.get(key);
      if (known && servers.has(known)) continue;
      node.connect(a).then((id) => { if (id !== self) joined.set(key, id); })
        .catch((err) => logger.debug({ address: key, err: (err as Error).message }, 'clique: cannot reach a configured server yet'));
    }
  };
  joinConfigured();
  const joinTimer = setInterval(joinConfigured, JOIN_RETRY_MS);
  joinTimer.unref();

  try {
    clients = await startClientListener({
      listen: init.clientListen, identity: init.identity, name: node.name, insecure: init.insecure,
      keylogFile: init.keylogFile, logger, load: () => engine.stats().clients,
    }, {
      up: (c) => engine.clientUp(c),
      message: (c, m) => engine.handleClient(c, m),
      down: (c, reason) => engine.clientDown(c, reason),
    });
  } catch (err) {
    clearInterval(joinTimer);
    for (const off of offs) off();
    engine.stop();
    throw err;
  }
  logger.info({ clients: `${clients.address.host}:${clients.address.port}`, allow: init.allow?.length ?? 0 }, 'clique server ready');
  return {
    clientAddress: clients.address,
    members: () => engine.members(),
    online: () => engine.online(),
    stats: () => engine.stats(),
    async stop() {
      clearInterval(joinTimer);
      for (const off of offs) off();
      engine.stop();
      await clients!.close();
    },
  };
}
