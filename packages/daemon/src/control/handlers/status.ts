import { PROTOCOL_VERSION } from '@p2p/core';
import { formatHostPort } from '../../config/parse-values.js';
import type { ControlHandler } from '../handler-types.js';

/** status: who this daemon is, its version and how long it has run. */
export const handleStatus: ControlHandler = (_request, _call, { node, version, now, startedAt }) => {
  const listen = node.listenAddress();
  const peers = node.peers().filter((p) => p.state === 'connected').length;
  return {
    status: {
      peerId: node.peerId, name: node.name, role: node.role, listen: listen ? formatHostPort(listen) : '', protocol: PROTOCOL_VERSION,
      peers, version, uptimeSeconds: Math.max(0, (now() - startedAt) / 1000),
    },
  };
};
