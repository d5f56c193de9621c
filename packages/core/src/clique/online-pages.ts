import type { p2p } from '../codec/wire.js';
import { toEntry } from './claims.js';
import type { EngineState } from './engine-state.js';
import { bisect } from './name-table.js';

/** Longest cursor looked at: keys are at most 32 code points, so anything longer only costs comparisons. */
const MAX_CURSOR = 1024;
/** The count of names online in a page is recounted at most this often when the table did not change. */
const RECOUNT_MS = 1000;

/** Upper bound of one ClientEntry's encoded size: both IDs, the claim time, tags and lengths, plus the two texts. */
export function entryBytes(h: { name: string; serverName: string }): number {
  return 96 + Buffer.byteLength(h.name) + Buffer.byteLength(h.serverName);
}

/** Serves who-is-online in pages that each fit in a frame, in the order of the name keys. */
export interface OnlinePages {
  /** The page after `after` (a key; empty for the first page). */
  page(after: string): p2p.v1.IOnlineList;
}

/**
 * Creates the pager. Pages follow the name table's sorted keys, so a name online during the whole walk is listed
 * exactly once, whatever joins or leaves meanwhile; a page costs a binary search and its own entries.
 */
export function createOnlinePages(st: EngineState): OnlinePages {
  let total = 0;
  let countedVersion = -1;
  let countedAt = -Infinity;
  const count = () => {
    const now = st.clock.now();
    if (countedVersion === st.names.version && now - countedAt < RECOUNT_MS) return total;
    total = 0;
    for (const h of st.names.values()) if (h.confirmed) total++;
    countedVersion = st.names.version;
    countedAt = now;
    return total;
  };

  return {
    page(after) {
      const keys = st.names.sortedKeys;
      const cursor = after.slice(0, MAX_CURSOR);
      const clients: p2p.v1.IClientEntry[] = [];
      let bytes = 0;
      let i = bisect(keys, cursor);
      let next = cursor;
      for (; i < keys.length; i++) {
        const h = st.names.get(keys[i]!);
        if (!h?.confirmed) continue;
        const size = entryBytes(h);
        if (clients.length > 0 && bytes + size > st.limits.pageBytes) break;
        clients.push(toEntry(h));
        bytes += size;
        next = keys[i]!;
      }
      const more = i < keys.length;
      return { clients, more, next: more ? next : '', total: count(), after: cursor };
    },
  };
}
