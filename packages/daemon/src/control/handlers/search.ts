import { fileService } from './checks.js';
import { BadControlRequestError } from '@p2p/control';
import { MessageTooLargeError } from '@p2p/core';
import type { SearchHit } from '@p2p/core';
import type { ControlHandler } from '../handler-types.js';

/** Longest search window a client may ask for, ms. */
export const MAX_SEARCH_MS = 30_000;

/** A search hit as the control API carries it. */
export function hitEntry(h: SearchHit): { peerId: string; name: string; file: string; size: number; sha256: string; root: string; hops: number } {
  return { peerId: h.peerId, name: h.name, file: h.file, size: h.size, sha256: h.sha256, root: h.root, hops: h.hops };
}

/** search: every answer as it arrives (one response each), then a SearchEnd when the window closes. */
export const handleSearch: ControlHandler = async (request, call, deps) => {
  const files = fileService(deps);
  const r = request.search;
  const query = r?.query ?? '';
  const root = r?.root?.toLowerCase() ?? '';
  if (!query && !root) throw new BadControlRequestError('nothing to search for');
  if (Buffer.byteLength(query) > 1024) throw new MessageTooLargeError(Buffer.byteLength(query), 1024);
  if (root && !/^[0-9a-f]{64}$/.test(root)) throw new BadControlRequestError('a root is 64 hex digits');
  const timeoutMs = Math.min(r?.timeoutMs || 2000, MAX_SEARCH_MS);
  const hits = await files.search(query, {
    exact: r?.exact === true, timeoutMs, ...(root ? { root } : {}),
    onHit: (h) => { call.send({ searchHit: hitEntry(h) }); },
  });
  return { searchEnd: { count: hits.length } };
};
