import { closeVerdict } from '../mesh/index.js';
import type { RunningNode } from './running-node.js';
import type { PeerIdString } from './types.js';
import type { PeerSession } from '../session/types.js';

/** What ending a session touches. */
export type SessionCloseHost = Pick<RunningNode,
  'offences' | 'lifecycle' | 'sessions' | 'opener' | 'liveness' | 'engine' | 'router' | 'seeds' | 'book' | 'emitter' | 'mesh' | 'config'>;

/**
 * A session ended. Only the peer's current session counts: a handshake that failed or the loser of a duplicate
 * leaves the peer connected. The close reason decides how long the peer book holds off redialling it.
 */
export function onSessionClose(node: SessionCloseHost, s: PeerSession, reason: string, wasOpen: boolean): void {
  node.opener.handshaking.delete(s);
  const peer = s.remotePeerId;
  if (!wasOpen || !peer || node.sessions.get(peer) !== s) return;
  node.sessions.delete(peer);
  node.offences.forget(peer);
  node.liveness.untrack(s);
  node.engine.neighbourDown(peer);
  node.router.neighbourDown(peer);
  node.seeds.sessionClosed(s);
  const verdict = closeVerdict(reason);
  if (verdict.holdOffMs) node.book.holdOff(peer, verdict.holdOffMs);
  if (verdict.deadMs) node.book.markDead(peer, verdict.deadMs);
  if (verdict.forgetRegistration) node.seeds.registry?.remove(peer);
  if (verdict.suspect && node.lifecycle.state === 'running') {
    node.seeds.reportDead(peer, reason);
    // A seed checks for itself (dials back) before dropping the registration.
    // A seed checks for itself (dials back) before dropping a proven registration; an unproven one just goes
    // (a dial per dropped connection would let anyone aim the seed's dials with throwaway registrations).
    if (node.seeds.registry?.has(peer) && !node.seeds.registry.isVerified(peer)) node.seeds.registry.remove(peer);
    else if (node.seeds.registry?.has(peer)) {
      void confirmDead(node, peer).then((dead) => { if (dead) node.seeds.registry?.remove(peer); });
    }
  }
  node.emitter.emit('peer:disconnect', { peerId: peer, reason });
  node.mesh.poke();
}

/** Liveness gave up on a session: the peer is marked dead, reported to the seeds, and its session torn down. */
export function onSessionDead(node: Pick<RunningNode, 'peersDeclaredDead' | 'logger' | 'book' | 'seeds'>, s: PeerSession, detail: string): void {
  const peer = s.remotePeerId!;
  node.peersDeclaredDead++;
  node.logger.info({ peer, detail }, 'peer declared dead');
  node.book.markDead(peer, 10_000);
  node.seeds.registry?.remove(peer);
  node.seeds.reportDead(peer, detail);
  s.destroy(`dead: ${detail}`);
}

/**
 * Checks a peer someone reported dead: pings it when connected, else dials its last known address. Resolves
 * true when it did not answer (or there is no address to try), so a false report cannot evict a live peer.
 */
export async function confirmDead(node: Pick<RunningNode, 'sessions' | 'config' | 'seeds' | 'book' | 'opener'>, peerId: PeerIdString): Promise<boolean> {
  const s = node.sessions.get(peerId);
  if (s) {
    try {
      await s.ping(Math.max(1000, node.config.mesh.pingIntervalMs * 2));
      return false;
    } catch {
      s.destroy('dead: confirmed after a dead report');
      return true;
    }
  }
  const info = node.seeds.registry?.get(peerId);
  const address = node.book.get(peerId)?.address ?? (info?.host && info.port ? { host: info.host, port: info.port } : undefined);
  if (!address) return true;
  return (await node.opener.dial(peerId, address)) === undefined;
}
