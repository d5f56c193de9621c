import type { p2p } from '../codec/wire.js';
import { peerIdFromString, peerIdToString, PEER_ID_BYTES } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** Who holds (or claims) a name: the client, its server, and the claim's tie-break keys. */
export interface NameHolder {
  /** NFKC display form. */
  name: string;
  /** The client's peer ID. */
  clientId: PeerIdString;
  /** The server the client is attached to. */
  serverId: PeerIdString;
  /** That server's name, for humans. */
  serverName: string;
  /** When the server claimed it, on its own clock. */
  claimedAtMs: number;
  /** Confirmed by every server, or still a claim being agreed on. */
  confirmed: boolean;
}

const hexOf = (id: PeerIdString): string => Buffer.from(peerIdFromString(id)).toString('hex');

/**
 * Orders two claims of the same name: negative when `a` wins. The earlier claim wins; at the same millisecond the
 * smaller server ID, then the smaller client ID (as bytes). Every server compares the same fields, so all of them
 * pick the same winner without talking to each other.
 */
export function compareClaims(a: NameHolder, b: NameHolder): number {
  if (a.claimedAtMs !== b.claimedAtMs) return a.claimedAtMs < b.claimedAtMs ? -1 : 1;
  if (a.serverId !== b.serverId) return hexOf(a.serverId) < hexOf(b.serverId) ? -1 : 1;
  if (a.clientId !== b.clientId) return hexOf(a.clientId) < hexOf(b.clientId) ? -1 : 1;
  return 0;
}

/** The wire form of a holder. */
export function toEntry(h: NameHolder): p2p.v1.IClientEntry {
  return {
    name: h.name, peerId: peerIdFromString(h.clientId), serverId: peerIdFromString(h.serverId),
    claimedAtMs: h.claimedAtMs, serverName: h.serverName,
  };
}

/** A holder from the wire, or undefined when the IDs are malformed. */
export function fromEntry(e: p2p.v1.IClientEntry | null | undefined, confirmed: boolean): NameHolder | undefined {
  if (!e?.peerId || e.peerId.length !== PEER_ID_BYTES || !e.serverId || e.serverId.length !== PEER_ID_BYTES) return undefined;
  return {
    name: e.name ?? '', clientId: peerIdToString(e.peerId), serverId: peerIdToString(e.serverId),
    serverName: (e.serverName ?? '').slice(0, 128), claimedAtMs: Number(e.claimedAtMs ?? 0), confirmed,
  };
}
