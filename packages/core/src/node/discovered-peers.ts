import type { p2p } from '../codec/wire.js';
import type { DiscoveredPeer } from '../discovery/index.js';
import { peerIdToString } from '../identity/peer-id.js';
import type { RunningNode } from './running-node.js';
import { peerSnapshot } from './peer-view.js';
import { roleFromWire } from './roles.js';
import type { PeerIdString } from './types.js';

/** Tells the application about a peer the book has just learned for the first time. */
export function emitDiscovered(node: Pick<RunningNode, 'emitter' | 'sessions' | 'book'>, peerId: PeerIdString): void {
  const snapshot = peerSnapshot(node.sessions, node.book, peerId);
  if (snapshot) node.emitter.emit('peer:discovered', snapshot);
}

/** What learning a peer touches. */
type Learner = Pick<RunningNode, 'emitter' | 'sessions' | 'book' | 'mesh'>;

/** Takes in the peers a seed returned; entries without a well-formed ID or a dialable address are skipped. */
export function learnSeedPeers(node: Learner, peers: p2p.v1.IPeerInfo[]): void {
  for (const p of peers) {
    if (!p.peerId || p.peerId.length !== 32 || !p.port || !p.host) continue;
    const learned = node.book.learn({
      peerId: peerIdToString(p.peerId), name: p.name ?? '', address: { host: p.host, port: p.port }, role: roleFromWire(p.role), load: p.load ?? 0,
    }, 'seed');
    if (learned?.isNew) emitDiscovered(node, learned.record.peerId);
  }
  node.mesh.poke();
}

/** Takes in a peer heard on the LAN; the mesh is woken only for peers not already connected. */
export function learnLanPeer(node: Learner, p: DiscoveredPeer): void {
  const learned = node.book.learn(p, 'lan');
  if (learned?.isNew) emitDiscovered(node, learned.record.peerId);
  if (!node.sessions.has(p.peerId)) node.mesh.poke();
}
