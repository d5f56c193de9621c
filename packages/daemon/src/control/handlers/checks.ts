import { BadControlRequestError } from '@p2p/control';
import type { Contacts } from '../../contacts/index.js';
import type { ControlDeps, DaemonNode } from '../handler-types.js';
import { MAX_CHAT_TEXT_BYTES, MessageTooLargeError, NodeNotStartedError, PeerNotFoundError, type FileService } from '@p2p/core';

/** Largest chat line accepted from a client, in UTF-8 bytes: the protocol's own limit. */
export const MAX_TEXT_BYTES = MAX_CHAT_TEXT_BYTES;

/** A chat line from a request: present, and at most MAX_TEXT_BYTES. */
export function checkText(text: string | null | undefined): string {
  if (!text) throw new BadControlRequestError('the message is empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  // The node's own error ("refused: too large"), reported to the client under the control code TOO_LARGE.
  if (bytes > MAX_TEXT_BYTES) throw new MessageTooLargeError(bytes, MAX_TEXT_BYTES);
  return text;
}

/**
 * The peer a request names, resolved once: the handler then acts on exactly this peer ID, so the peer
 * reported and the peer acted on are the same even if the table changes meanwhile.
 */
export function resolvePeer(node: DaemonNode, to: string | null | undefined, contacts?: Contacts): string {
  if (!to) throw new BadControlRequestError('no recipient given');
  // A contact's name reaches its pinned key only, online or not (see resolveRecipient).
  if (contacts) return contacts.resolve(to);
  const peerId = node.resolve(to);
  if (!peerId) throw new PeerNotFoundError(to, 'no known peer by that name or ID (or more than one)');
  return peerId;
}

/** The daemon's file service; NodeNotStartedError where the daemon runs without one. */
export function fileService(deps: ControlDeps): FileService {
  if (!deps.files) throw new NodeNotStartedError();
  return deps.files;
}
