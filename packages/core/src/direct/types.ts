import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** What a direct-message router needs from the node that hosts it. */
export interface DirectRouterInit {
  /** This node's peer ID, text form. */
  self: PeerIdString;
  /** This node's name, written into Chat.from_name. */
  selfName: string;
  /**
   * Sends an envelope to a neighbour over its session; false when it could not be queued. `lane` names whose
   * traffic it is (the neighbour a relayed message came from), so one neighbour's flood waits behind itself.
   */
  send(peer: PeerIdString, envelope: Envelope, lane?: string): boolean;
  /** Peers with a live session right now. */
  neighbours(): PeerIdString[];
  /**
   * Hands a message addressed to this node to the application, exactly once per message ID. When it returns a
   * promise, the DELIVERED acknowledgement waits for it (a rejection answers UNREACHABLE), so that "delivered"
   * can mean "stored".
   */
  deliver(message: InboundMessage): void | Promise<void>;
  /** Logger; silent by default. */
  logger?: Logger;
  /** Time source and timers; the process clock by default (simulations pass a virtual one). */
  clock?: Clock;
  /** Tunables, all with defaults. */
  options?: {
    /** Hop limit of new messages; default 16. */
    maxHops?: number;
    /** Default acknowledgement timeout; default 5000 ms. */
    timeoutMs?: number;
    /** Capacity of the seen-cache and route table; default 10000. */
    cacheSize?: number;
    /** Maximum sends awaiting acknowledgement; default 1024 (more are refused with status 'unreachable'). */
    maxPending?: number;
  };
}

/** Routes Direct messages and their acknowledgements: straight over a session when there is one, else through the mesh. */
export interface DirectRouter {
  /**
   * Sends to `to` and resolves when the acknowledgement (or a failure, or the timeout) comes back; rejects with
   * MessageTooLargeError, without sending anything, for a chat text over MAX_CHAT_TEXT_BYTES.
   */
  send(to: PeerIdString, payload: { text?: string; data?: Uint8Array }, options?: { timeoutMs?: number }): Promise<SendResult>;
  /** Handles direct / directAck envelopes; returns false for any other message type. */
  handle(from: PeerIdString, envelope: DecodedEnvelope): boolean;
  /** The session with `peer` ended: routes through it are forgotten. */
  neighbourDown(peer: PeerIdString): void;
  /**
   * A message authored by `origin` arrived through neighbour `via` (a Broadcast, say): a hint for reaching `origin`,
   * used only while no route confirmed by a Direct or DirectAck is known.
   */
  learnRoute?(origin: PeerIdString, via: PeerIdString): void;
  /** Counters. */
  stats(): {
    delivered: number;
    forwarded: number;
    acked: number;
    pending: number;
    duplicates: number;
    /** Envelopes dropped as malformed. */
    invalid?: number;
    /** Directs refused because their chat text is over the size limit. */
    tooLarge?: number;
    /** Routes known. */
    routes?: number;
  };
  /** Fails every pending send as 'unreachable' and clears timers. */
  stop(): void;
}

/** Outcome of a direct send. */
export interface SendResult {
  /**
   * delivered: acknowledged by the recipient (stored, when it persists); unreachable: no route; timeout: no answer
   * in time; inbox-full: the recipient refused it for lack of room (a quota); not-stored: the recipient could not
   * write it (disk full or failing).
   */
  status: 'delivered' | 'unreachable' | 'timeout' | 'too-many-hops' | 'inbox-full' | 'not-stored';
  /** The recipient's peer ID, once resolved. */
  peerId?: PeerIdString;
  /** Milliseconds from send to answer. */
  elapsedMs: number;
}
