import { closeVerdict } from '../mesh/index.js';
import type { NodeContext } from './node-context.js';
import type { PeerIdString } from './types.js';
import type { PeerSession } from '../session/types.js';

/**
 * A session ended. Only the peer's current session counts: a handshake that failed or the loser of a duplicate
 * leaves the peer connected. The close reason decides how long the peer book holds off redialling it.
 */
export function onSessionClose(ctx: NodeContext, s: PeerSession, reason: string, wasOpen: boolean): void {
  ctx.opener?.handshaking.delete(s);
  const peer = s.remotePeerId;
  if (!wasOpen || !peer || ctx.sessions.get(peer) !== s) return;
  ctx.sessions.delete(peer);
  ctx.liveness?.untrack(s);
  ctx.engine?.neighbourDown(peer);
  ctx.router?.neighbourDown(peer);
  ctx.seeds?.sessionClosed(s);
  const verdict = closeVerdict(reason);
  if (verdict.holdOffMs) ctx.book?.holdOff(peer, verdict.holdOffMs);
  if (verdict.deadMs) ctx.book?.markDead(peer, verdict.deadMs);
  if (verdict.forgetRegistration) ctx.seeds?.registry?.remove(peer);
  if (verdict.suspect && ctx.state === 'running') {
    ctx.seeds?.reportDead(peer, reason);
    // A seed checks for itself (dials back) before dropping the registration.
    if (ctx.seeds?.registry?.has(peer)) {
      void confirmDead(ctx, peer).then((dead) => { if (dead) ctx.seeds?.registry?.remove(peer); });
    }
  }
  ctx.emitter.emit('peer:disconnect', { peerId: peer, reason });
  ctx.mesh?.poke();
}

/** Liveness gave up on a session: the peer is marked dead, reported to the seeds, and its session torn down. */
export function onSessionDead(ctx: NodeContext, s: PeerSession, detail: string): void {
  const peer = s.remotePeerId!;
  ctx.peersDeclaredDead++;
  ctx.logger.info({ peer, detail }, 'peer declared dead');
  ctx.book?.markDead(peer, 10_000);
  ctx.seeds?.registry?.remove(peer);
  ctx.seeds?.reportDead(peer, detail);
  s.destroy(`dead: ${detail}`);
}

/**
 * Checks a peer someone reported dead: pings it when connected, else dials its last known address. Resolves
 * true when it did not answer (or there is no address to try), so a false report cannot evict a live peer.
 */
export async function confirmDead(ctx: NodeContext, peerId: PeerIdString): Promise<boolean> {
  const s = ctx.sessions.get(peerId);
  if (s) {
    try {
      await s.ping(Math.max(1000, ctx.config.mesh.pingIntervalMs * 2));
      return false;
    } catch {
      s.destroy('dead: confirmed after a dead report');
      return true;
    }
  }
  const info = ctx.seeds?.registry?.get(peerId);
  const address = ctx.book?.get(peerId)?.address ?? (info?.host && info.port ? { host: info.host, port: info.port } : undefined);
  if (!address) return true;
  return (await ctx.opener!.dial(peerId, address)) === undefined;
}
