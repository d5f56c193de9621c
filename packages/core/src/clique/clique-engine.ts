import { systemClock, type TimerHandle } from '../util/clock.js';
import { v1, type p2p } from '../codec/wire.js';
import { peerIdFromString, peerIdToString, PEER_ID_BYTES } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { TokenBucket } from '../session/token-bucket.js';
import type { EngineState } from './engine-state.js';
import { createLineVerifier } from './line-signing.js';
import { createLineRouter } from './line-router.js';
import { routedBurst, routedMessage } from './routed-line.js';
import {
  freeServer, onClaimAnswer, onClientLeft, onHolder, onNameClaim, registerLocal, releaseLocal,
} from './name-registry.js';
import { NameTable } from './name-table.js';
import { createOnlinePages } from './online-pages.js';
import { createRosterSender } from './roster-sender.js';
import { createRosterReceiver } from './roster-transfer.js';
import { DEFAULT_CLIQUE_LIMITS, type CliqueEngine, type CliqueEngineInit, type CliqueServerInfo } from './types.js';

/** Cut-off clients remembered at once (their penalty). */
const MAX_PENALISED = 10_000;
const UNSPECIFIED_HOSTS = new Set(['', '0.0.0.0', '::']);
/** Longest host a server may say it is at (a DNS name is at most 253): what it says goes into our rosters. */
const MAX_HOST = 255;

/**
 * Creates the clique logic of one server. Servers that say ServerJoin (and are allowed) are members; each sends the
 * others its roster (servers it knows, its own clients) on join and every rosterIntervalMs, dials servers it learns,
 * and redials members that left until forgetServerAfterMs. Names are claimed from every member before they are
 * confirmed (see name-registry.ts); lines are routed by line-router.ts.
 */
export function createCliqueEngine(init: CliqueEngineInit): CliqueEngine {
  const clock = init.clock ?? systemClock;
  const limits = { ...DEFAULT_CLIQUE_LIMITS, ...Object.fromEntries(Object.entries(init.limits ?? {}).filter(([, v]) => v !== undefined)) };
  // A page or roster part (plus the servers of a first part) must stay far below the 1 MiB frame limit.
  limits.pageBytes = Math.max(1, Math.min(limits.pageBytes, 512 * 1024));
  const verifyLine = init.verifyLine ?? createLineVerifier();
  const st: EngineState = {
    self: init.self, limits, clock, io: init, log: init.logger,
    members: new Map(), reach: new Map(), names: new NameTable(), clients: new Map(), claims: new Map(),
    stats: { linesDelivered: 0, linesRelayed: 0, linesRefused: 0, clientsCutOff: 0, claimsLost: 0 },
  };
  const allow = new Set(init.allow ?? []);
  const allowed = (id: PeerIdString) => allow.size === 0 || allow.has(id) || id === init.self.peerId;
  // A client that floods or signs badly costs only itself: cut off, its name freed, nobody else waits for it.
  // Cut-off clients by when they may come back: a fresh session would bring a full request budget, so a flooder
  // reconnecting at once would keep the server busy (200 who-is-online pages per reconnect). Bounded: oldest first out.
  const penalty = new Map<PeerIdString, number>();
  const cutOff = (client: PeerIdString, reason: string) => {
    // Penalised even when already gone: a client that sends a bad line and hangs up at once must not come back
    // with a fresh budget.
    penalty.delete(client);
    if (penalty.size >= MAX_PENALISED) penalty.delete(penalty.keys().next().value!);
    penalty.set(client, clock.now() + limits.penaltyMs);
    const c = st.clients.get(client);
    if (!c) return;
    st.stats.clientsCutOff++;
    st.clients.delete(client);
    releaseLocal(st, c, reason);
    init.dropClient(client, reason, true);
  };
  const lines = createLineRouter(st, cutOff);
  // Sessions with servers that are up but have not said ServerJoin yet: where they were seen.
  const seenAt = new Map<PeerIdString, CliqueServerInfo>();
  // Members that left, redialled until they come back or are forgotten.
  const lost = new Map<PeerIdString, { info: CliqueServerInfo; since: number }>();
  let stopped = false;

  const peerInfo = (s: CliqueServerInfo): p2p.v1.IPeerInfo => ({
    peerId: peerIdFromString(s.peerId), name: s.name, host: s.host, port: s.port, role: v1.Role.ROLE_SERVER, seenAtMs: clock.now(),
  });
  const pages = createOnlinePages(st);
  const roster = createRosterSender(st, () => [st.self, ...st.members.values()].map(peerInfo));
  const sendRoster = (to: Iterable<PeerIdString>) => roster.send(to);
  const introduce = (server: PeerIdString) => {
    st.io.sendToServer(server, { serverJoin: { server: peerInfo(st.self) } });
    sendRoster([server]);
  };

  const learn = (p: p2p.v1.IPeerInfo) => {
    if (!p.peerId || p.peerId.length !== PEER_ID_BYTES || !p.port) return;
    const id = peerIdToString(p.peerId);
    if (id === st.self.peerId || st.members.has(id) || seenAt.has(id) || !allowed(id)) return;
    if (UNSPECIFIED_HOSTS.has(p.host ?? '') || (p.host ?? '').length > MAX_HOST || p.port > 65535) return;
    if (st.members.size + lost.size >= limits.maxServers) return;
    const info = { peerId: id, name: (p.name ?? '').slice(0, 128), host: p.host!, port: p.port };
    lost.set(id, { info, since: clock.now() });
    init.dialServer(info);
  };

  const rosters = createRosterReceiver(st, (from, servers) => {
    const ids = new Set<PeerIdString>();
    for (const p of servers) {
      if (p.peerId?.length === PEER_ID_BYTES) ids.add(peerIdToString(p.peerId));
      learn(p);
    }
    st.reach.set(from, ids);
  });

  let tick: TimerHandle | undefined;
  let ticks = 0;
  const schedule = () => {
    if (stopped) return;
    tick = clock.setTimeout(() => {
      ticks++;
      const now = clock.now();
      for (const [id, l] of [...lost]) {
        if (now - l.since > limits.forgetServerAfterMs) lost.delete(id);
        else init.dialServer(l.info);
      }
      if ((ticks * limits.redialMs) % limits.rosterIntervalMs < limits.redialMs) sendRoster(st.members.keys());
      schedule();
    }, limits.redialMs);
  };
  schedule();

  const join = (from: PeerIdString, j: p2p.v1.IServerJoin) => {
    if (!allowed(from)) {
      st.log?.warn({ server: from }, 'clique: refused a server that is not on the allow list');
      return init.refuseServer(from, 'not on the clique allow list');
    }
    if (st.members.has(from)) return;
    if (st.members.size >= limits.maxServers) return init.refuseServer(from, 'clique full');
    const seen = seenAt.get(from);
    const said = j.server?.host && !UNSPECIFIED_HOSTS.has(j.server.host) && j.server.host.length <= MAX_HOST ? j.server.host : undefined;
    const host = said ?? seen?.host ?? '';
    const port = j.server?.port && j.server.port <= 65535 ? j.server.port : seen?.port ?? 0;
    const info = { peerId: from, name: (j.server?.name ?? seen?.name ?? '').slice(0, 128), host, port };
    seenAt.delete(from);
    lost.delete(from);
    st.members.set(from, info);
    st.log?.info({ server: from, name: info.name }, 'clique: server joined');
    // Always answered, even if ours was sent already: it may have arrived before the other side listened for it.
    introduce(from);
    // Everyone else learns the newcomer now rather than at the next periodic roster.
    sendRoster([...st.members.keys()].filter((id) => id !== from));
  };

  return {
    serverUp(info) {
      if (info.peerId === st.self.peerId || st.members.has(info.peerId)) return;
      if (!allowed(info.peerId)) return init.refuseServer(info.peerId, 'not on the clique allow list');
      seenAt.set(info.peerId, info);
      introduce(info.peerId);
    },

    serverDown(server) {
      seenAt.delete(server);
      const info = st.members.get(server);
      if (!info) return;
      st.members.delete(server);
      if (!stopped && info.port) lost.set(server, { info, since: clock.now() });
      st.log?.info({ server, name: info.name }, 'clique: server left');
      rosters.forget(server);
      st.reach.delete(server);
      lines.serverGone(server);
      freeServer(st, server);
      roster.forget(server);
      // The others learn at once that this link is gone, as it changes which claims they may grant
      // (name-registry.ts): the servers only, in a first roster part that frees nothing.
      if (!stopped) roster.announceServers(st.members.keys());
    },

    handleServer(from, m) {
      if (m.serverJoin) return join(from, m.serverJoin);
      if (!st.members.has(from)) {
        // Clique traffic from a server whose session is up but which never said ServerJoin to us: it counts us as a
        // member while we dropped it (a duplicate session closed on our side only, and its ServerJoin, answered
        // already, will not come again). Taken as its join, or no claim could ever be agreed between us.
        if (!seenAt.has(from)) return;
        join(from, {});
        if (!st.members.has(from)) return;
      }
      if (m.roster) rosters.receive(from, m.roster);
      else if (m.nameClaim) onNameClaim(st, from, m.nameClaim);
      else if (m.claimAnswer) onClaimAnswer(st, from, m.claimAnswer);
      else if (m.clientJoined) onHolder(st, from, m.clientJoined.client);
      else if (m.clientLeft) onClientLeft(st, from, m.clientLeft);
      else if (m.message) lines.fromServer(from, routedMessage(m.message, limits.maxLineBytes, verifyLine));
      else if (m.lines) lines.fromServer(from, routedBurst(m.lines, limits.maxLineBytes, init.verifyBurst));
      else if (m.deliveryReport) lines.report(from, m.deliveryReport);
    },

    clientUp(client) {
      const until = penalty.get(client);
      if (until !== undefined) {
        if (clock.now() < until) {
          const detail = `cut off for flooding or a bad signature: wait ${Math.ceil((until - clock.now()) / 1000)} s`;
          return { reason: v1.GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, detail };
        }
        penalty.delete(client);
      }
      const old = st.clients.get(client);
      if (old) releaseLocal(st, old, 'reconnected');
      else if (st.clients.size >= limits.maxClients) return { reason: v1.GoodbyeReason.GOODBYE_REASON_TOO_MANY_PEERS, detail: 'server full' };
      st.clients.set(client, {
        id: client, key: undefined, claiming: undefined, bucket: new TokenBucket(limits.linesPerSecond, limits.lineBurst, () => clock.now()),
      });
      return true;
    },

    clientDown(client, reason) {
      const c = st.clients.get(client);
      if (!c) return;
      st.clients.delete(client);
      releaseLocal(st, c, reason);
    },

    handleClient(client, m) {
      const c = st.clients.get(client);
      if (!c) return;
      // Every request costs a token, not only lines: a who-is-online answer lists the whole clique, so a flood of
      // those (or of name claims) would cost the server far more than a flood of lines.
      // A burst costs a token per line, so bursts do not stretch the line rate.
      const routed = m.lines ? routedBurst(m.lines, limits.maxLineBytes, init.verifyBurst)
        : m.message ? routedMessage(m.message, limits.maxLineBytes, verifyLine) : undefined;
      if (!c.bucket.take(routed?.lines ?? 1)) return cutOff(client, `flooding: more than ${limits.linesPerSecond} requests/s`);
      if (routed) lines.fromClient(c, routed);
      else if (m.clientRegister) registerLocal(st, c, m.clientRegister.name ?? '');
      else if (m.whoIsOnline) init.sendToClient(client, { onlineList: pages.page(m.whoIsOnline.after ?? '') });
    },

    members: () => [...st.members.values()],
    online: () => [...st.names.values()].filter((h) => h.confirmed),
    stats: () => ({ ...st.stats, servers: st.members.size, clients: st.clients.size, names: [...st.names.values()].filter((h) => h.confirmed).length }),

    stop() {
      stopped = true;
      clock.clearTimeout(tick);
      roster.stop();
      lines.stop();
      for (const claim of st.claims.values()) clock.clearTimeout(claim.timer);
    },
  };
}
