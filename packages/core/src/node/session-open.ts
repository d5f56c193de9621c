import { v1 } from '../codec/wire.js';
import { pickSession } from '../session/pick-session.js';
import { emitDiscovered } from './discovered-peers.js';
import type { RunningNode } from './running-node.js';
import { penaltyRefusal } from './penalize.js';
import { peerSnapshot } from './peer-view.js';
import { roleFromWire } from './roles.js';
import type { PeerSession } from '../session/types.js';

const GoodbyeReason = v1.GoodbyeReason;
const hex = (b: Uint8Array | null | undefined): string => (b ? Buffer.from(b).toString('hex') : '');

/** True for a session with a seed: dialled as a configured seed, or a peer that says it is one. */
export function isSeedSession(node: Pick<RunningNode, 'seedDialer'>, s: PeerSession): boolean {
  return node.seedDialer.isSeedSession(s) || s.remoteHello?.role === v1.Role.ROLE_SEED;
}

/** What admitting a session touches. */
export type SessionOpenHost = Pick<RunningNode,
  'keys' | 'lifecycle' | 'peerId' | 'role' | 'config' | 'sessions' | 'opener' | 'seedDialer' | 'liveness' | 'seeds' | 'mesh' | 'book' | 'engine' | 'emitter'
  | 'penalties' | 'clock'>;

/**
 * A session finished its Hello exchange: it is refused (itself, shutting down, over the connection limits),
 * resolved against an existing session with the same peer, or becomes that peer's session.
 */
export function onSessionOpen(node: SessionOpenHost, s: PeerSession): void {
  node.opener.handshaking.delete(s);
  const peer = s.remotePeerId!;
  node.seedDialer.opened(s);
  if (peer === node.peerId) {
    node.seedDialer.reachedSelf(s);
    s.close(GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'connected to itself');
    return;
  }
  if (node.lifecycle.state !== 'running') {
    s.close(GoodbyeReason.GOODBYE_REASON_SHUTDOWN, 'node shutting down');
    return;
  }
  // A boxed peer is refused whoever dialled (insecure sessions learn the peer ID only here, from Hello).
  const boxed = penaltyRefusal(node, peer);
  if (boxed) {
    s.close(GoodbyeReason.GOODBYE_REASON_TOO_MANY_PEERS, boxed);
    return;
  }
  const existing = node.sessions.get(peer);
  if (existing && !s.authenticatedPeerId && existing.state === 'open') {
    // Insecure mode proves nothing: a Hello that merely claims the peer ID of a live session never displaces it.
    s.close(GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'a live session with this peer ID exists');
    return;
  }
  if (existing) {
    // Exactly one session per pair: both ends apply the same rule, so both keep the same connection.
    const view = (x: PeerSession) => ({ direction: x.direction, instanceId: hex(x.remoteHello?.instanceId) });
    const winner = pickSession(node.peerId, peer, view(existing), view(s)) === 'candidate' ? s : existing;
    const loser = winner === s ? existing : s;
    if (winner === s) {
      node.sessions.set(peer, s);
      if (s.authenticatedPublicKey) node.keys.add(s.authenticatedPublicKey);
      node.liveness.untrack(existing);
      node.liveness.track(s);
    }
    loser.close(GoodbyeReason.GOODBYE_REASON_DUPLICATE_SESSION, 'a session with this peer already exists');
    if (winner === s && isSeedSession(node, s)) node.seeds.seedSessionOpened(s);
    return;
  }
  const { maxConnections } = node.config.mesh;
  // A seed is dialled by everyone and serves them all: only its hard cap applies to it.
  const refusal = s.direction !== 'inbound' || isSeedSession(node, s) ? undefined
    : node.role === 'seed' ? (node.sessions.size >= maxConnections ? `at max connections (${maxConnections})` : undefined)
      : node.mesh.admitInbound();
  if (refusal) {
    s.close(GoodbyeReason.GOODBYE_REASON_TOO_MANY_PEERS, refusal);
    return;
  }
  node.sessions.set(peer, s);
  if (s.authenticatedPublicKey) node.keys.add(s.authenticatedPublicKey);
  const hello = s.remoteHello!;
  const listenPort = hello.listenPort ?? 0;
  if (listenPort > 0) {
    // The address comes from an authenticated session (the socket's source host and the port the key holder
    // says it listens on), so it outranks anything an unauthenticated announcement claims. Only a session this
    // node dialled has reached it, though: an inbound peer's listen port is a claim until a dial there succeeds.
    const outbound = s.direction === 'outbound';
    const address = { host: s.remoteAddress.host, port: outbound ? s.remoteAddress.port : listenPort };
    const learned = node.book.learn({
      peerId: peer, name: hello.name ?? '', address,
      role: roleFromWire(hello.role), load: hello.load ?? 0, instanceId: hex(hello.instanceId),
    }, 'session', true);
    if (outbound) node.book.reachedAt(peer, address);
    if (learned?.isNew) emitDiscovered(node, peer);
  }
  node.book.connected(peer);
  node.liveness.track(s);
  node.engine.neighbourUp(peer);
  if (isSeedSession(node, s)) node.seeds.seedSessionOpened(s);
  const snapshot = peerSnapshot(node.sessions, node.book, peer);
  if (snapshot) node.emitter.emit('peer:connect', snapshot);
  node.mesh.poke();
}
