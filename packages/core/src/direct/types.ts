import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from '../message/inbound-message.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** The payload of a Direct once opened: a chat line or opaque data. */
export interface DirectPayload {
  chat?: p2p.v1.IChat | null;
  data?: Uint8Array | null;
}

/**
 * Proves and checks who wrote a Direct or a DirectAck, and keeps relayed Directs private. The node injects one built
 * on its identity (signatures, HPKE); the router stays free of crypto, and tests pass a fake.
 */
export interface DirectAuthenticator {
  /**
   * Signs a Direct this node writes and, unless `straight` (it goes over an authenticated session to the recipient
   * itself), seals its payload to the recipient's key. Rejects (or throws) when that is impossible, e.g. the
   * recipient's key is unknown; the send then fails as 'unreachable'.
   */
  seal(direct: p2p.v1.IDirect, straight: boolean): p2p.v1.IDirect | Promise<p2p.v1.IDirect>;
  /**
   * True when a Direct to `to` cannot be sealed yet because its key is unknown (and it does not go `straight` over a
   * session): the router then sends an empty probe first, whose signed acknowledgement brings the key.
   */
  needsKey(to: PeerIdString, straight: boolean): boolean;
  /** True when the Direct's signature proves its author; called once per message ID, before delivering or relaying. */
  verify(from: PeerIdString, direct: p2p.v1.IDirect): boolean;
  /** The payload of a sealed Direct addressed to this node; rejects when it cannot be opened. */
  open(direct: p2p.v1.IDirect): Promise<DirectPayload>;
  /** The authorship fields of a final acknowledgement (delivered, or refused by the recipient) this node writes. */
  signAck(ack: p2p.v1.IDirectAck): { authorKey: Uint8Array; signature: Uint8Array };
  /**
   * True when a final acknowledgement's signature proves its writer; called before it is acted on or relayed.
   * Failures (unreachable, too many hops) go one hop only and are checked against the session instead.
   */
  verifyAck(from: PeerIdString, ack: p2p.v1.IDirectAck): boolean;
}

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
  /**
   * Signs, checks and seals; without it Directs travel unsigned and in the clear (simulations). With it, only sealed
   * Directs are relayed, and a DELIVERED acknowledgement counts only when written by the recipient.
   */
  auth?: DirectAuthenticator;
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
    /** Directs and acknowledgements dropped because their signature does not prove their author. */
    rejected?: number;
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
  /** Why it was not delivered, when the node knows (e.g. the recipient's key could not be learned to seal it). */
  detail?: string;
}
