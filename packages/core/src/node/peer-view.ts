import type { PeerBook, PeerRecord } from '../mesh/peer-book.js';
import { roleFromWire } from './roles.js';
import type { PeerIdString, PeerSnapshot } from './types.js';
import type { PeerSession } from '../session/types.js';

/** The peer-table row of a connected peer. */
export function sessionSnapshot(s: PeerSession, record: PeerRecord | undefined): PeerSnapshot {
  const h = s.remoteHello!;
  const snap: PeerSnapshot = {
    peerId: s.remotePeerId!, name: h.name || record?.name || '',
    address: record?.address ?? { host: s.remoteAddress.host, port: h.listenPort ?? 0 },
    state: 'connected', role: roleFromWire(h.role), load: s.remoteLoad, direction: s.direction,
  };
  if (s.rttMs !== undefined) snap.rttMs = s.rttMs;
  return snap;
}

/** The peer-table row of a peer known but not connected. */
export function recordSnapshot(r: PeerRecord, dead: boolean): PeerSnapshot {
  return { peerId: r.peerId, name: r.name, address: r.address, state: dead ? 'dead' : 'known', role: r.role, load: r.load };
}

/**
 * Resolves what a user typed to a peer ID: an exact peer ID, a unique prefix (4+ characters) of one, or a unique
 * name (a connected peer wins over known ones of the same name).
 */
export function resolvePeer(query: string, peers: PeerSnapshot[]): PeerIdString | undefined {
  const q = query.trim();
  const lower = q.toLowerCase();
  if (peers.some((p) => p.peerId === lower)) return lower;
  if (lower.length >= 4 && /^[a-z2-7]+$/.test(lower)) {
    const byPrefix = peers.filter((p) => p.peerId.startsWith(lower));
    if (byPrefix.length === 1) return byPrefix[0]!.peerId;
  }
  const byName = peers.filter((p) => p.name === q);
  const connected = byName.filter((p) => p.state === 'connected');
  if (connected.length === 1) return connected[0]!.peerId;
  if (byName.length === 1) return byName[0]!.peerId;
  return undefined;
}

/** The peer-table row of one peer: from its session when connected, else from the peer book; undefined if unknown. */
export function peerSnapshot(
  sessions: ReadonlyMap<PeerIdString, PeerSession>, book: PeerBook, peerId: PeerIdString,
): PeerSnapshot | undefined {
  const s = sessions.get(peerId);
  const r = book.get(peerId);
  if (s) return sessionSnapshot(s, r);
  return r ? recordSnapshot(r, book.isDead(peerId)) : undefined;
}

/** The whole peer table: connected peers first, then those only known. */
export function listPeers(sessions: ReadonlyMap<PeerIdString, PeerSession>, book: PeerBook): PeerSnapshot[] {
  const out: PeerSnapshot[] = [];
  for (const [id, s] of sessions) out.push(sessionSnapshot(s, book.get(id)));
  for (const r of book.all()) if (!sessions.has(r.peerId)) out.push(recordSnapshot(r, book.isDead(r.peerId)));
  return out;
}
