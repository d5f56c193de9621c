import type { DecodedEnvelope, Envelope } from '../codec/wire.js';
import type { MessageSigner } from '../identity/message-signer.js';
import type { HostPort, PeerIdString } from './types.js';

/** Handles envelopes the node itself does not know (file sharing, clique); returns true when it took one. */
export type EnvelopeHandler = (from: PeerIdString, envelope: DecodedEnvelope) => boolean;

/** Lower-level access beyond P2PNode, for the daemon's file sharing and clique layers, the CLI and tests. */
export interface NodeExtensions {
  /** Sends an envelope to a connected peer; false when there is no session or its queue is full. */
  sendEnvelope(peerId: PeerIdString, envelope: Envelope): boolean;
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
