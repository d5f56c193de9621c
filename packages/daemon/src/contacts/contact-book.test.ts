import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@p2p/core';
import { ContactBook } from './contact-book.js';
import { loadContacts, saveContacts } from './contact-store.js';
import { resolveRecipient } from './resolve-recipient.js';

// Canonical peer IDs: the last character carries one bit and four zero bits ('a' or 'q').
const id = (c: string) => c.repeat(51) + 'a';
const [BOB, BOB2, DAVE1, DAVE2] = [id('b'), id('c'), id('d'), id('e')];

describe('contact book (trust on first use)', () => {
  it('binds a name to the first key only, keeps it when another key uses the name, and labels that one apart', () => {
    const book = new ContactBook();
    expect(book.learn(BOB, 'bob', 'a2V5', 1)).toBe(true);
    expect(book.learn(BOB2, 'bob', undefined, 2)).toBe(false);
    expect(book.named('bob')?.peerId).toBe(BOB);
    expect(book.label(BOB, 'bob')).toBe('bob');
    expect(book.label(BOB2, 'bob')).toBe(`bob~${BOB2.slice(0, 4)}`);
    // Refused names are never bound.
    expect(book.learn(DAVE1, 'dave\x1b[2J', undefined, 3)).toBe(false);
  });

  it('pins, renames and forgets', () => {
    const book = new ContactBook();
    book.learn(BOB, 'bob', undefined, 1);
    book.pin(BOB2, 'bob', undefined, 2);
    expect(book.named('bob')?.peerId).toBe(BOB2);
    expect(book.of(BOB)).toBeUndefined();
    book.pin(BOB2, 'bobby', undefined, 3);
    expect(book.named('bob')).toBeUndefined();
    expect(book.forget(BOB2)).toBe(true);
    expect(book.list()).toEqual([]);
  });

  it('resolves a contact name to its key even when another peer online uses the name; refuses ambiguity', () => {
    const book = new ContactBook();
    book.learn(BOB, 'bob', undefined, 1);
    const online = [{ peerId: BOB2, name: 'bob' }, { peerId: DAVE1, name: 'dave' }, { peerId: DAVE2, name: 'dave' }];
    expect(resolveRecipient('bob', book, online)).toBe(BOB);
    expect(resolveRecipient(`bob~${BOB2.slice(0, 4)}`, book, online)).toBe(BOB2);
    expect(resolveRecipient(DAVE1.slice(0, 6), book, online)).toBe(DAVE1);
    expect(resolveRecipient(DAVE2, book, online)).toBe(DAVE2);
    expect(() => resolveRecipient('dave', book, online)).toThrow(expect.objectContaining({ code: 'ERR_AMBIGUOUS_PEER' }));
    expect(() => resolveRecipient('carol', book, online)).toThrow(expect.objectContaining({ code: 'ERR_PEER_NOT_FOUND' }));
  });

  it('persists atomically with mode 0600, and sets an unreadable file aside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'contacts-'));
    try {
      const path = join(dir, 'contacts.json');
      const book = new ContactBook();
      book.learn(BOB, 'bob', 'a2V5', 1);
      await saveContacts(path, book);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await loadContacts(path, silentLogger)).named('bob')).toMatchObject({ peerId: BOB, publicKey: 'a2V5' });
      await writeFile(path, '{"version":1,"contacts":[{"name":');
      expect((await loadContacts(path, silentLogger)).list()).toEqual([]);
      await expect(readFile(path)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
