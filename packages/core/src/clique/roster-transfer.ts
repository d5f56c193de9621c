import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { NameHolder } from './claims.js';
import type { EngineState } from './engine-state.js';
import { forget, onHolder } from './name-registry.js';

/** A roster from another server arriving part by part. */
interface Transfer {
  /** The sender's transfer number. */
  transfer: number;
  /** The part expected next. */
  next: number;
  /** The name table's version when the first part arrived: holders set later are news, not leftovers. */
  start: number;
  /** The sender's holders that a part listed. */
  listed: WeakSet<NameHolder>;
}

/** Receives other servers' rosters, whole or in parts. */
export interface RosterReceiver {
  /** A Roster message from a member server; the servers of its first part are handed to `learn`. */
  receive(from: PeerIdString, roster: p2p.v1.IRoster): void;
  /** The server left: an unfinished transfer from it is dropped. */
  forget(from: PeerIdString): void;
}

/**
 * Creates the receiver. The clients of every part are taken at once (adding a holder is always safe); the sender's
 * names that no part listed are freed only when the last part of the same transfer arrives, and only those set
 * before its first part (a ClientJoined meanwhile is news). A transfer with a part missing or out of order frees
 * nothing; the next roster (every rosterIntervalMs) starts again. One transfer per sender is kept: bounded by the
 * number of servers, and its WeakSet by the names the sender holds.
 */
export function createRosterReceiver(st: EngineState, learn: (from: PeerIdString, servers: p2p.v1.IPeerInfo[]) => void): RosterReceiver {
  const transfers = new Map<PeerIdString, Transfer>();
  return {
    receive(from, roster) {
      const transfer = Number(roster.transfer ?? 0);
      const part = roster.part ?? 0;
      if (part === 0) transfers.set(from, { transfer, next: 0, start: st.names.version, listed: new WeakSet() });
      let t = transfers.get(from);
      if (t && (t.transfer !== transfer || t.next !== part)) {
        transfers.delete(from);
        t = undefined;
      }
      if (part === 0) learn(from, (roster.servers ?? []).slice(0, st.limits.maxServers));
      for (const e of (roster.clients ?? []).slice(0, st.limits.maxNames)) {
        const h = onHolder(st, from, e);
        if (h && t) t.listed.add(h);
      }
      if (!t) return;
      t.next++;
      if (roster.more) return;
      transfers.delete(from);
      for (const [k, h] of [...st.names]) {
        if (h.serverId === from && h.confirmed && !t.listed.has(h) && st.names.stampOf(h) <= t.start) forget(st, k, h, 'quit');
      }
    },
    forget(from) {
      transfers.delete(from);
    },
  };
}
