import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION, v1, type DecodedEnvelope, type p2p } from '../codec/wire.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import { peerIdFromString, type PeerIdString } from '../identity/peer-id.js';
import { Session } from '../session/session.js';
import type { SessionCounters } from '../session/types.js';
import type { HostPort } from '../transport/host-port.js';
import { createSocketTransport } from '../transport/socket-transport.js';
import type { TransportListener } from '../transport/types.js';
import type { Logger } from '../util/logger.js';
import type { ClientRefusal } from './types.js';

/** Pings a client silent for this long; one silent for four rounds is dead (IRC servers wait minutes). */
const CLIENT_PING_MS = 5000;
/** Cut-offs from one address within ADDRESS_PENALTY_MS after which it may not attach new clients for that long. */
const ADDRESS_STRIKES = 3;
const ADDRESS_PENALTY_MS = 30_000;
/** Addresses with strikes remembered at once (oldest first out). */
const MAX_STRUCK_ADDRESSES = 10_000;

/** What the client listener reports to its owner. */
export interface ClientListenerHandlers {
  /** A client's session opened: true, or why it is refused. */
  up(client: PeerIdString): true | ClientRefusal;
  /** A Clique message from a client. */
  message(client: PeerIdString, m: p2p.v1.IClique): void;
  /** A client's session ended. */
  down(client: PeerIdString, reason: string): void;
}

/** Sessions with named clients, on their own TLS listener (apart from the node's mesh and its limits). */
export interface ClientListener {
  /** The address really bound. */
  readonly address: HostPort;
  /** Sends to a client; false when it has no session or its queue is full. */
  send(client: PeerIdString, m: p2p.v1.IClique): boolean;
  /** Closes a client's session with a Goodbye; `cutOff` (flooding, bad signature) gives its address a strike. */
  drop(client: PeerIdString, reason: string, cutOff?: boolean): void;
  /** Stops listening and closes every client session. */
  close(): Promise<void>;
}

/** Options of a client listener. */
export interface ClientListenerInit {
  /** Where clients connect. */
  listen: HostPort;
  /** The server's identity (the same key as its node). */
  identity: NodeIdentity;
  /** The server's name, said in Hello. */
  name: string;
  /** Plaintext (labs only). */
  insecure?: boolean;
  /** TLS key log file (NSS format) for p2p-inspect. */
  keylogFile?: string;
  /** Handshakes in progress at once. */
  maxPendingHandshakes?: number;
  /** Logger. */
  logger: Logger;
  /** Number of clients, said as load in Hello and Pongs. */
  load(): number;
}

/** Listens for clients: one Session per client key, the newest replacing an older one. */
export async function startClientListener(init: ClientListenerInit, h: ClientListenerHandlers): Promise<ClientListener> {
  const transport = createSocketTransport({
    identity: init.identity, insecure: init.insecure ?? false, keylogFile: init.keylogFile, logger: init.logger,
    maxPendingHandshakes: init.maxPendingHandshakes ?? 128,
  });
  const counters: SessionCounters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  const sessions = new Map<PeerIdString, Session>();
  const all = new Set<Session>();
  const instanceId = randomBytes(16);
  // A flooder cut off comes back under a fresh key (the engine's penalty is per key) with a fresh request budget:
  // a few cut-offs from one address close it to new clients for a while. Sessions already open are not touched.
  const strikes = new Map<string, { n: number; since: number }>();
  const struckOut = (host: string): boolean => {
    const st = strikes.get(host);
    if (!st) return false;
    if (performance.now() - st.since > ADDRESS_PENALTY_MS) { strikes.delete(host); return false; }
    return st.n >= ADDRESS_STRIKES;
  };
  const strike = (host: string) => {
    const now = performance.now();
    let st = strikes.get(host);
    if (!st || now - st.since > ADDRESS_PENALTY_MS) {
      strikes.delete(host);
      if (strikes.size >= MAX_STRUCK_ADDRESSES) strikes.delete(strikes.keys().next().value!);
      st = { n: 0, since: now };
      strikes.set(host, st);
    }
    if (++st.n === ADDRESS_STRIKES) {
      st.since = now;
      init.logger.warn({ address: host }, 'clique: an address keeps getting cut off: no new clients from it for a while');
    }
  };
  const hello = (): p2p.v1.IHello => ({
    protocolVersion: PROTOCOL_VERSION, peerId: peerIdFromString(init.identity.peerId), name: init.name,
    listenPort: listener.address.port, role: v1.Role.ROLE_SERVER, load: init.load(), instanceId, agent: 'p2p-clique-server',
  });
  const handlers = {
    localHello: hello,
    onOpen(s: Session) {
      const id = s.remotePeerId!;
      const old = sessions.get(id);
      sessions.set(id, s);
      if (old) old.close(v1.GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'the same client connected again');
      const up = h.up(id);
      if (up !== true) {
        sessions.delete(id);
        s.close(up.reason, up.detail);
      }
    },
    onEnvelope(s: Session, env: DecodedEnvelope) {
      const id = s.remotePeerId!;
      if (sessions.get(id) === s && env.clique) h.message(id, env.clique);
    },
    onClose(s: Session, reason: string) {
      all.delete(s);
      const id = s.remotePeerId;
      if (id && sessions.get(id) === s) {
        sessions.delete(id);
        h.down(id, reason);
      }
    },
    onWarning(s: Session, err: Error) { init.logger.debug({ client: s.remotePeerId, err: err.message }, 'clique client warning'); },
  };
  const listener: TransportListener = await transport.listen(init.listen, (conn) => {
    if (struckOut(conn.remote.host)) {
      conn.stream.destroy();
      return;
    }
    // Clients send lines, not bulk data: the session's frame limits stay generous, the engine applies the line rate.
    all.add(new Session(conn, handlers, counters, { handshakeTimeoutMs: 5000, maxQueueBytes: 1024 * 1024 }));
  });
  const pinger = setInterval(() => {
    const now = performance.now();
    for (const s of all) {
      if (s.state !== 'open') continue;
      if (now - s.lastReceivedAt > CLIENT_PING_MS * 4) s.destroy('client silent');
      else if (now - s.lastReceivedAt > CLIENT_PING_MS) s.sendPing();
    }
  }, CLIENT_PING_MS);
  pinger.unref();
  return {
    address: listener.address,
    send: (client, m) => sessions.get(client)?.send({ clique: m }) ?? false,
    drop(client, reason, cutOff) {
      const s = sessions.get(client);
      if (!s) return;
      if (cutOff) strike(s.remoteAddress.host);
      sessions.delete(client);
      s.close(v1.GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, reason);
    },
    async close() {
      clearInterval(pinger);
      await listener.close();
      for (const s of [...all]) s.close(v1.GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'server stopping');
      await Promise.race([Promise.all([...all].map((s) => s.closed())), new Promise((r) => setTimeout(r, 500).unref())]);
      await transport.close();
    },
  };
}
