import type { ControlHandler } from '../handler-types.js';
import { checkText, resolvePeer } from './checks.js';

/** send: a direct chat line to the peer the request names, resolved once and acted on exactly. */
export const handleSend: ControlHandler = async (request, _call, { node, defaultTimeoutMs, contacts }) => {
  const text = checkText(request.send?.text);
  const peerId = resolvePeer(node, request.send?.to, contacts);
  const result = await node.send(peerId, text, { timeoutMs: request.send?.timeoutMs || defaultTimeoutMs });
  // Trust on first use: a delivered exchange binds the peer's name to its key, if neither is bound yet.
  if (result.status === 'delivered') contacts?.learn(peerId, undefined);
  return {
    send: { delivered: result.status === 'delivered', status: result.status, peerId: result.peerId ?? peerId, elapsedMs: result.elapsedMs },
  };
};
