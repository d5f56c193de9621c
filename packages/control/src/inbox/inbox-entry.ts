import type { InboxEntryMessage } from '../codec/index.js';

/** How a received message arrived. */
export type InboxKind = 'direct' | 'broadcast' | 'clique';

/**
 * One received message: as the daemon stores it in its inbox, sends it on the control socket and as
 * `p2p-cli inbox --json` prints it (the one definition all three use).
 */
export interface InboxEntry {
  /** Message ID in hex. */
  id: string;
  /** Author's name. */
  from: string;
  /** Author's peer ID in text form. */
  fromPeerId: string;
  /** Recipient name, or "*" for a broadcast. */
  to: string;
  /** How it arrived. */
  kind: InboxKind;
  /** The text. */
  text: string;
  /** ISO 8601 time of arrival. */
  receivedAt: string;
}

/** Every kind, for checking values read from disk or the socket. */
export const INBOX_KINDS: readonly InboxKind[] = ['direct', 'broadcast', 'clique'];

/** The entry with exactly its own fields, in their documented order (what is stored and printed). */
export function inboxEntry(e: InboxEntry): InboxEntry {
  return { id: e.id, from: e.from, fromPeerId: e.fromPeerId, to: e.to, kind: e.kind, text: e.text, receivedAt: e.receivedAt };
}

/** Reads an entry off the socket, every field present (absent strings are empty). */
export function inboxEntryFromWire(m: InboxEntryMessage): InboxEntry {
  return {
    id: m.id ?? '', from: m.from ?? '', fromPeerId: m.fromPeerId ?? '', to: m.to ?? '', kind: (m.kind ?? '') as InboxKind,
    text: m.text ?? '', receivedAt: m.receivedAt ?? '',
  };
}
