import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import { messageType } from '../codec/envelope-codec.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { BroadcastResult } from './types.js';
import type { PeerIdString } from '../identity/peer-id.js';
import { systemClock } from '../util/clock.js';
import { createLazyQueue } from './lazy-queue.js';
import { createMessageCache, type CachedBroadcast } from './message-cache.js';
import { createMissingTracker } from './missing-tracker.js';
import { RateLimitedError } from '../errors.js';
import { fromWirePayload, isMessageId, newMessageId, oversizedText, toHex, toInboundMessage, toWirePayload, type AppPayload } from '../message/payload.js';
import { createSeenCache } from '../util/seen-cache.js';
import type { BroadcastEngine, BroadcastEngineInit, BroadcastStats } from './types.js';

/** Hop limit a peer may ask for at most: a larger max_hops on the wire is lowered to this. */
export const MAX_HOPS_CEILING = 255;
/** Most IDs read from one IHave and most messages resent for one Graft: what one envelope can make us do. */
const MAX_IDS_PER_IHAVE = 1024;
const MAX_IDS_PER_GRAFT = 256;
/** Most IDs in one IHave we send. */
const IHAVE_BATCH = 256;
/**
 * The first graft wait is drawn between 1x and 2x graftTimeoutMs. Without the spread, every node of a subtree cut off
 * by a failure grafts at the same moment, each new link closes a cycle, and under a steady message rate the prunes
 * that follow keep cutting the tree again (measured in test/simulation.test.ts).
 */
const GRAFT_JITTER = 1;
/** Most announcers remembered per missing message. */
const MAX_ANNOUNCERS = 16;

const DEFAULTS = {
  maxHops: 32,
  seenCacheSize: 10_000,
  seenTtlMs: 120_000,
  lazyFlushMs: 50,
  graftTimeoutMs: 250,
  messageCacheSize: 1000,
};

/**
 * Creates a broadcast engine: Plumtree (Leitao, Pereira, Rodrigues, SRDS 2007) or, with mode 'flood', naive flooding.
 * Plumtree: every neighbour starts eager; the first copy of a message is pushed along eager links and announced
 * (IHave) on lazy ones; a duplicate prunes the link it came over; an announced message that does not arrive in time
 * is grafted from its announcer, which repairs the tree after failures.
 */
export function createBroadcastEngine(init: BroadcastEngineInit): BroadcastEngine {
  const mode = init.mode ?? 'plumtree';
  const plumtree = mode === 'plumtree';
  const clock = init.clock ?? systemClock;
  const opts = { ...DEFAULTS, ...stripUndefined(init.options ?? {}) };
  const maxHops = Math.max(1, Math.min(MAX_HOPS_CEILING, Math.floor(opts.maxHops)));
  const selfBytes = peerIdFromString(init.self);
  const log = init.logger;

  const eager = new Set<PeerIdString>();
  const lazy = new Set<PeerIdString>();
  const seen = createSeenCache({ capacity: opts.seenCacheSize, ttlMs: opts.seenTtlMs, clock });
  const messages = createMessageCache({ capacity: opts.messageCacheSize, ttlMs: opts.seenTtlMs, clock });
  const counters = { delivered: 0, duplicates: 0, sentPayloads: 0, sentIHave: 0, sentGraft: 0, sentPrune: 0, invalid: 0, rateLimited: 0, tooLarge: 0, rejected: 0 };
  let stopped = false;

  const send = (peer: PeerIdString, envelope: Envelope, lane?: string): boolean => {
    try {
      return init.send(peer, envelope, lane);
    } catch (err) {
      // A session closing under us is a lost copy, which the protocol repairs; it must not stop the fan-out.
      log?.debug({ peer, err }, 'broadcast: send failed');
      return false;
    }
  };
  const isNeighbour = (peer: PeerIdString): boolean => eager.has(peer) || lazy.has(peer);
  const makeEager = (peer: PeerIdString): void => {
    lazy.delete(peer);
    eager.add(peer);
  };
  const makeLazy = (peer: PeerIdString): void => {
    eager.delete(peer);
    lazy.add(peer);
  };

  const lazyQueue = createLazyQueue({
    flushMs: opts.lazyFlushMs,
    maxBatch: IHAVE_BATCH,
    clock,
    send(peer, ids, hops) {
      if (send(peer, { ihave: { messageIds: ids, hopCount: hops } })) counters.sentIHave++;
    },
  });

  const missing = createMissingTracker({
    graftTimeoutMs: opts.graftTimeoutMs,
    retryMs: Math.max(1, Math.floor(opts.graftTimeoutMs / 2)),
    maxEntries: Math.max(64, opts.messageCacheSize),
    maxAnnouncers: MAX_ANNOUNCERS,
    clock,
    jitter: GRAFT_JITTER,
    ...(init.random ? { random: init.random } : {}),
    graft(peer, id) {
      if (stopped || !isNeighbour(peer)) return;
      makeEager(peer);
      if (send(peer, { graft: { messageIds: [id] } })) counters.sentGraft++;
      log?.debug({ peer, messageId: toHex(id) }, 'broadcast: graft');
    },
  });

  /** Pushes a message on (eagerly, and lazily in plumtree mode) unless its hop limit is reached; returns eager pushes. */
  const spread = (message: CachedBroadcast, except: PeerIdString | undefined): number => {
    if ((message.hopCount ?? 0) >= Math.min(message.maxHops ?? 0, MAX_HOPS_CEILING)) return 0;
    let pushed = 0;
    const lane = except ?? 'self';
    for (const peer of eager) {
      if (peer === except) continue;
      if (send(peer, { broadcast: message }, lane)) {
        counters.sentPayloads++;
        pushed++;
      }
    }
    if (plumtree) {
      for (const peer of lazy) if (peer !== except) lazyQueue.add(peer, message.messageId as Uint8Array, message.hopCount ?? 0);
    }
    return pushed;
  };

  const onBroadcast = (from: PeerIdString, b: p2p.v1.IBroadcast): void => {
    const origin = b.origin;
    const payload = fromWirePayload(b);
    if (!isMessageId(b.messageId) || !(origin instanceof Uint8Array) || origin.length !== 32 || !payload) {
      counters.invalid++;
      log?.debug({ peer: from }, 'broadcast: malformed Broadcast dropped');
      return;
    }
    const key = toHex(b.messageId);
    if (seen.has(key)) {
      counters.duplicates++;
      if (plumtree && isNeighbour(from)) {
        // This link duplicates a better one: trim it from the tree, on both sides.
        makeLazy(from);
        if (send(from, { prune: { messageId: b.messageId } })) counters.sentPrune++;
      }
      return;
    }
    const author = peerIdToString(origin);
    if (oversizedText(payload.text) !== undefined) {
      // Never delivered, stored or relayed; not remembered either, so it cannot push honest IDs out of the cache.
      counters.tooLarge++;
      return;
    }
    if (init.floodGuard && author !== init.self) {
      const verdict = init.floodGuard.admit(author, from);
      if (!verdict.ok) {
        // Dropped where first seen: not relayed, not stored, and not marked seen (a copy that comes later, by
        // another link, is judged again and does not count as a duplicate that would prune that link).
        counters.rateLimited++;
        if (verdict.abusive) init.onAbuse?.(from, `broadcasts past the ${verdict.reason} (${author === from ? 'as origin' : 'as relay'})`);
        return;
      }
    }
    // After the rate limits (which cost nothing, while a check costs a signature verification); a forger is boxed
    // after a few, so it can spend little of its claimed origin's budget. Not marked seen: the genuine message
    // with the same ID still gets through.
    if (init.auth && !init.auth.verify(from, b)) {
      counters.rejected++;
      log?.debug({ peer: from, messageId: key }, 'broadcast: signature does not prove the origin, dropped');
      return;
    }
    seen.set(key, true);
    missing.received(key);
    const hops = (b.hopCount ?? 0) + 1;
    // max_hops travels unchanged (it is signed); the ceiling applies when deciding whether to forward.
    const forward: CachedBroadcast = {
      messageId: b.messageId,
      origin,
      hopCount: hops,
      maxHops: b.maxHops ?? 0,
      ...(b.chat ? { chat: b.chat } : { data: b.data }),
      ...(b.authorKey?.length ? { authorKey: b.authorKey, signature: b.signature } : {}),
    };
    messages.put(key, forward);
    // Our own message from before a restart (our seen-cache forgot it): pass it on, but never deliver it to ourselves.
    if (author !== init.self) deliver(key, author, payload, hops);
    if (init.onFirstCopy && author !== init.self) init.onFirstCopy(author, from);
    // The link that brought the first copy is a tree link.
    if (plumtree && isNeighbour(from)) makeEager(from);
    spread(forward, from);
  };

  const deliver = (key: string, author: PeerIdString, payload: AppPayload, hops: number): void => {
    counters.delivered++;
    try {
      init.deliver(toInboundMessage('broadcast', key, author, payload, clock.now(), hops));
    } catch (err) {
      log?.warn({ err, messageId: key }, 'broadcast: application handler threw');
    }
  };

  const onIHave = (from: PeerIdString, ihave: p2p.v1.IIHave): void => {
    if (!plumtree || !isNeighbour(from)) return;
    const ids = ihave.messageIds ?? [];
    for (let i = 0; i < ids.length && i < MAX_IDS_PER_IHAVE; i++) {
      const id = ids[i];
      if (!isMessageId(id)) {
        counters.invalid++;
        continue;
      }
      const key = toHex(id);
      if (!seen.has(key)) missing.announce(key, id, from);
    }
  };

  const onGraft = (from: PeerIdString, graft: p2p.v1.IGraft): void => {
    if (!isNeighbour(from)) return;
    if (plumtree) makeEager(from);
    const ids = graft.messageIds ?? [];
    for (let i = 0; i < ids.length && i < MAX_IDS_PER_GRAFT; i++) {
      const id = ids[i];
      if (!isMessageId(id)) continue;
      const message = messages.get(toHex(id));
      if (message && send(from, { broadcast: message }, 'graft')) counters.sentPayloads++;
    }
  };

  const onPrune = (from: PeerIdString): void => {
    if (plumtree && isNeighbour(from)) makeLazy(from);
  };

  return {
    neighbourUp(peer) {
      if (stopped || peer === init.self) return;
      makeEager(peer);
    },
    neighbourDown(peer) {
      init.floodGuard?.forget(peer);
      eager.delete(peer);
      lazy.delete(peer);
      lazyQueue.drop(peer);
      missing.peerDown(peer);
    },
    handle(from, envelope: DecodedEnvelope) {
      const type = envelope.body ?? messageType(envelope);
      if (type !== 'broadcast' && type !== 'ihave' && type !== 'graft' && type !== 'prune') return false;
      if (stopped) return true;
      if (type === 'broadcast' && envelope.broadcast) onBroadcast(from, envelope.broadcast);
      else if (type === 'ihave' && envelope.ihave) onIHave(from, envelope.ihave);
      else if (type === 'graft' && envelope.graft) onGraft(from, envelope.graft);
      else if (type === 'prune') onPrune(from);
      return true;
    },
    broadcast(payload): BroadcastResult {
      const wire = toWirePayload(payload, init.selfName, clock.now());
      // Over our own budget our neighbours would drop it (and hold it against us): refuse it here instead.
      if (init.floodGuard && !init.floodGuard.admitOwn(init.self)) throw new RateLimitedError('refused: rate limited (this node is over its broadcast rate)');
      const id = newMessageId();
      const key = toHex(id);
      const unsigned: CachedBroadcast = { messageId: id, origin: selfBytes, hopCount: 0, maxHops, ...wire };
      const message: CachedBroadcast = init.auth ? { ...unsigned, ...init.auth.sign(unsigned) } : unsigned;
      seen.set(key, true);
      messages.put(key, message);
      return { messageId: key, sentTo: stopped ? 0 : spread(message, undefined) };
    },
    stats(): BroadcastStats {
      return { ...counters, eagerPeers: eager.size, lazyPeers: lazy.size, missing: missing.size };
    },
    stop() {
      stopped = true;
      lazyQueue.stop();
      missing.stop();
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
