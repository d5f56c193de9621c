import { PAGE_BYTES, peerEntrySize, type PeerEntryProperties } from '@p2p/control';
import { formatHostPort } from '../../config/parse-values.js';
import type { ControlHandler } from '../handler-types.js';

/** Rows per page when the request does not say (pages are also cut at PAGE_BYTES). */
export const DEFAULT_PEERS_PAGE = 500;

const ORDER = { connected: 0, known: 1, dead: 2 } as const;

/**
 * peers: the peer table, connected first, as pages of at most `pageSize` rows and PAGE_BYTES bytes, each its own
 * frame: a table of any size stays below every frame limit, and the writer's backpressure paces the pages.
 */
export const handlePeers: ControlHandler = (request, call, { node, contacts }) => {
  const pageSize = Math.min(request.peers?.pageSize || DEFAULT_PEERS_PAGE, DEFAULT_PEERS_PAGE);
  const rows: PeerEntryProperties[] = node.peers()
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name))
    // The name as this node calls the peer: its contact name, or name~id when the name is another key's.
    .map((p) => ({ peerId: p.peerId, name: contacts ? contacts.label(p.peerId, p.name) : p.name, address: formatHostPort(p.address), state: p.state, rttMs: p.rttMs ?? -1, role: p.role }));
  const total = rows.length;
  let page: PeerEntryProperties[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = peerEntrySize(row);
    if (page.length > 0 && (page.length >= pageSize || bytes + size > PAGE_BYTES)) {
      if (!call.send({ peers: { peers: page, more: true, total } })) return;
      page = [];
      bytes = 0;
    }
    page.push(row);
    bytes += size;
  }
  call.send({ peers: { peers: page, more: false, total } });
};
