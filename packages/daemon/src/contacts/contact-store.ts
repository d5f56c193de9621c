import { open, readFile, rename } from 'node:fs/promises';
import type { Logger } from '@p2p/core';
import { ContactBook, MAX_CONTACTS, type Contact } from './contact-book.js';

/** File name of the contact book inside the data directory. */
export const CONTACTS_FILE_NAME = 'contacts.json';

/** Largest contacts file read, in bytes: a bound on what a corrupted or planted file can make us parse. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Loads the book; a missing file is an empty book, an unreadable one is set aside (logged) rather than fatal. */
export async function loadContacts(path: string, logger: Logger): Promise<ContactBook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ContactBook();
    throw err;
  }
  try {
    if (text.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
    const parsed = JSON.parse(text) as { version?: number; contacts?: unknown[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.contacts)) throw new Error('not a version 1 contact book');
    return new ContactBook(parsed.contacts.slice(0, MAX_CONTACTS).filter(isContact));
  } catch (err) {
    const aside = `${path}.unreadable-${Date.now()}`;
    await rename(path, aside).catch(() => undefined);
    logger.warn({ err: (err as Error).message, movedTo: aside }, 'contact book unreadable: starting with an empty one');
    return new ContactBook();
  }
}

/** Writes the book atomically (temporary file, fsync, rename), mode 0600: who is who is private. */
export async function saveContacts(path: string, book: ContactBook): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify({ version: 1, contacts: book.list() }, null, 1)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

function isContact(c: unknown): c is Contact {
  const x = c as Contact;
  return typeof x === 'object' && x !== null && typeof x.name === 'string' && typeof x.peerId === 'string'
    && typeof x.addedAtMs === 'number' && typeof x.lastSeenMs === 'number' && typeof x.pinned === 'boolean'
    && (x.publicKey === undefined || typeof x.publicKey === 'string');
}
