import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import { v1 } from '../codec/wire.js';
import { messageType } from '../codec/envelope-codec.js';
import { systemClock, type TimerHandle } from '../util/clock.js';
import { fromWirePayload, isMessageId, newMessageId, oversizedText, toHex, toInboundMessage, toWirePayload, type AppPayload } from '../message/payload.js';
import { createSeenCache } from '../util/seen-cache.js';
import { InboxFullError, InvalidPayloadError, InvalidPeerIdError } from '../errors.js';
import { isPeerIdString, peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { SendResult } from './types.js';
import { createForwardRecord, worseOf, type ForwardRecord, type NegativeStatus } from './forward-record.js';
import { createRouteTable } from './route-table.js';
import type { DirectAuthenticator, DirectRouter, DirectRouterInit } from './types.js';

const Status = v1.DirectStatus;
/** Hop limit a peer may ask for at most. */
const MAX_HOPS_CEILING = 64;
/** How long a dedup entry, a route and a forwarding record are kept. */
const SEEN_TTL_MS = 120_000;
const ROUTE_TTL_MS = 300_000;
const RECORD_TTL_MS = 60_000;

const DEFAULTS = { maxHops: 16, timeoutMs: 5000, cacheSize: 10_000, maxPending: 1024 };

interface Pending {
  record: ForwardRecord;
  started: number;
  timer: TimerHandle;
  resolve(result: SendResult): void;
}

/**
 * Creates a direct-message router. A Direct goes straight over the session when the recipient is a neighbour,
 * along a learned route when there is one (reverse-path learning: a message from X that came through N means X is
 * reachable through N), and otherwise as a flood bounded by message-ID dedup and the hop limit. The recipient answers
 * DirectAck DELIVERED back along the path; failures (no way on, hop limit) travel back too, and a node passes a
 * failure upstream only when all the branches it opened have failed.
 */
export function createDirectRouter(init: DirectRouterInit): DirectRouter {
  const clock = init.clock ?? systemClock;
  const opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(init.options ?? {}).filter(([, v]) => v !== undefined)) };
  const maxHops = Math.max(1, Math.min(MAX_HOPS_CEILING, Math.floor(opts.maxHops)));
  const selfBytes = peerIdFromString(init.self);
  const log = init.logger;

  const seen = createSeenCache({ capacity: opts.cacheSize, ttlMs: SEEN_TTL_MS, clock });
  const routes = createRouteTable({ capacity: opts.cacheSize, ttlMs: ROUTE_TTL_MS, clock });
  const records = createSeenCache<ForwardRecord>({ capacity: opts.cacheSize, ttlMs: RECORD_TTL_MS, clock });
  const pending = new Map<string, Pending>();
  // delivered: Directs for us handed to the application; forwarded: copies sent on for others; acked: our own sends
  // acknowledged as delivered; duplicates: copies of Directs already seen.
  const counters = { delivered: 0, forwarded: 0, acked: 0, duplicates: 0, invalid: 0, tooLarge: 0, rejected: 0 };
  // Directs for us whose asynchronous delivery (storage) has not finished: not acknowledged yet.
  const storing = new Set<string>();
  // Directs for us the application refused to keep, with the status a later copy must be answered with too.
  const refused = createSeenCache<p2p.v1.DirectStatus>({ capacity: opts.cacheSize, ttlMs: SEEN_TTL_MS, clock });

  const send = (peer: PeerIdString, envelope: Envelope, lane?: string): boolean => {
    try {
      return init.send(peer, envelope, lane);
    } catch (err) {
      log?.debug({ peer, err }, 'direct: send failed');
      return false;
    }
  };
  const sendAck = (peer: PeerIdString, messageId: Uint8Array, to: Uint8Array, status: p2p.v1.DirectStatus, hopCount = 0): void => {
    const ack: p2p.v1.IDirectAck = { messageId, to, from: selfBytes, status, hopCount };
    // Only the recipient's answer travels end to end and is signed; a failure goes one hop, to the neighbour that
    // asked, whose session already says who wrote it (and each node upstream answers in its own name).
    const signed = init.auth && isFinal(status);
    send(peer, { directAck: signed ? { ...ack, ...init.auth!.signAck(ack) } : ack });
  };

  const finish = (p: Pending, status: SendResult['status']): void => {
    clock.clearTimeout(p.timer);
    pending.delete(p.record.key);
    p.record.done = true;
    if (status === 'delivered') counters.acked++;
    p.resolve({ status, peerId: p.record.to, elapsedMs: clock.now() - p.started });
  };

  /** Every branch of `record` failed: reroute by flooding if it only tried a route, else report the failure upstream. */
  const exhausted = (record: ForwardRecord): void => {
    if (record.done) return;
    if (!record.flooded) {
      routes.forget(record.to);
      dispatch(record, true);
      return;
    }
    record.done = true;
    const status = record.worst ?? 'unreachable';
    if (record.upstream === undefined) {
      const p = pending.get(record.key);
      if (p) finish(p, status);
    } else {
      const d = record.direct;
      sendAck(record.upstream, d.messageId as Uint8Array, d.from as Uint8Array, status === 'too-many-hops' ? Status.DIRECT_STATUS_TOO_MANY_HOPS : Status.DIRECT_STATUS_UNREACHABLE);
    }
  };

  /** Sends `record` on: to the recipient if it is a neighbour, else along a route, else (or when `flood`) to everyone. */
  const dispatch = (record: ForwardRecord, flood = false): void => {
    const neighbours = new Set(init.neighbours());
    const usable = (peer: PeerIdString | undefined): peer is PeerIdString =>
      peer !== undefined && neighbours.has(peer) && peer !== record.upstream && !record.tried.has(peer);
    const trySend = (peer: PeerIdString): boolean => {
      record.tried.add(peer);
      // A relayed Direct waits in the lane of the neighbour it came from (see Session.send), ours in 'self'.
      if (!send(peer, { direct: record.direct }, record.upstream ?? 'self')) return false;
      record.outstanding.add(peer);
      if (record.upstream !== undefined) counters.forwarded++;
      return true;
    };
    if (init.auth && !isSealed(record.direct) && (record.direct.chat || record.direct.data)) {
      // In the clear only over an authenticated session with the recipient itself, never through anyone else.
      record.flooded = true;
      if (usable(record.to)) trySend(record.to);
      if (record.outstanding.size === 0) exhausted(record);
      return;
    }
    if (!flood && !record.flooded) {
      const route = usable(record.to) ? record.to : routes.next(record.to);
      if (usable(route) && trySend(route)) return;
    }
    record.flooded = true;
    for (const peer of neighbours) if (usable(peer)) trySend(peer);
    if (record.outstanding.size === 0) exhausted(record);
  };

  /** A next hop of `record` answered with a failure (or went away). */
  const branchFailed = (record: ForwardRecord, peer: PeerIdString, status: NegativeStatus): void => {
    if (record.done || !record.outstanding.delete(peer)) return;
    record.worst = worseOf(record.worst, status);
    if (record.outstanding.size === 0) exhausted(record);
  };

  /** Hands a Direct for us to the application and acknowledges it once handed over (and stored, when async). */
  const handOver = (from: PeerIdString, d: p2p.v1.IDirect, key: string, author: PeerIdString, payload: AppPayload): void => {
    counters.delivered++;
    const messageId = d.messageId as Uint8Array;
    const authorBytes = d.from as Uint8Array;
    let handed: void | Promise<void> = undefined;
    try {
      handed = init.deliver(toInboundMessage('direct', key, author, payload, clock.now(), (d.hopCount ?? 0) + 1));
    } catch (err) {
      log?.warn({ err, messageId: key }, 'direct: application handler threw');
    }
    if (!isPromise(handed)) {
      sendAck(from, messageId, authorBytes, Status.DIRECT_STATUS_DELIVERED);
      return;
    }
    // "Delivered" must mean kept: acknowledge only once the application has stored the message.
    storing.add(key);
    handed.then(
      () => sendAck(from, messageId, authorBytes, Status.DIRECT_STATUS_DELIVERED),
      (err: unknown) => {
        const status = refusalStatus(err);
        log?.debug({ err, messageId: key }, 'direct: the application did not keep the message');
        refused.set(key, status);
        sendAck(from, messageId, authorBytes, status);
      },
    ).finally(() => storing.delete(key));
  };

  /** A sealed Direct for us: open it, then hand it over; one that cannot be opened is answered UNREACHABLE. */
  const openAndHandOver = (auth: DirectAuthenticator, from: PeerIdString, d: p2p.v1.IDirect, key: string, author: PeerIdString): void => {
    storing.add(key);
    auth.open(d).then((opened) => {
      storing.delete(key);
      const payload = fromWirePayload(opened);
      if (!payload) throw new InvalidPayloadError('the sealed payload is empty');
      if (oversizedText(payload.text) !== undefined) {
        counters.tooLarge++;
        sendAck(from, d.messageId as Uint8Array, d.from as Uint8Array, Status.DIRECT_STATUS_UNREACHABLE);
        return;
      }
      handOver(from, d, key, author, payload);
    }).catch((err: unknown) => {
      storing.delete(key);
      counters.invalid++;
      log?.debug({ peer: from, messageId: key, err }, 'direct: sealed payload cannot be opened');
      sendAck(from, d.messageId as Uint8Array, d.from as Uint8Array, Status.DIRECT_STATUS_UNREACHABLE);
    });
  };

  const onDirect = (from: PeerIdString, d: p2p.v1.IDirect): void => {
    const sealed = isSealed(d);
    const payload = sealed ? undefined : fromWirePayload(d);
    // Empty and signed: a key probe, which carries nothing to hide and is answered by the recipient's signed ack.
    const probe = init.auth !== undefined && !sealed && !payload;
    if (!isMessageId(d.messageId) || !isPeerBytes(d.from) || !isPeerBytes(d.to) || (!payload && !sealed && !probe)) {
      counters.invalid++;
      log?.debug({ peer: from }, 'direct: malformed Direct dropped');
      return;
    }
    if (payload && oversizedText(payload.text) !== undefined) {
      // Refused on receipt, by the recipient and by every relay alike: never stored, never passed on (a sealed
      // text is checked by its recipient once opened).
      counters.tooLarge++;
      sendAck(from, d.messageId, d.from, Status.DIRECT_STATUS_UNREACHABLE);
      return;
    }
    const key = toHex(d.messageId);
    const author = peerIdToString(d.from);
    const recipient = peerIdToString(d.to);
    if (seen.has(key)) {
      counters.duplicates++;
      // Close the branch that brought the copy: "delivered" if it is ours, else "not through me".
      // A copy for us is only "delivered" once the first copy was handed over (and stored, when deliver is async);
      // until then the first copy's own branch will answer.
      const stored = recipient === init.self && !storing.has(key);
      sendAck(from, d.messageId, d.from, stored ? (refused.get(key) ?? Status.DIRECT_STATUS_DELIVERED) : Status.DIRECT_STATUS_UNREACHABLE);
      return;
    }
    // A forgery is not marked seen: the genuine message with the same ID still gets through.
    if (init.auth && !init.auth.verify(from, d)) {
      counters.rejected++;
      log?.debug({ peer: from, messageId: key }, 'direct: signature does not prove the author, dropped');
      return;
    }
    seen.set(key, true);
    if (author !== init.self) routes.learn(author, from);
    if (recipient === init.self) {
      if (probe) sendAck(from, d.messageId, d.from, Status.DIRECT_STATUS_DELIVERED);
      else if (payload) handOver(from, d, key, author, payload);
      else if (init.auth) openAndHandOver(init.auth, from, d, key, author);
      else sendAck(from, d.messageId, d.from, Status.DIRECT_STATUS_UNREACHABLE);
      return;
    }
    const hops = (d.hopCount ?? 0) + 1;
    const limit = Math.min(d.maxHops ?? 0, MAX_HOPS_CEILING);
    if (hops >= limit || (init.auth && !sealed && !probe)) {
      // Out of hops, or a payload in the clear that no relay may pass on.
      sendAck(from, d.messageId, d.from, hops >= limit ? Status.DIRECT_STATUS_TOO_MANY_HOPS : Status.DIRECT_STATUS_UNREACHABLE);
      return;
    }
    // Every signed field travels unchanged; only hop_count moves.
    const body: p2p.v1.IDirect = sealed ? { sealedEnc: d.sealedEnc, sealedPayload: d.sealedPayload } : probe ? {} : d.chat ? { chat: d.chat } : { data: d.data };
    const authorship: p2p.v1.IDirect = d.authorKey?.length ? { authorKey: d.authorKey, signature: d.signature } : {};
    const record = createForwardRecord(key, { messageId: d.messageId, from: d.from, to: d.to, hopCount: hops, maxHops: d.maxHops, ...body, ...authorship }, recipient, from);
    records.set(key, record);
    dispatch(record);
  };

  const onAck = (from: PeerIdString, ack: p2p.v1.IDirectAck): void => {
    if (!isMessageId(ack.messageId) || !isPeerBytes(ack.to) || !isPeerBytes(ack.from)) {
      counters.invalid++;
      return;
    }
    const writer = peerIdToString(ack.from);
    if (init.auth && (isFinal(ack.status) ? !init.auth.verifyAck(from, ack) : writer !== from)) {
      counters.rejected++;
      log?.debug({ peer: from }, 'direct: acknowledgement not proven to come from its writer, dropped');
      return;
    }
    if (writer !== init.self) routes.learn(writer, from);
    const key = toHex(ack.messageId);
    // The recipient's own answer (kept, or refused for lack of room) ends the search like a delivery does.
    const refusal = finalRefusal(ack.status);
    const delivered = ack.status === Status.DIRECT_STATUS_DELIVERED || refusal !== undefined;
    const negative: NegativeStatus = ack.status === Status.DIRECT_STATUS_TOO_MANY_HOPS ? 'too-many-hops' : 'unreachable';
    if (peerIdToString(ack.to) === init.self) {
      const p = pending.get(key);
      if (!p) return; // late: already resolved or timed out
      // Only the recipient can say it has the message; anyone else claiming so is lying.
      if (delivered && init.auth && writer !== p.record.to) {
        counters.rejected++;
        return;
      }
      if (delivered) finish(p, refusal ?? 'delivered');
      else branchFailed(p.record, from, negative);
      return;
    }
    const record = records.get(key);
    if (!record) {
      // No record (evicted, or the ack took another path): a delivery is still worth passing on along the route.
      const hops = (ack.hopCount ?? 0) + 1;
      const via = routes.next(peerIdToString(ack.to));
      if (delivered && via !== undefined && via !== from && hops < MAX_HOPS_CEILING) {
        send(via, { directAck: { ...ack, hopCount: hops } });
      }
      return;
    }
    if (!delivered) {
      branchFailed(record, from, negative);
      return;
    }
    if (init.auth && writer !== record.to) {
      counters.rejected++;
      return;
    }
    if (record.done || record.upstream === undefined) return;
    record.done = true;
    const authorship: p2p.v1.IDirectAck = ack.authorKey?.length ? { authorKey: ack.authorKey, signature: ack.signature } : {};
    send(record.upstream, { directAck: { messageId: ack.messageId, to: ack.to, from: ack.from, status: ack.status, hopCount: (ack.hopCount ?? 0) + 1, ...authorship } });
  };

  /** Signs (and seals) a new Direct, then sends it and waits for its outcome. */
  const sendNew = async (to: PeerIdString, wire: p2p.v1.IDirect, id: Uint8Array, started: number, timeoutMs: number): Promise<SendResult> => {
    if (pending.size >= opts.maxPending) return { status: 'unreachable', peerId: to, elapsedMs: 0 };
    const key = toHex(id);
    seen.set(key, true);
    let direct: p2p.v1.IDirect = { messageId: id, from: selfBytes, to: peerIdFromString(to), hopCount: 0, maxHops, ...wire };
    if (init.auth) {
      try {
        const authed = init.auth.seal(direct, init.neighbours().includes(to));
        direct = isPromise<p2p.v1.IDirect>(authed) ? await authed : authed;
      } catch (err) {
        log?.debug({ to, err }, 'direct: cannot sign or seal');
        return { status: 'unreachable', peerId: to, elapsedMs: clock.now() - started, detail: (err as Error).message };
      }
    }
    const record = createForwardRecord(key, direct, to, undefined);
    return new Promise<SendResult>((resolve) => {
      const p: Pending = { record, started, resolve, timer: undefined };
      p.timer = clock.setTimeout(() => finish(p, 'timeout'), timeoutMs);
      pending.set(key, p);
      dispatch(record);
    });
  };

  return {
    async send(to, payload, options) {
      if (!isPeerIdString(to)) throw new InvalidPeerIdError(`cannot send to '${to}'`);
      const wire = toWirePayload(payload, init.selfName, clock.now());
      const started = clock.now();
      const id = newMessageId();
      const key = toHex(id);
      if (to === init.self) {
        // A note to oneself needs no network.
        counters.delivered++;
        init.deliver({
          id: key, kind: 'direct', from: to, fromName: init.selfName,
          ...(payload.text !== undefined ? { text: payload.text } : { data: payload.data as Uint8Array }),
          sentAtMs: started, receivedAtMs: started, hops: 0,
        });
        return { status: 'delivered', peerId: to, elapsedMs: 0 };
      }
      const timeoutMs = Math.max(1, options?.timeoutMs ?? opts.timeoutMs);
      const straight = init.neighbours().includes(to);
      if (init.auth?.needsKey(to, straight)) {
        // First contact through others: an empty, signed probe whose DELIVERED answer, signed by the recipient,
        // brings its key; only then does the text leave, sealed to that key.
        const probe = await sendNew(to, {}, newMessageId(), started, timeoutMs);
        if (probe.status !== 'delivered') return { ...probe, detail: probe.detail ?? `the key of ${to.slice(0, 8)} is unknown and the peer did not answer (${probe.status})` };
      }
      return sendNew(to, wire, id, started, Math.max(1, timeoutMs - (clock.now() - started)));
    },
    handle(from, envelope: DecodedEnvelope) {
      const type = envelope.body ?? messageType(envelope);
      if (type === 'direct' && envelope.direct) onDirect(from, envelope.direct);
      else if (type === 'directAck' && envelope.directAck) onAck(from, envelope.directAck);
      else return false;
      return true;
    },
    neighbourDown(peer) {
      routes.dropVia(peer);
      for (const p of [...pending.values()]) branchFailed(p.record, peer, 'unreachable');
      for (const [, record] of [...records.entries()]) branchFailed(record, peer, 'unreachable');
    },
    learnRoute(origin, via) {
      if (origin !== init.self) routes.suggest(origin, via);
    },
    stats() {
      return { ...counters, pending: pending.size, routes: routes.size };
    },
    stop() {
      for (const p of [...pending.values()]) finish(p, 'unreachable');
    },
  };
}

function isPeerBytes(bytes: Uint8Array | null | undefined): bytes is Uint8Array {
  return bytes instanceof Uint8Array && bytes.length === 32;
}

function isPromise<T = void>(value: unknown): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/** True for the recipient's own answer (kept, or refused), which travels back end to end. */
function isFinal(status: p2p.v1.DirectStatus | null | undefined): boolean {
  return status === Status.DIRECT_STATUS_DELIVERED || finalRefusal(status) !== undefined;
}

function isSealed(d: p2p.v1.IDirect): boolean {
  return d.sealedPayload instanceof Uint8Array && d.sealedPayload.length > 0;
}

/** The acknowledgement status for a rejection of the application's storage: a full inbox, or a failed write. */
function refusalStatus(err: unknown): p2p.v1.DirectStatus {
  return err instanceof InboxFullError || (err as { code?: unknown } | undefined)?.code === 'ERR_INBOX_FULL'
    ? Status.DIRECT_STATUS_INBOX_FULL : Status.DIRECT_STATUS_NOT_STORED;
}

/** The send status of a recipient's refusal, or undefined when the ack status is not one. */
function finalRefusal(status: p2p.v1.DirectStatus | null | undefined): 'inbox-full' | 'not-stored' | undefined {
  if (status === Status.DIRECT_STATUS_INBOX_FULL) return 'inbox-full';
  if (status === Status.DIRECT_STATUS_NOT_STORED) return 'not-stored';
  return undefined;
}
