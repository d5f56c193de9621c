import type { ControlHandler } from '../handler-types.js';
import { resolvePeer } from './checks.js';

/** ping: the round-trip time to the peer the request names, resolved once and pinged exactly. */
export const handlePing: ControlHandler = async (request, _call, { node, defaultTimeoutMs, contacts }) => {
  const peerId = resolvePeer(node, request.ping?.to, contacts);
  const rttMs = await node.ping(peerId, { timeoutMs: request.ping?.timeoutMs || defaultTimeoutMs });
  return { ping: { peerId, rttMs } };
};
