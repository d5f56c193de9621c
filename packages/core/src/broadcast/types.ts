import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { FloodGuard } from './flood-guard.js';

/** How broadcasts spread: Plumtree (epidemic broadcast tree) or naive flooding (the baseline it is measured against). */
export type BroadcastMode = 'plumtree' | 'flood';

/**
 * Proves and checks who wrote a broadcast. The node injects one built on its identity; the engine stays free of
 * crypto, and tests pass a fake.
 */
export interface BroadcastAuthenticator {
  /** The authorship fields (author_key, signature) of a broadcast this node starts. */
  sign(message: p2p.v1.IBroadcast): { authorKey: Uint8Array; signature: Uint8Array };
  /**
   * True when the broadcast's signature proves its origin. Called once for the first copy of each message ID,
   * before it is delivered, relayed or marked seen; `from` is the neighbour that passed it on.
   */
  verify(from: PeerIdString, message: p2p.v1.IBroadcast): boolean;
}

/** What a broadcast engine needs from the node that hosts it. */
export interface BroadcastEngineInit {
  /** This node's peer ID, text form. */
  self: PeerIdString;
  /** This node's name, written into Chat.from_name. */
  selfName: string;
  /**
   * Sends an envelope to a neighbour over its session; false when it could not be queued (no session, queue full).
   * `lane` names whose traffic it is (the neighbour a relayed message came from, or 'self'), so that the session's
   * send queue serves lanes in turn and one neighbour's flood never delays the rest.
   */
  send(peer: PeerIdString, envelope: Envelope, lane?: string): boolean;
  /** Admission of new broadcasts (per-origin and per-neighbour rate limits); none: everything is admitted. */
  floodGuard?: FloodGuard;
  /** A neighbour kept pushing broadcasts past its limits: the host ends its session and boxes it for a while. */
  onAbuse?(peer: PeerIdString, detail: string): void;
  /** Hands a message to the application, exactly once per message ID. */
  deliver(message: InboundMessage): void;
  /**
   * Called with the origin of every broadcast received for the first time and the neighbour it came through: a
   * route hint for direct messages (wire it to DirectRouter.learnRoute).
   */
  onFirstCopy?(origin: PeerIdString, via: PeerIdString): void;
  /** Signs and checks authorship; without it broadcasts travel unsigned and unchecked (simulations). */
  auth?: BroadcastAuthenticator;
  /** Spreading strategy; default 'plumtree'. */
  mode?: BroadcastMode;
  /** Logger; silent by default. */
  logger?: Logger;
  /** Time source and timers; the process clock by default (simulations pass a virtual one). */
  clock?: Clock;
  /** Random source in [0, 1) for timer jitter; Math.random by default (simulations pass a seeded one). */
  random?: () => number;
  /** Tunables; all have defaults suited to a LAN. */
  options?: {
    /** Hop limit of new broadcasts; default 32. */
    maxHops?: number;
    /** Seen-cache capacity in message IDs; default 10000 (oldest evicted first). */
    seenCacheSize?: number;
    /** Seen-cache entry lifetime; default 120000 ms. */
    seenTtlMs?: number;
    /** How long lazily announced IDs are batched before an IHave is sent; default 50 ms. */
    lazyFlushMs?: number;
    /** How long to wait for an announced message before grafting; default 250 ms. */
    graftTimeoutMs?: number;
    /** Messages kept to answer grafts; default 1000. */
    messageCacheSize?: number;
  };
}

/** Counters of a broadcast engine. */
export interface BroadcastStats {
  /** Messages delivered to the application (each once). */
  delivered: number;
  /** Copies received of messages already seen. */
  duplicates: number;
  /** Broadcast envelopes sent (eager pushes and graft answers). */
  sentPayloads: number;
  /** IHave envelopes sent. */
  sentIHave: number;
  /** Grafts sent. */
  sentGraft: number;
  /** Prunes sent. */
  sentPrune: number;
  /** Neighbours in the eager set / lazy set now. */
  eagerPeers: number;
  lazyPeers: number;
  /** Envelopes dropped as malformed (bad message ID or origin, no payload). */
  invalid?: number;
  /** First copies dropped because their signature does not prove their origin. */
  rejected?: number;
  /** Messages announced by IHave and still awaited (pending grafts). */
  missing?: number;
  /** New broadcasts dropped where first seen, over an origin's or a neighbour's rate limit (never relayed or stored). */
  rateLimited?: number;
  /** Broadcasts dropped because their chat text is over the size limit. */
  tooLarge?: number;
}

/** A broadcast engine: one per node, fed by the node's sessions. */
export interface BroadcastEngine {
  /** A session with `peer` came up: it joins the eager set. */
  neighbourUp(peer: PeerIdString): void;
  /** The session with `peer` ended: forget its links and its pending grafts. */
  neighbourDown(peer: PeerIdString): void;
  /** Handles broadcast / ihave / graft / prune envelopes; returns false for any other message type. */
  handle(from: PeerIdString, envelope: DecodedEnvelope): boolean;
  /**
   * Starts a broadcast from this node; the origin does not deliver its own message to itself. Throws
   * MessageTooLargeError for a text over the limit and RateLimitedError past this node's own broadcast rate.
   */
  broadcast(payload: { text?: string; data?: Uint8Array }): BroadcastResult;
  /** Counters. */
  stats(): BroadcastStats;
  /** Clears timers. */
  stop(): void;
}

/** Outcome of starting a broadcast. */
export interface BroadcastResult {
  /** Message ID in hex. */
  messageId: string;
  /** Neighbours it was pushed to eagerly. */
  sentTo: number;
}
