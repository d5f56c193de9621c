import type { BroadcastAuthenticator } from '../broadcast/types.js';
import { v1, type p2p } from '../codec/wire.js';
import type { DirectAuthenticator } from '../direct/types.js';
import { BadSignatureError, SealError } from '../errors.js';
import { verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { peerIdToString } from '../identity/peer-id.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { DirectSealer } from './direct-sealer.js';
import type { KeyRing } from './key-ring.js';
import { broadcastSignedBytes, directAckSignedBytes, directSealAad, directSignedBytes } from './signed-bytes.js';

/** What the authenticators need from the node. */
export interface MessageAuthInit {
  /** Signs as this node. */
  signer: MessageSigner;
  /** Seals to others' keys and opens what was sealed to ours. */
  sealer: DirectSealer;
  /** Keys of other peers: learned from every verified message, read to seal. */
  keys: KeyRing;
  /**
   * True when a Direct to `peer` may go in the clear because the session with it is authenticated (TLS); in
   * insecure mode nothing is, so every Direct to a known key is sealed.
   */
  authenticatedSession(peer: PeerIdString): boolean;
  /** A message failed its check; `from` is the neighbour that passed it on (the node counts and penalises). */
  onReject(from: PeerIdString, error: BadSignatureError): void;
}

/** The authenticators the node injects into its broadcast engine and direct router. */
export interface MessageAuth {
  /** For the broadcast engine. */
  readonly broadcast: BroadcastAuthenticator;
  /** For the direct router. */
  readonly direct: DirectAuthenticator;
}

interface Signed {
  authorKey?: Uint8Array | null;
  signature?: Uint8Array | null;
}

/** Signatures with the node's identity key (see signed-bytes.ts for what is covered) and HPKE sealing of Directs. */
export function createMessageAuth(init: MessageAuthInit): MessageAuth {
  const { signer, sealer, keys } = init;
  const authorship = (bytes: Uint8Array) => ({ authorKey: signer.publicKey, signature: signer.sign(bytes) });

  /** Checks that `m` is signed by the key of `author`; reports and returns false otherwise. */
  const check = (kind: string, from: PeerIdString, author: Uint8Array | null | undefined, m: Signed, bytes: () => Uint8Array): boolean => {
    const problem = !m.authorKey?.length || !m.signature?.length ? 'unsigned'
      : !(author instanceof Uint8Array) || author.length !== 32 ? 'no author'
        : !verifyAuthor(peerIdToString(author), m.authorKey, m.signature, bytes()) ? 'bad signature' : undefined;
    if (problem) {
      init.onReject(from, new BadSignatureError(kind, problem));
      return false;
    }
    keys.add(m.authorKey!);
    return true;
  };

  const broadcast: BroadcastAuthenticator = {
    sign: (b) => authorship(broadcastSignedBytes(b)),
    verify: (from, b) => check('broadcast', from, b.origin, b, () => broadcastSignedBytes(b)),
  };

  const direct: DirectAuthenticator = {
    needsKey: (to, straight) => !straight && !keys.get(to),
    async seal(d, straight) {
      const to = peerIdToString(d.to as Uint8Array);
      // A key probe has nothing to hide: signed only.
      if (!d.chat && !(d.data instanceof Uint8Array)) return { ...d, ...authorship(directSignedBytes(d)) };
      const key = keys.get(to);
      // Straight to the recipient over TLS needs nothing more; over an unauthenticated (insecure) session it is
      // sealed when the key is known, and else goes in the clear, which is what insecure mode gives up.
      if (straight && (init.authenticatedSession(to) || !key)) return { ...d, ...authorship(directSignedBytes(d)) };
      if (!key) throw new SealError(`the key of ${to.slice(0, 8)} is unknown, so the message cannot be sealed for relays`);
      const plain = v1.Direct.encode(d.chat ? { chat: d.chat } : { data: d.data }).finish();
      const { enc, ciphertext } = await sealer.seal(key, plain, directSealAad(d));
      const sealed: p2p.v1.IDirect = {
        messageId: d.messageId, from: d.from, to: d.to, hopCount: d.hopCount, maxHops: d.maxHops, sealedEnc: enc, sealedPayload: ciphertext,
      };
      return { ...sealed, ...authorship(directSignedBytes(sealed)) };
    },
    verify: (from, d) => check('direct', from, d.from, d, () => directSignedBytes(d)),
    async open(d) {
      const plain = await sealer.open(d.sealedEnc ?? new Uint8Array(0), d.sealedPayload!, directSealAad(d));
      let inner: p2p.v1.Direct;
      try {
        inner = v1.Direct.decode(plain);
      } catch (err) {
        throw new SealError('the sealed payload is not a Direct payload', { cause: err });
      }
      return inner.chat ? { chat: inner.chat } : { data: inner.data };
    },
    signAck: (a) => authorship(directAckSignedBytes(a)),
    verifyAck: (from, a) => check('directAck', from, a.from, a, () => directAckSignedBytes(a)),
  };

  return { broadcast, direct };
}
