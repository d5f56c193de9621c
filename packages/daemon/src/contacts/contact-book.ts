import { isPeerIdString, nameProblem } from '@p2p/core';

/** One name bound to one key. */
export interface Contact {
  /** The name this node calls the peer (unique in the book). */
  name: string;
  /** Peer ID: the SHA-256 of the key the name is bound to. */
  peerId: string;
  /** The key itself (SubjectPublicKeyInfo DER, base64), once known: lets directs be sealed while the peer is away. */
  publicKey?: string;
  /** When the name was bound, ms since the epoch. */
  addedAtMs: number;
  /** When the peer was last seen, ms since the epoch (0: never). */
  lastSeenMs: number;
  /** True when the user bound it (pin, rename); false when learned on first use. */
  pinned: boolean;
}

/** Most contacts a book holds: learning on first use stops there (pinning still works by replacing nothing). */
export const MAX_CONTACTS = 10_000;
/** Characters of the peer ID shown after a name that another key already uses: bob~7k2q. */
export const LABEL_ID_CHARS = 4;

/**
 * Names bound to keys, trust on first use (as SSH's known_hosts): the first key this node exchanged messages with
 * under a name owns that name here; any other key using it is shown as name~id and never reached by the name.
 * Pure and in memory: the store persists it.
 */
export class ContactBook {
  private readonly byName = new Map<string, Contact>();
  private readonly byPeerId = new Map<string, Contact>();

  constructor(contacts: Contact[] = []) {
    for (const c of contacts) this.put(c);
  }

  /** Every contact, by name. */
  list(): Contact[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The contact called `name`. */
  named(name: string): Contact | undefined {
    return this.byName.get(name);
  }

  /** The contact of a peer. */
  of(peerId: string): Contact | undefined {
    return this.byPeerId.get(peerId);
  }

  /**
   * Messages were exchanged with `peerId`, which calls itself `name`: binds the name to that key if neither is bound
   * yet (trust on first use). Returns true when the book changed.
   */
  learn(peerId: string, name: string, publicKey: string | undefined, nowMs: number): boolean {
    const mine = this.byPeerId.get(peerId);
    if (mine) {
      const changed = (publicKey !== undefined && mine.publicKey === undefined) || nowMs - mine.lastSeenMs > 60_000;
      if (publicKey !== undefined) mine.publicKey ??= publicKey;
      mine.lastSeenMs = nowMs;
      return changed;
    }
    if (!name || nameProblem(name) || this.byName.has(name) || this.byName.size >= MAX_CONTACTS || !isPeerIdString(peerId)) return false;
    this.put({ name, peerId, ...(publicKey !== undefined ? { publicKey } : {}), addedAtMs: nowMs, lastSeenMs: nowMs, pinned: false });
    return true;
  }

  /** The user binds `name` to `peerId`: any other key loses the name, and the peer loses any other name. */
  pin(peerId: string, name: string, publicKey: string | undefined, nowMs: number): Contact {
    const old = this.byPeerId.get(peerId);
    const taken = this.byName.get(name);
    if (taken) this.remove(taken);
    if (old) this.remove(old);
    const contact: Contact = {
      name, peerId, ...(publicKey ?? old?.publicKey ? { publicKey: publicKey ?? old?.publicKey } : {}),
      addedAtMs: nowMs, lastSeenMs: old?.lastSeenMs ?? 0, pinned: true,
    };
    this.put(contact);
    return contact;
  }

  /** Removes a contact: its name is free again for the next key that uses it. */
  forget(peerId: string): boolean {
    const c = this.byPeerId.get(peerId);
    if (!c) return false;
    this.remove(c);
    return true;
  }

  /**
   * How a peer that calls itself `name` is shown: its contact name; or name~id when the name belongs to another
   * key here or `ambiguous` says several peers use it; or the name alone.
   */
  label(peerId: string, name: string, ambiguous = false): string {
    const mine = this.byPeerId.get(peerId);
    if (mine) return mine.name;
    const owner = this.byName.get(name);
    if ((owner && owner.peerId !== peerId) || ambiguous || !name) return `${name}~${peerId.slice(0, LABEL_ID_CHARS)}`;
    return name;
  }

  private put(c: Contact): void {
    this.byName.set(c.name, c);
    this.byPeerId.set(c.peerId, c);
  }

  private remove(c: Contact): void {
    this.byName.delete(c.name);
    this.byPeerId.delete(c.peerId);
  }
}
