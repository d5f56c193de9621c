import { v1 } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { NodeShell } from './node-shell.js';
import { warn } from './notify.js';
import type { RunningNode } from './running-node.js';

/**
 * A neighbour kept pushing past its limits: it goes into the penalty box for `limits.penaltyMs` (the mesh does not
 * dial it, its sessions are refused) and its session ends now with a Goodbye saying why.
 */
export function penalize(node: Pick<RunningNode, 'config' | 'penalties' | 'book' | 'sessions' | 'logger' | 'emitter'>, peerId: PeerIdString, detail: string): void {
  const ms = node.config.limits.penaltyMs;
  node.penalties.add(peerId, ms, detail);
  node.book.holdOff(peerId, ms);
  warn(node, 'ERR_RATE_LIMITED', `disconnected for ${Math.round(ms / 1000)} s: ${detail}`, peerId);
  node.sessions.get(peerId)?.close(v1.GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, `rate limit: ${detail}`);
}

/** Why a session with this peer is refused now, or undefined when it is welcome. */
export function penaltyRefusal(node: Pick<NodeShell, 'penalties' | 'clock'>, peerId: PeerIdString): string | undefined {
  const p = node.penalties.get(peerId);
  return p && `in the penalty box for ${Math.ceil((p.until - node.clock.now()) / 1000)} s more (${p.reason})`;
}
