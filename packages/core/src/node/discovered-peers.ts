import type { p2p } from '../codec/wire.js';
import type { DiscoveredPeer } from '../discovery/index.js';
import { peerIdToString } from '../identity/peer-id.js';
import type { NodeContext } from './node-context.js';
import { peerSnapshot } from './peer-view.js';
import { roleFromWire } from './roles.js';
import type { PeerIdString } from './types.js';

/** Tells the application about a peer the book has just learned for the first time. */
export function emitDiscovered(ctx: NodeContext, peerId: PeerIdString): void {
  ctx.emitter.emit('peer:discovered', peerSnapshot(ctx.sessions, ctx.book, peerId)!);
}

/** Takes in the peers a seed returned; entries without a well-formed ID or a dialable address are skipped. */
export function learnSeedPeers(ctx: NodeContext, peers: p2p.v1.IPeerInfo[]): void {
  for (const p of peers) {
    if (!p.peerId || p.peerId.length !== 32 || !p.port || !p.host) continue;
    const learned = ctx.book!.learn({
      peerId: peerIdToString(p.peerId), name: p.name ?? '', address: { host: p.host, port: p.port }, role: roleFromWire(p.role), load: p.load ?? 0,
    }, 'seed');
    if (learned?.isNew) emitDiscovered(ctx, learned.record.peerId);
  }
  ctx.mesh?.poke();
}

/** Takes in a peer heard on the LAN; the mesh is woken only for peers not already connected. */
export function learnLanPeer(ctx: NodeContext, p: DiscoveredPeer): void {
  const learned = ctx.book!.learn(p, 'lan');
  if (learned?.isNew) emitDiscovered(ctx, learned.record.peerId);
  if (!ctx.sessions.has(p.peerId)) ctx.mesh?.poke();
}
