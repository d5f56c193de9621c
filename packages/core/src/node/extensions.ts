import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import type { MessageSigner } from '../identity/message-signer.js';
import type { HostPort, PeerIdString } from './types.js';

/** Handles envelopes the node itself does not know (file sharing, clique); returns true when it took one. */
export type EnvelopeHandler = (from: PeerIdString, envelope: DecodedEnvelope) => boolean;

/** Handles a LAN datagram other than an announcement; `from` is its (unproven) source address. True when taken. */
export type LanEnvelopeHandler = (envelope: DecodedEnvelope, from: HostPort) => boolean;

/** How an envelope is queued on its session. */
export interface SendOptions {
  /** Bulk data (file blocks): queued behind every other frame of the session, so it never delays chat or pings. */
  bulk?: boolean;
}

/** Lower-level access beyond P2PNode, for the daemon's file sharing and clique layers, the CLI and tests. */
export interface NodeExtensions {
  /** Sends an envelope to a connected peer; false when there is no session or its queue is full. */
  sendEnvelope(peerId: PeerIdString, envelope: Envelope, options?: SendOptions): boolean;
  /**
   * Sends bulk data already framed (length prefix included, e.g. by allocBlockDataFrame) behind every other frame
   * of the peer's session, with no copy; false when there is no session, the frame is too large or the queue is full.
   * `written` is called once the socket is done with the bytes, so the buffer may be reused (never if dropped).
   */
  sendBulkFrame(peerId: PeerIdString, frame: Uint8Array, written?: () => void): boolean;
  /** Bytes waiting in the send queues of the session with a peer (0 without one), for senders that pace themselves. */
  pendingBytes(peerId: PeerIdString): number;
  /** Sends an envelope as one datagram to the whole LAN; false without LAN discovery or when it does not fit. */
  sendLan(envelope: Envelope): boolean;
  /** Sends an envelope as one datagram to one address of the LAN subnet; false without LAN discovery or too large. */
  sendLanTo(envelope: Envelope, to: HostPort): boolean;
  /** Registers a handler for LAN datagrams other than announcements; returns the unregister function. */
  onLanEnvelope(handler: LanEnvelopeHandler): () => void;
  /** Registers a handler for envelopes the node does not handle itself; returns the unregister function. */
  onEnvelope(handler: EnvelopeHandler): () => void;
  /**
   * Opens a session to an address now; with `peerId`, the peer there must prove that key. Resolves with the peer
   * ID of the session (an existing one is reused); rejects with DialError, IdentityMismatchError or SessionClosedError.
   */
  connect(address: HostPort, peerId?: PeerIdString): Promise<PeerIdString>;
  /** Signs as this node, for messages that travel beyond one session (throws NodeNotStartedError before start). */
  readonly signer: MessageSigner;
  /**
   * Remembers a peer's public key (SubjectPublicKeyInfo DER) so that directs to it can be sealed while it is not a
   * neighbour (a contact book passes its keys at start). Keys are self-certifying: returns the peer ID the key
   * hashes to, or undefined for an unusable key.
   */
  learnKey(spki: Uint8Array): PeerIdString | undefined;
  /** The public key known for a peer (from a session, a signed message or learnKey), if any. */
  peerKey(peerId: PeerIdString): Uint8Array | undefined;
  /** Closes the session with a peer (Goodbye) and keeps the mesh from re-dialling it for 30 s; false if none. */
  disconnect(peerId: PeerIdString): boolean;
}
