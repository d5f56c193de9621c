import type { PeerIdString } from '../identity/peer-id.js';

/** What the simultaneous-dial rule looks at in a connection to a peer. */
export interface SessionCandidate {
  /** Who opened it, from this node's point of view. */
  direction: 'inbound' | 'outbound';
  /** The peer's instance ID as its Hello said (hex). */
  instanceId: string;
}

/**
 * Chooses which of two open sessions with the same peer to keep, so that both ends keep the same one:
 * a restarted peer (another instance ID) wins; between two connections dialled by the same side the newer wins;
 * otherwise the connection dialled by the smaller peer ID wins.
 */
export function pickSession(self: PeerIdString, peer: PeerIdString, existing: SessionCandidate, candidate: SessionCandidate): 'existing' | 'candidate' {
  if (existing.instanceId !== candidate.instanceId) return 'candidate';
  const dialer = (c: SessionCandidate): PeerIdString => (c.direction === 'outbound' ? self : peer);
  if (dialer(existing) === dialer(candidate)) return 'candidate';
  const smaller = self < peer ? self : peer;
  return dialer(existing) === smaller ? 'existing' : 'candidate';
}
