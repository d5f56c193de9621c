import { v1, type Envelope } from '../codec/wire.js';
import { NodeNotStartedError, PeerNotFoundError } from '../errors.js';
import { isPeerIdString } from '../identity/peer-id.js';
import type { NodeContext } from './node-context.js';
import { listPeers, resolvePeer } from './peer-view.js';
import type { NodeStats, PeerIdString } from './types.js';

const GoodbyeReason = v1.GoodbyeReason;

/** Resolves a name or peer ID (or a unique prefix of one) against the current peer table. */
export function resolveName(ctx: NodeContext, nameOrId: string): PeerIdString | undefined {
  return resolvePeer(nameOrId, listPeers(ctx.sessions, ctx.book));
}

/**
 * The peer a user command is addressed to. A well-formed peer ID is accepted even when not yet known, so a
 * message can go to a peer reachable only through others; anything else must name exactly one known peer.
 */
export function requirePeer(ctx: NodeContext, to: string): PeerIdString {
  if (ctx.state !== 'running') throw new NodeNotStartedError();
  const id = resolveName(ctx, to) ?? (isPeerIdString(to.trim().toLowerCase()) ? to.trim().toLowerCase() : undefined);
  if (!id) throw new PeerNotFoundError(to, 'no peer with that name or ID (or more than one)');
  return id;
}

/** Round-trip time to a peer in ms, dialling its known address first when there is no session. */
export async function pingPeer(ctx: NodeContext, to: string, options?: { timeoutMs?: number }): Promise<number> {
  const id = requirePeer(ctx, to);
  const timeoutMs = options?.timeoutMs ?? 5000;
  let s = ctx.sessions.get(id);
  if (!s) {
    const address = ctx.book?.get(id)?.address;
    if (!address) throw new PeerNotFoundError(to, 'no known address to dial');
    s = await ctx.opener!.dial(id, address);
    if (!s) throw new PeerNotFoundError(to, `cannot connect to ${address.host}:${address.port}`);
  }
  return s.ping(timeoutMs);
}

/** The node's counters, with the broadcast and direct layers' figures and each connected peer's last RTT. */
export function nodeStats(ctx: NodeContext): NodeStats {
  const b = ctx.engine?.stats();
  const rttMs: Record<PeerIdString, number> = {};
  for (const [id, s] of ctx.sessions) if (s.rttMs !== undefined) rttMs[id] = s.rttMs;
  return {
    connections: ctx.sessions.size, ...ctx.counters,
    broadcastsDelivered: b?.delivered ?? 0, broadcastDuplicates: b?.duplicates ?? 0,
    directDelivered: ctx.router?.stats().delivered ?? 0, peersDeclaredDead: ctx.peersDeclaredDead, rttMs,
  };
}

/** Sends an envelope on the peer's session; false when there is none or its queue is full. */
export function sendEnvelope(ctx: NodeContext, peerId: PeerIdString, envelope: Envelope, bulk = false): boolean {
  return ctx.sessions.get(peerId)?.send(envelope, bulk) ?? false;
}

/** Closes the session with a peer at the user's request; the hold-off keeps the mesh from dialling it straight back. */
export function disconnectPeer(ctx: NodeContext, peerId: PeerIdString): boolean {
  const s = ctx.sessions.get(peerId);
  if (!s) return false;
  ctx.book?.holdOff(peerId, 30_000);
  s.close(GoodbyeReason.GOODBYE_REASON_UNSPECIFIED, 'closed by the user');
  return true;
}
