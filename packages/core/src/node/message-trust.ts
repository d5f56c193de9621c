import type { BadSignatureError } from '../errors.js';
import { createMessageSigner } from '../identity/message-signer.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { PeerSession } from '../session/types.js';
import { createDirectSealer } from '../trust/direct-sealer.js';
import { createMessageAuth, type MessageAuth } from '../trust/message-auth.js';
import type { NodeShell } from './node-shell.js';
import { warn } from './notify.js';

/** What the node's authenticators use. */
type TrustDeps = Pick<NodeShell, 'keys' | 'offences' | 'trustCounters' | 'logger' | 'emitter'>;

/**
 * The node's authenticators: broadcasts, directs and acknowledgements signed with its identity key, checked before
 * anything is delivered, relayed or acted on, and relayed directs sealed to the recipient's key.
 */
export function createNodeAuth(
  shell: TrustDeps, sessions: Map<PeerIdString, PeerSession>, identity: NodeIdentity, penalize: Penalize,
): MessageAuth {
  return createMessageAuth({
    signer: createMessageSigner(identity),
    sealer: createDirectSealer(identity.keyPem),
    keys: shell.keys,
    // Only a session whose transport proved the key (TLS) may carry a Direct in the clear.
    authenticatedSession: (peer) => sessions.get(peer)?.authenticatedPeerId === peer,
    onReject: (from, err) => onMessageRejected(shell, from, err, penalize),
  });
}

/**
 * A neighbour passed on a message whose signature does not prove its author: it is dropped (by the caller), counted,
 * and the neighbour is answerable for it, since an honest node checks before it relays. After repeated offences its
 * session is closed.
 */
export function onMessageRejected(shell: TrustDeps, from: PeerIdString, err: BadSignatureError, penalize: Penalize): void {
  shell.trustCounters.messagesRejected++;
  warn(shell, err.code, `dropped a ${err.message}`, from);
  if (shell.offences.record(from)) {
    shell.offences.forget(from);
    penalize(from, 'passed on messages whose signatures do not prove their authors');
  }
}

/** Boxes a neighbour and closes its session (the node's penalty box, shared with the flood limits). */
export type Penalize = (peer: PeerIdString, detail: string) => void;
