import type { DecodedEnvelope } from '../codec/wire.js';
import type { PeerSession, SessionHandlers } from '../session/types.js';
import type { RunningNode } from './running-node.js';
import { warn } from './notify.js';
import { localHello } from './self-info.js';
import { onSessionClose } from './session-close.js';
import { onSessionOpen } from './session-open.js';

/** The callbacks every session of this node reports to. */
export function createSessionHandlers(node: RunningNode): SessionHandlers {
  return {
    localHello: () => localHello(node),
    onOpen: (s) => onSessionOpen(node, s),
    onEnvelope: (s, env) => routeEnvelope(node, s, env),
    onClose: (s, reason, wasOpen) => onSessionClose(node, s, reason, wasOpen),
    onWarning: (s, err, detail) => warn(node, err.code, detail ? `${err.message}: ${detail}` : err.message, s.remotePeerId),
  };
}

/**
 * Passes an envelope to the first layer that takes it: seeds, broadcast, direct, then the extension handlers.
 * Envelopes on a session that is not the peer's current one are ignored, so a losing duplicate cannot inject.
 */
export function routeEnvelope(
  node: Pick<RunningNode, 'sessions' | 'seeds' | 'engine' | 'router' | 'extraHandlers' | 'logger' | 'counters'>, s: PeerSession, env: DecodedEnvelope): void {
  const peer = s.remotePeerId!;
  if (node.sessions.get(peer) !== s) return;
  if (node.seeds.handle(s, env) || node.engine.handle(peer, env) || node.router.handle(peer, env)) return;
  for (const h of node.extraHandlers) {
    try {
      if (h(peer, env)) return;
    } catch (err) {
      node.logger.error({ err: (err as Error).message }, 'envelope handler threw');
      return;
    }
  }
  node.counters.framesDropped++;
}
