import { v1 } from '../codec/wire.js';
import type { BadSignatureError } from '../errors.js';
import { createMessageSigner } from '../identity/message-signer.js';
import type { NodeIdentity } from '../identity/node-identity.js';
import { createDirectSealer } from '../trust/direct-sealer.js';
import { createMessageAuth, type MessageAuth } from '../trust/message-auth.js';
import type { NodeContext } from './node-context.js';
import { warn } from './notify.js';
import type { PeerIdString } from './types.js';

const GoodbyeReason = v1.GoodbyeReason;

/**
 * The node's authenticators: broadcasts, directs and acknowledgements signed with its identity key, checked before
 * anything is delivered, relayed or acted on, and relayed directs sealed to the recipient's key.
 */
export function createNodeAuth(ctx: NodeContext, identity: NodeIdentity): MessageAuth {
  return createMessageAuth({
    signer: createMessageSigner(identity),
    sealer: createDirectSealer(identity.keyPem),
    keys: ctx.keys,
    // Only a session whose transport proved the key (TLS) may carry a Direct in the clear.
    authenticatedSession: (peer) => ctx.sessions.get(peer)?.authenticatedPeerId === peer,
    onReject: (from, err) => onMessageRejected(ctx, from, err),
  });
}

/**
 * A neighbour passed on a message whose signature does not prove its author: it is dropped (by the caller), counted,
 * and the neighbour is answerable for it, since an honest node checks before it relays. After repeated offences its
 * session is closed.
 */
export function onMessageRejected(ctx: NodeContext, from: PeerIdString, err: BadSignatureError): void {
  ctx.messagesRejected++;
  warn(ctx, err.code, `dropped a ${err.message}`, from);
  if (ctx.offences.record(from)) {
    ctx.sessions.get(from)?.close(GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, 'passed on messages whose signatures do not prove their authors');
  }
}
