import { PROTOCOL_VERSION } from '@p2p/core/wire';
import { formatHostPort } from '../../config/parse-values.js';
import type { Inbox } from '../../inbox/index.js';
import type { ControlHandler } from '../handler-types.js';

/** The inbox part of a StatusReply: size, quota, refusals and the state of the disk under it. */
function inboxStatus(inbox: Inbox) {
  const s = inbox.stats();
  const refused = Object.values(s.refused).reduce((a, b) => a + b, 0);
  return {
    messages: s.stored, bytes: s.bytes, quotaBytes: s.quotaBytes, disk: s.disk,
    lastError: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : '', lastErrorAt: s.lastError?.at ?? '',
    refused, writeFailures: s.dropped - refused,
  };
}

/** status: who this daemon is, its version, how long it has run, and its inbox (size, quota, disk). */
export const handleStatus: ControlHandler = (_request, _call, { node, inbox, version, now, startedAt }) => {
  const listen = node.listenAddress();
  const peers = node.peers().filter((p) => p.state === 'connected').length;
  return {
    status: {
      peerId: node.peerId, name: node.name, role: node.role, listen: listen ? formatHostPort(listen) : '', protocol: PROTOCOL_VERSION,
      peers, version, uptimeSeconds: Math.max(0, (now() - startedAt) / 1000), inbox: inboxStatus(inbox),
    },
  };
};
