import { AmbiguousPeerError, BadControlRequestError } from '@p2p/control';
import { isPeerIdString, PeerNotFoundError, sanitizeText } from '@p2p/core';
import type { ContactBook } from './contact-book.js';

/** A peer as the node lists it: who it says it is. */
export interface PeerLike {
  /** Peer ID. */
  peerId: string;
  /** The name it gave in its Hello. */
  name: string;
}

/** Shortest peer ID prefix accepted as a recipient. */
export const MIN_PREFIX = 4;

function ambiguous(target: string, ids: string[], label: (id: string) => string): AmbiguousPeerError {
  const shown = ids.slice(0, 8).map((id) => `${sanitizeText(label(id))} (${id.slice(0, 12)}…)`).join(', ');
  return new AmbiguousPeerError(
    `"${sanitizeText(target)}" could be any of ${ids.length} peers: ${shown}${ids.length > 8 ? ', …' : ''}; use a label or peer ID, `
    + `or bind the name to one of them: p2p-cli contacts pin <label> <name>`);
}

/**
 * The peer ID a user means by `target`, in this order: a contact's name (its pinned key only, online or not), a
 * label name~id, a full peer ID, the name a single known peer gives itself, a unique peer ID prefix. Throws
 * PeerNotFoundError, or AmbiguousPeerError with the candidates.
 */
export function resolveRecipient(target: string, book: ContactBook, peers: PeerLike[]): string {
  const t = target.trim();
  if (!t) throw new BadControlRequestError('no recipient given');
  const contact = book.named(t);
  if (contact) return contact.peerId;
  const everyone = new Map<string, string>(peers.map((p) => [p.peerId, p.name]));
  for (const c of book.list()) everyone.set(c.peerId, book.of(c.peerId)?.name ?? c.name);
  const nameCount = new Map<string, number>();
  for (const p of peers) nameCount.set(p.name, (nameCount.get(p.name) ?? 0) + 1);
  const label = (id: string) => book.label(id, everyone.get(id) ?? '', (nameCount.get(everyone.get(id) ?? '') ?? 0) > 1);
  const unique = (ids: string[]): string => {
    if (ids.length === 1) return ids[0]!;
    if (ids.length === 0) throw notFound(`${sanitizeText(t)}: no known peer by that name or ID (or more than one)`);
    throw ambiguous(t, ids, label);
  };
  const tilde = /^(.*)~([a-z2-7]+)$/i.exec(t);
  if (tilde) {
    const [, name, prefix] = tilde;
    return unique([...everyone.keys()].filter((id) => id.startsWith(prefix!.toLowerCase()) && (everyone.get(id) === name || book.of(id)?.name === name)));
  }
  const lower = t.toLowerCase();
  if (isPeerIdString(lower)) return lower;
  const named = peers.filter((p) => p.name === t).map((p) => p.peerId);
  if (named.length > 0) return unique(named);
  if (lower.length >= MIN_PREFIX && /^[a-z2-7]+$/.test(lower)) return unique([...everyone.keys()].filter((id) => id.startsWith(lower)));
  return unique([]);
}

/** A PeerNotFoundError whose message is exactly `message` (the control client shows it as sent). */
export function notFound(message: string): PeerNotFoundError {
  const err = new PeerNotFoundError('');
  err.message = message;
  return err;
}
