import type { p2p } from '../codec/wire.js';
import { toEntry } from './claims.js';
import type { EngineState } from './engine-state.js';

/** Longest cursor looked at: keys are at most 32 code points, so anything longer only costs comparisons. */
const MAX_CURSOR = 1024;
/** Past this many names the sorted view is rebuilt at most once per REBUILD_MS (it costs a sort of every key). */
const LARGE = 20_000;
const REBUILD_MS = 1000;

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
 * Creates the pager. Pages follow the sorted name keys, so a name online during the whole walk is listed exactly
 * once, whatever joins or leaves meanwhile. The sorted keys are kept between pages and rebuilt when the names
 * changed (for more than LARGE names, at most once a second: a page may then miss a name that joined within it).
 */
export function createOnlinePages(st: EngineState): OnlinePages {
  let keys: string[] = [];
  let total = 0;
  let builtVersion = -1;
  let builtAt = -Infinity;

  const view = () => {
    const now = st.clock.now();
    if (builtVersion === st.names.version) return;
    if (st.names.size > LARGE && now - builtAt < REBUILD_MS) return;
    keys = [...st.names.keys()].sort();
    total = 0;
    for (const h of st.names.values()) if (h.confirmed) total++;
    builtVersion = st.names.version;
    builtAt = now;
  };

  return {
    page(after) {
      view();
      const cursor = after.slice(0, MAX_CURSOR);
      // First key greater than the cursor.
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! <= cursor) lo = mid + 1;
        else hi = mid;
      }
      const clients: p2p.v1.IClientEntry[] = [];
      let bytes = 0;
      let i = lo;
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
      return { clients, more, next: more ? next : '', total, after: cursor };
    },
  };
}
