import type { p2p } from '../codec/wire.js';
import { peerIdFromString, peerIdToString, PEER_ID_BYTES } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { compareClaims, fromEntry, toEntry, type NameHolder } from './claims.js';
import { toNamedClients, toServers, type EngineState, type LocalClient } from './engine-state.js';
import { checkName, looksAlike, nameKey } from './names.js';

/** Whether server `a` said in its latest roster that it is connected to server `b` (every server sees itself). */
function sees(st: EngineState, a: PeerIdString, b: PeerIdString): boolean {
  return a === b || (st.reach.get(a)?.has(b) ?? false);
}

/** Tells a local client its name was refused, and why. */
function refuse(st: EngineState, client: PeerIdString, name: string, reason: string, detail = ''): void {
  st.io.sendToClient(client, { nameTaken: { name, reason, detail } });
}

function online(st: EngineState): number {
  let n = 0;
  for (const h of st.names.values()) if (h.confirmed) n++;
  return n;
}

/** Forgets a name and tells local clients, when `h` is still its holder. */
export function forget(st: EngineState, key: string, h: NameHolder, reason: string): void {
  if (st.names.get(key) !== h) return;
  st.names.delete(key);
  if (h.confirmed) {
    toNamedClients(st, { clientLeft: { name: h.name, reason, peerId: peerIdFromString(h.clientId), serverId: peerIdFromString(h.serverId) } });
  }
}

/** A client of ours took its name to another server: the attachment here is stale and is closed. */
function dropStale(st: EngineState, client: PeerIdString): void {
  const c = st.clients.get(client);
  if (!c) return;
  c.key = undefined;
  c.claiming = undefined;
  st.clients.delete(client);
  st.io.dropClient(client, 'moved to another server');
}

/** A local client asks for a name: refused at once when someone holds it, else claimed from every other server. */
export function registerLocal(st: EngineState, c: LocalClient, wanted: string): void {
  let checked;
  try {
    checked = checkName(wanted);
  } catch (err) {
    return refuse(st, c.id, String(wanted).slice(0, 64), 'invalid', (err as Error).message);
  }
  if (c.key !== undefined || c.claiming !== undefined) return refuse(st, c.id, checked.display, 'invalid', 'this client already has a name');
  const held = st.names.get(checked.key);
  // The same key may take its own name back (it reconnected here before its old server was declared dead).
  if (held && held.clientId !== c.id) {
    const where = `held by a client of ${held.serverName || 'another server'}`;
    return refuse(st, c.id, checked.display, 'taken', looksAlike(checked.display, held.name) ? `looks like '${held.name}' (${where})` : where);
  }
  if (!held && st.names.size >= st.limits.maxNames) return refuse(st, c.id, checked.display, 'server-full', 'too many names in the clique');
  const holder: NameHolder = {
    name: checked.display, clientId: c.id, serverId: st.self.peerId, serverName: st.self.name,
    claimedAtMs: st.clock.now(), confirmed: false,
  };
  st.names.set(checked.key, holder);
  c.claiming = checked.key;
  // Only servers the claim reached are waited for: one without a session is leaving and will be removed anyway.
  const waiting = new Set<PeerIdString>();
  const message = { nameClaim: { client: toEntry(holder) } };
  for (const id of st.members.keys()) if (st.io.sendToServer(id, message)) waiting.add(id);
  const timer = st.clock.setTimeout(() => failClaim(st, checked.key, 'busy', 'the clique did not agree in time'), st.limits.claimTimeoutMs);
  st.claims.set(checked.key, { holder, waiting, timer });
  if (waiting.size === 0) confirmClaim(st, checked.key);
}

function confirmClaim(st: EngineState, key: string): void {
  const claim = st.claims.get(key);
  if (!claim) return;
  st.claims.delete(key);
  st.clock.clearTimeout(claim.timer);
  const c = st.clients.get(claim.holder.clientId);
  if (!c || st.names.get(key) !== claim.holder) return;
  claim.holder.confirmed = true;
  c.claiming = undefined;
  c.key = key;
  const entry = toEntry(claim.holder);
  toServers(st, { clientJoined: { client: entry } });
  // The budget goes with the answer, so that a client paces a paste instead of being cut off for it: what is left
  // of it from here on (the registration took a token), rounded down.
  const budget = (n: number) => Math.max(1, Math.min(0xffff_ffff, Math.floor(n)));
  st.io.sendToClient(c.id, {
    clientRegistered: {
      name: claim.holder.name, online: online(st), linesPerSecond: budget(st.limits.linesPerSecond), lineBurst: budget(st.limits.lineBurst - 1),
    },
  });
  toNamedClients(st, { clientJoined: { client: entry } }, c.id);
}

/** Ends a local claim as refused; servers that recorded it as a claim forget it. */
export function failClaim(st: EngineState, key: string, reason: string, detail: string): void {
  const claim = st.claims.get(key);
  if (!claim) return;
  st.claims.delete(key);
  st.clock.clearTimeout(claim.timer);
  const h = claim.holder;
  if (st.names.get(key) === h) st.names.delete(key);
  const c = st.clients.get(h.clientId);
  if (c && c.claiming === key) c.claiming = undefined;
  if (reason === 'lost') st.stats.claimsLost++;
  refuse(st, h.clientId, h.name, reason, detail);
  toServers(st, { clientLeft: { name: h.name, reason: 'claim-' + reason, peerId: peerIdFromString(h.clientId), serverId: peerIdFromString(st.self.peerId) } });
}

/**
 * Another server claims a name. Granted unless this server holds a confirmed name for another client, or a claim of
 * it that wins the tie-break; a local claim that loses is refused to its client as "lost".
 */
export function onNameClaim(st: EngineState, from: PeerIdString, claim: p2p.v1.INameClaim): void {
  const x = fromEntry(claim.client, false);
  const key = x ? nameKey(x.name) : undefined;
  const answer = (granted: boolean) => st.io.sendToServer(from, {
    claimAnswer: { name: claim.client?.name ?? '', peerId: claim.client?.peerId ?? new Uint8Array(), granted },
  });
  if (!x || key === undefined || x.serverId !== from) return void answer(false);
  x.name = x.name.normalize('NFKC');
  const held = st.names.get(key);
  if (!held) {
    if (st.names.size >= st.limits.maxNames) return void answer(false);
    st.names.set(key, x);
    return void answer(true);
  }
  if (held.clientId !== x.clientId) {
    if (held.confirmed || compareClaims(held, x) < 0) return void answer(false);
    // Two claimers that are not connected to each other never see each other's claim, so the tie-break between
    // them would never run: the first claim this server granted keeps the name (see "Partitions" in ARCHITECTURE.md).
    if (held.serverId !== st.self.peerId && !(sees(st, from, held.serverId) && sees(st, held.serverId, from))) return void answer(false);
    if (held.serverId === st.self.peerId) {
      const winner = x.serverName || 'another server';
      failClaim(st, key, 'lost', `claimed at the same moment on ${winner}, which won`);
    }
  }
  if (held.clientId === x.clientId && held.serverId === st.self.peerId) dropStale(st, held.clientId);
  // No holder yet, a losing claim, or the same client moving here from another server.
  st.names.set(key, x);
  answer(true);
}

/** An answer to one of this server's claims. */
export function onClaimAnswer(st: EngineState, from: PeerIdString, a: p2p.v1.IClaimAnswer): void {
  const key = nameKey(a.name ?? '');
  const claim = key === undefined ? undefined : st.claims.get(key);
  if (!claim || !a.peerId || a.peerId.length !== PEER_ID_BYTES || peerIdToString(a.peerId) !== claim.holder.clientId) return;
  if (!a.granted) return failClaim(st, key!, 'taken', `refused by ${st.members.get(from)?.name ?? 'another server'}`);
  claim.waiting.delete(from);
  if (claim.waiting.size === 0) confirmClaim(st, key!);
}

/**
 * A client of another server holds a name (ClientJoined, or a roster entry). A clash with a confirmed holder (two
 * partitions healing) is settled by the same tie-break everywhere; a local holder that loses is told "lost".
 * Returns the holder now held for the entry (undefined when it was refused or is malformed).
 */
export function onHolder(st: EngineState, from: PeerIdString, entry: p2p.v1.IClientEntry | null | undefined, notify = true): NameHolder | undefined {
  const x = fromEntry(entry, true);
  const key = x ? nameKey(x.name) : undefined;
  if (!x || key === undefined || x.serverId !== from) return undefined;
  x.name = x.name.normalize('NFKC');
  const held = st.names.get(key);
  if (held && held.confirmed && held.clientId === x.clientId && held.serverId === x.serverId) return held;
  if (held && held.clientId !== x.clientId && (held.confirmed || held.serverId === st.self.peerId)) {
    if (compareClaims(held, x) < 0) {
      // Ours is older: say so to the other server, which applies the same rule and drops its own.
      if (held.confirmed) st.io.sendToServer(from, { clientJoined: { client: toEntry(held) } });
      return undefined;
    }
    if (held.serverId === st.self.peerId) {
      if (!held.confirmed) failClaim(st, key, 'lost', `held by a client of ${x.serverName || 'another server'}`);
      else {
        const c = st.clients.get(held.clientId);
        if (c) { c.key = undefined; st.stats.claimsLost++; }
        refuse(st, held.clientId, held.name, 'lost', `held first by a client of ${x.serverName || 'another server'}`);
      }
    }
  }
  if (held && held.clientId === x.clientId && held.serverId === st.self.peerId && held.serverId !== x.serverId) {
    dropStale(st, held.clientId);
  }
  if (st.names.size >= st.limits.maxNames && !st.names.has(key)) return undefined;
  st.names.set(key, x);
  if (notify) toNamedClients(st, { clientJoined: { client: toEntry(x) } });
  return x;
}

/** A client of another server left (or its claim failed). */
export function onClientLeft(st: EngineState, from: PeerIdString, left: p2p.v1.IClientLeft): void {
  const key = nameKey(left.name ?? '');
  const held = key === undefined ? undefined : st.names.get(key);
  if (!held || held.serverId !== from) return;
  if (left.peerId && left.peerId.length === PEER_ID_BYTES && peerIdToString(left.peerId) !== held.clientId) return;
  forget(st, key!, held, left.reason || 'quit');
}

/**
 * A server left: its names are freed, and claims no longer wait for it. A claim it never answered is confirmed
 * without it only when no remaining member says it is still connected to that server: if one does, the server is
 * alive across a cut link and may have granted a clashing claim there, so the claim is refused as "busy".
 */
export function freeServer(st: EngineState, server: PeerIdString): void {
  for (const [k, h] of [...st.names]) if (h.serverId === server) forget(st, k, h, 'server-lost');
  const alive = [...st.members.keys()].some((m) => st.reach.get(m)?.has(server));
  for (const [k, claim] of [...st.claims]) {
    if (!claim.waiting.delete(server)) continue;
    if (alive) failClaim(st, k, 'busy', 'the link to a server broke while the clique was agreeing; try again');
    else if (claim.waiting.size === 0) confirmClaim(st, k);
  }
}

/** A local client left: its name (or claim) is released everywhere. */
export function releaseLocal(st: EngineState, c: LocalClient, reason: string): void {
  if (c.claiming !== undefined) failClaim(st, c.claiming, 'busy', 'client left');
  if (c.key === undefined) return;
  const h = st.names.get(c.key);
  c.key = undefined;
  if (!h || h.clientId !== c.id || h.serverId !== st.self.peerId) return;
  forget(st, nameKey(h.name)!, h, reason);
  toServers(st, { clientLeft: { name: h.name, reason, peerId: peerIdFromString(c.id), serverId: peerIdFromString(st.self.peerId) } });
}
