import { v1 } from '../codec/wire.js';
import type { NodeContext } from './node-context.js';
import { warn } from './notify.js';
import type { PeerIdString } from './types.js';

/**
 * A neighbour kept pushing past its limits: it goes into the penalty box for `limits.penaltyMs` (the mesh does not
 * dial it, its sessions are refused) and its session ends now with a Goodbye saying why.
 */
export function penalize(ctx: NodeContext, peerId: PeerIdString, detail: string): void {
  const ms = ctx.config.limits.penaltyMs;
  ctx.penalties.add(peerId, ms, detail);
  ctx.book?.holdOff(peerId, ms);
  warn(ctx, 'ERR_RATE_LIMITED', `disconnected for ${Math.round(ms / 1000)} s: ${detail}`, peerId);
  ctx.sessions.get(peerId)?.close(v1.GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, `rate limit: ${detail}`);
}

/** Why a session with this peer is refused now, or undefined when it is welcome. */
export function penaltyRefusal(ctx: NodeContext, peerId: PeerIdString): string | undefined {
  const p = ctx.penalties.get(peerId);
  return p && `in the penalty box for ${Math.ceil((p.until - Date.now()) / 1000)} s more (${p.reason})`;
}
