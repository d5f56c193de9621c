import type { TimerHandle } from '../util/clock.js';
import { createSeenCache } from '../util/seen-cache.js';
import { isMessageId, toHex } from '../message/payload.js';
import { v1, type p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { toNamedClients, toServers, type EngineState, type LocalClient } from './engine-state.js';
import type { RoutedLine } from './routed-line.js';
import { EVERYONE, nameKey } from './names.js';

const Status = v1.CliqueDeliveryStatus;
const SEEN_TTL_MS = 120_000;

interface Pending {
  client: PeerIdString;
  server: PeerIdString;
  timer: TimerHandle;
}

/** Routes lines: from local clients to names here or on other servers, and from other servers to local clients. */
export interface LineRouter {
  /** A line or a burst of lines from a local client. */
  fromClient(c: LocalClient, m: RoutedLine): void;
  /** A line or a burst relayed by another server. */
  fromServer(server: PeerIdString, m: RoutedLine): void;
  /** A delivery report from another server. */
  report(server: PeerIdString, r: p2p.v1.IDeliveryReport): void;
  /** A server left: lines waiting for it end as "no such client". */
  serverGone(server: PeerIdString): void;
  /** Cancels every timer. */
  stop(): void;
}

/** Lines or bursts waiting for their signature check at most; past this, they are checked before they are handed on. */
const MAX_UNCHECKED = 4096;
/** Bytes of bursts waiting for their check at most (each holds its body until then), likewise. */
const MAX_UNCHECKED_BYTES = 16 * 1024 * 1024;

/**
 * Creates the line router of one engine. `cutOff` ends a local client whose line failed its signature check.
 *
 * A line from a local client comes over that client's own TLS session, which already proves who sent it: the router
 * hands it on once the line names that client as its author, and checks the signature right after, off the line's
 * path (a burst costs one ECDSA check). The recipient checks it again before showing it, so a bad signature never
 * passes as its author's; the server's check cuts the client that sent it off at once.
 */
export function createLineRouter(st: EngineState, cutOff: (client: PeerIdString, reason: string) => void): LineRouter {
  const seen = createSeenCache({ capacity: 20_000, ttlMs: SEEN_TTL_MS, clock: st.clock });
  const pending = new Map<string, Pending>();
  let unchecked: { client: PeerIdString; m: RoutedLine }[] = [];
  let uncheckedBytes = 0;
  let checkScheduled = false;
  let stopped = false;
  const defer = st.io.defer ?? ((fn: () => void) => void st.clock.setTimeout(fn, 0));
  const checkAll = () => {
    checkScheduled = false;
    if (stopped) return;
    const batch = unchecked;
    unchecked = [];
    uncheckedBytes = 0;
    const bad = new Set<PeerIdString>();
    for (const { client, m } of batch) {
      if (bad.has(client) || m.verify() === client) continue;
      bad.add(client);
      st.stats.linesRefused += m.lines;
      cutOff(client, 'a line with a bad signature');
    }
  };
  // A client's first line is checked before it goes anywhere (a throwaway key gets nothing handed on), and so is
  // every line once too many wait; after that, a proven client's lines go first and are checked right after.
  const checked = (c: LocalClient, m: RoutedLine): boolean => {
    if (c.proven && unchecked.length < MAX_UNCHECKED && uncheckedBytes + m.bytes <= MAX_UNCHECKED_BYTES) return checkLater(c.id, m);
    if (m.verify() !== c.id) {
      cutOff(c.id, 'a line with a bad signature');
      return false;
    }
    c.proven = true;
    return true;
  };
  const checkLater = (client: PeerIdString, m: RoutedLine): boolean => {
    unchecked.push({ client, m });
    uncheckedBytes += m.bytes;
    if (!checkScheduled) {
      checkScheduled = true;
      defer(checkAll);
    }
    return true;
  };

  const tell = (client: PeerIdString, messageId: Uint8Array, status: p2p.v1.CliqueDeliveryStatus, delivered = 0) =>
    st.io.sendToClient(client, { deliveryReport: { messageId, status, delivered } });

  /**
   * Hands a line to a local client by name key: delivered when its session took it, no such client when nobody here
   * holds the name, recipient busy when the holder's session queue is full (a client that does not read).
   */
  const deliverLocal = (key: string | undefined, m: RoutedLine): p2p.v1.CliqueDeliveryStatus => {
    const h = key === undefined ? undefined : st.names.get(key);
    if (!h?.confirmed || h.serverId !== st.self.peerId) return Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT;
    const c = st.clients.get(h.clientId);
    if (!c || c.key !== key) return Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT;
    if (!st.io.sendToClient(c.id, m.wire)) return Status.CLIQUE_DELIVERY_STATUS_RECIPIENT_BUSY;
    st.stats.linesDelivered += m.lines;
    return Status.CLIQUE_DELIVERY_STATUS_DELIVERED;
  };

  const settle = (id: string, status: p2p.v1.CliqueDeliveryStatus, delivered: number) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    st.clock.clearTimeout(p.timer);
    tell(p.client, Buffer.from(id, 'hex'), status, delivered);
  };

  return {
    fromClient(c, m) {
      if (m.malformed || c.key === undefined || m.claimed !== c.id || nameKey(m.from) !== c.key || st.names.get(c.key)?.name !== m.from
        || seen.has(toHex(m.id)) || !checked(c, m)) {
        st.stats.linesRefused += m.lines;
        tell(c.id, m.id, Status.CLIQUE_DELIVERY_STATUS_REFUSED);
        return;
      }
      const id = m.id;
      seen.set(toHex(id), true);
      if (m.to === EVERYONE) {
        let n = toNamedClients(st, m.wire, c.id);
        st.stats.linesDelivered += n * m.lines;
        toServers(st, m.wire);
        for (const h of st.names.values()) if (h.confirmed && h.serverId !== st.self.peerId && st.members.has(h.serverId)) n++;
        st.stats.linesRelayed += st.members.size * m.lines;
        tell(c.id, id, Status.CLIQUE_DELIVERY_STATUS_DELIVERED, n);
        return;
      }
      const key = nameKey(m.to);
      const h = key === undefined ? undefined : st.names.get(key);
      if (!h?.confirmed) return void tell(c.id, id, Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT);
      if (h.serverId === st.self.peerId) {
        const status = deliverLocal(key, m);
        return void tell(c.id, id, status, status === Status.CLIQUE_DELIVERY_STATUS_DELIVERED ? 1 : 0);
      }
      if (pending.size >= st.limits.maxPending || !st.io.sendToServer(h.serverId, m.wire)) {
        return void tell(c.id, id, Status.CLIQUE_DELIVERY_STATUS_TIMEOUT);
      }
      st.stats.linesRelayed += m.lines;
      const hex = toHex(id);
      const timer = st.clock.setTimeout(() => settle(hex, Status.CLIQUE_DELIVERY_STATUS_TIMEOUT, 0), st.limits.deliveryTimeoutMs);
      pending.set(hex, { client: c.id, server: h.serverId, timer });
    },

    fromServer(server, m) {
      const id = m.id;
      if (!isMessageId(id) || seen.has(toHex(id))) return;
      // The author must hold the `from` name on the server that relays the line. Its server checks the signature,
      // and the recipient checks it again, so here the cheaper check suffices: the line names the key that holds
      // the name (a signature by another key would fail at the recipient).
      const fromKey = nameKey(m.from);
      const author = fromKey === undefined ? undefined : st.names.get(fromKey);
      // `from` spelt exactly as held: a look-alike spelling of one's own name (B0B for bob) is not shown as a name.
      if (m.malformed || !author || author.serverId !== server || author.name !== m.from || m.claimed !== author.clientId) {
        st.stats.linesRefused += m.lines;
        if (m.to !== EVERYONE) st.io.sendToServer(server, { deliveryReport: { messageId: id, status: Status.CLIQUE_DELIVERY_STATUS_REFUSED } });
        return;
      }
      seen.set(toHex(id), true);
      if (m.to === EVERYONE) {
        st.stats.linesDelivered += toNamedClients(st, m.wire, author.clientId) * m.lines;
        return;
      }
      const status = deliverLocal(nameKey(m.to), m);
      st.io.sendToServer(server, {
        deliveryReport: { messageId: id, status, delivered: status === Status.CLIQUE_DELIVERY_STATUS_DELIVERED ? 1 : 0 },
      });
    },

    report(server, r) {
      if (!isMessageId(r.messageId)) return;
      const hex = toHex(r.messageId);
      if (pending.get(hex)?.server !== server) return;
      settle(hex, r.status ?? Status.CLIQUE_DELIVERY_STATUS_UNSPECIFIED, r.delivered ?? 0);
    },

    serverGone(server) {
      for (const [hex, p] of [...pending]) if (p.server === server) settle(hex, Status.CLIQUE_DELIVERY_STATUS_NO_SUCH_CLIENT, 0);
    },

    stop() {
      stopped = true;
      unchecked = [];
      uncheckedBytes = 0;
      for (const p of pending.values()) st.clock.clearTimeout(p.timer);
      pending.clear();
    },
  };
}
