import type { DecodedEnvelope } from '../codec/wire.js';
import type { PeerSession, SessionHandlers } from '../session/types.js';
import type { NodeContext } from './node-context.js';
import { warn } from './notify.js';
import { localHello } from './self-info.js';
import { onSessionClose } from './session-close.js';
import { onSessionOpen } from './session-open.js';

/** The callbacks every session of this node reports to. */
export function createSessionHandlers(ctx: NodeContext): SessionHandlers {
  return {
    localHello: () => localHello(ctx),
    onOpen: (s) => onSessionOpen(ctx, s),
    onEnvelope: (s, env) => routeEnvelope(ctx, s, env),
    onClose: (s, reason, wasOpen) => onSessionClose(ctx, s, reason, wasOpen),
    onWarning: (s, err, detail) => warn(ctx, err.code, detail ? `${err.message}: ${detail}` : err.message, s.remotePeerId),
  };
}

/**
 * Passes an envelope to the first layer that takes it: seeds, broadcast, direct, then the extension handlers.
 * Envelopes on a session that is not the peer's current one are ignored, so a losing duplicate cannot inject.
 */
export function routeEnvelope(ctx: NodeContext, s: PeerSession, env: DecodedEnvelope): void {
  const peer = s.remotePeerId!;
  if (ctx.sessions.get(peer) !== s) return;
  if (ctx.seeds!.handle(s, env) || ctx.engine!.handle(peer, env) || ctx.router!.handle(peer, env)) return;
  for (const h of ctx.extraHandlers) {
    try {
      if (h(peer, env)) return;
    } catch (err) {
      ctx.logger.error({ err: (err as Error).message }, 'envelope handler threw');
      return;
    }
  }
  ctx.counters.framesDropped++;
}
