import { v1, type Envelope } from '../codec/wire.js';
import { NodeNotStartedError, PeerNotFoundError } from '../errors.js';
import { isPeerIdString, type PeerIdString } from '../identity/peer-id.js';
import type { PeerSession } from '../session/types.js';
import { listPeers, resolvePeer } from './peer-view.js';
import type { RunningNode } from './running-node.js';
import type { NodeStats } from './types.js';

const GoodbyeReason = v1.GoodbyeReason;

/** Resolves a name or peer ID (or a unique prefix of one) against the current peer table. */
export function resolveName(node: Pick<RunningNode, 'sessions' | 'book'>, nameOrId: string): PeerIdString | undefined {
  return resolvePeer(nameOrId, listPeers(node.sessions, node.book));
}

/**
 * The peer a user command is addressed to. A well-formed peer ID is accepted even when not yet known, so a
 * message can go to a peer reachable only through others; anything else must name exactly one known peer.
 */
export function requirePeer(node: Pick<RunningNode, 'lifecycle' | 'sessions' | 'book'>, to: string): PeerIdString {
  if (node.lifecycle.state !== 'running') throw new NodeNotStartedError();
  const id = resolveName(node, to) ?? (isPeerIdString(to.trim().toLowerCase()) ? to.trim().toLowerCase() : undefined);
  if (!id) throw new PeerNotFoundError(to, 'no peer with that name or ID (or more than one)');
  return id;
}

/** Round-trip time to a peer in ms, dialling its known address first when there is no session. */
export async function pingPeer(
  node: Pick<RunningNode, 'lifecycle' | 'sessions' | 'book' | 'opener'>, to: string, options?: { timeoutMs?: number },
): Promise<number> {
  const id = requirePeer(node, to);
  const timeoutMs = options?.timeoutMs ?? 5000;
  let s: PeerSession | undefined = node.sessions.get(id);
  if (!s) {
    const address = node.book.get(id)?.address;
    if (!address) throw new PeerNotFoundError(to, 'no known address to dial');
    s = await node.opener.dial(id, address);
    if (!s) throw new PeerNotFoundError(to, `cannot connect to ${address.host}:${address.port}`);
  }
  return s.ping(timeoutMs);
}

/** The counters of a node that never started. */
export function emptyStats(): NodeStats {
  return {
    connections: 0, bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0,
    broadcastsDelivered: 0, broadcastDuplicates: 0, directDelivered: 0, peersDeclaredDead: 0, rttMs: {},
    broadcastsRateLimited: 0, messagesTooLarge: 0, peersPenalized: 0, unprovenDialsSkipped: 0,
  };
}

/** The node's counters, with the broadcast and direct layers' figures and each connected peer's last RTT. */
export function nodeStats(
  node: Pick<RunningNode, 'sessions' | 'counters' | 'engine' | 'router' | 'peersDeclaredDead' | 'penalties' | 'mesh' | 'trustCounters'>,
): NodeStats {
  const b = node.engine.stats();
  const d = node.router.stats();
  const rttMs: Record<PeerIdString, number> = {};
  for (const [id, s] of node.sessions) if (s.rttMs !== undefined) rttMs[id] = s.rttMs;
  return {
    connections: node.sessions.size, ...node.counters,
    broadcastsDelivered: b.delivered, broadcastDuplicates: b.duplicates,
    directDelivered: d.delivered, peersDeclaredDead: node.peersDeclaredDead, rttMs,
    broadcastsRateLimited: b.rateLimited ?? 0, messagesTooLarge: (b.tooLarge ?? 0) + (d.tooLarge ?? 0),
    peersPenalized: node.penalties.total, unprovenDialsSkipped: node.mesh.stats().unprovenDialsSkipped,
    messagesRejected: node.trustCounters.messagesRejected,
  };
}

/** Sends an envelope on the peer's session (in a send-queue lane, see Session.send); false when there is none or its queue is full. */
export function sendEnvelope(sessions: ReadonlyMap<PeerIdString, PeerSession>, peerId: PeerIdString, envelope: Envelope, lane?: string): boolean {
  return sessions.get(peerId)?.send(envelope, lane) ?? false;
}

/** Sends bulk data (a file block) on the peer's session behind every other frame; false when there is none or it is full. */
export function sendBulkEnvelope(sessions: ReadonlyMap<PeerIdString, PeerSession>, peerId: PeerIdString, envelope: Envelope): boolean {
  return sessions.get(peerId)?.sendBulk(envelope) ?? false;
}

/** Sends an already framed bulk envelope on the peer's session behind every other frame; false when there is none or it is full. */
export function sendBulkFrame(sessions: ReadonlyMap<PeerIdString, PeerSession>, peerId: PeerIdString, frame: Uint8Array, written?: () => void): boolean {
  return sessions.get(peerId)?.sendBulkFrame(frame, written) ?? false;
}

/** Closes the session with a peer at the user's request; the hold-off keeps the mesh from dialling it straight back. */
export function disconnectPeer(node: Pick<RunningNode, 'sessions' | 'book'>, peerId: PeerIdString): boolean {
  const s = node.sessions.get(peerId);
  if (!s) return false;
  node.book.holdOff(peerId, 30_000);
  s.close(GoodbyeReason.GOODBYE_REASON_UNSPECIFIED, 'closed by the user');
  return true;
}
