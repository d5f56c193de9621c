import type { TimerHandle } from '../util/clock.js';
import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { toEntry } from './claims.js';
import type { EngineState } from './engine-state.js';
import { bisect } from './name-table.js';
import { entryBytes } from './online-pages.js';

/** Parts are handed to a session only while less than this waits in its send queue. */
const LOW_WATER = 512 * 1024;
/** How often a roster held back by a full queue looks again. */
const PUMP_MS = 20;

/** A roster on its way to one server. */
interface Outgoing {
  /** Its transfer number. */
  transfer: number;
  /** The next part's number. */
  part: number;
  /** The last key listed so far ('' before the first part). */
  cursor: string;
  /** When it started: one still going after rosterIntervalMs is dropped (the next one replaces it). */
  startedAt: number;
}

/** Sends this server's roster to other servers, part by part, as fast as their sessions take it. */
export interface RosterSender {
  /** Starts a roster to each of these servers, replacing one still under way to it. */
  send(to: Iterable<PeerIdString>): void;
  /** Tells these servers this server's servers only: an unfinished first part, which frees nothing. */
  announceServers(to: Iterable<PeerIdString>): void;
  /** Drops what is still to be sent to a server (it left). */
  forget(server: PeerIdString): void;
  /** Cancels the timer. */
  stop(): void;
}

/**
 * Creates the sender. Each part is made when it is sent, from the name table as it is then, walking this server's
 * own confirmed clients in key order from where the previous part ended: a client attached during the whole
 * transfer is listed exactly once, one that left meanwhile is not listed after its ClientLeft (which travels on the
 * same session, in order), and one that joined meanwhile has its ClientJoined. A part goes only while the session
 * holds less than LOW_WATER (the rest waits PUMP_MS and looks again), so a roster of any size crosses without
 * filling a queue; parts are at most pageBytes. `servers` gives the first part's list of servers.
 */
export function createRosterSender(st: EngineState, servers: () => p2p.v1.IPeerInfo[]): RosterSender {
  const going = new Map<PeerIdString, Outgoing>();
  let transfers = 0;
  let timer: TimerHandle | undefined;

  const nextPart = (o: Outgoing): p2p.v1.IRoster => {
    const keys = st.names.sortedKeys;
    const clients: p2p.v1.IClientEntry[] = [];
    let bytes = 0;
    let i = o.part === 0 ? 0 : bisect(keys, o.cursor);
    for (; i < keys.length; i++) {
      const h = st.names.get(keys[i]!);
      if (!h?.confirmed || h.serverId !== st.self.peerId) continue;
      const size = entryBytes(h);
      // The loop stops only at one of our own clients that does not fit: so i < keys.length means more follow.
      if (clients.length > 0 && bytes + size > st.limits.pageBytes) break;
      clients.push(toEntry(h));
      bytes += size;
      o.cursor = keys[i]!;
    }
    const roster: p2p.v1.IRoster = { clients, transfer: o.transfer, part: o.part, more: i < keys.length };
    if (o.part === 0) roster.servers = servers();
    o.part++;
    return roster;
  };

  const pump = () => {
    timer = undefined;
    const now = st.clock.now();
    for (const [id, o] of [...going]) {
      for (;;) {
        if (now - o.startedAt > st.limits.rosterIntervalMs) { going.delete(id); break; }
        if ((st.io.pendingBytes?.(id) ?? 0) >= LOW_WATER) break;
        const roster = nextPart(o);
        if (!st.io.sendToServer(id, { roster }) || !roster.more) { going.delete(id); break; }
      }
    }
    if (going.size > 0) timer = st.clock.setTimeout(pump, PUMP_MS);
  };

  return {
    send(to) {
      const transfer = ++transfers;
      for (const id of to) going.set(id, { transfer, part: 0, cursor: '', startedAt: st.clock.now() });
      if (timer !== undefined) st.clock.clearTimeout(timer);
      pump();
    },
    announceServers(to) {
      const roster = { servers: servers(), transfer: ++transfers, part: 0, more: true };
      for (const id of to) {
        going.delete(id);
        st.io.sendToServer(id, { roster });
      }
    },
    forget(server) {
      going.delete(server);
    },
    stop() {
      if (timer !== undefined) st.clock.clearTimeout(timer);
      timer = undefined;
      going.clear();
    },
  };
}
