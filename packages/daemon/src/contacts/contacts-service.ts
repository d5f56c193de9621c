import { control, nameProblem, sanitizeText, type Logger, type NodeExtensions, type P2PNode, type p2p } from '@p2p/core';
import { BadControlRequestError } from '@p2p/control';
import type { ContactBook } from './contact-book.js';
import { loadContacts, saveContacts } from './contact-store.js';
import { notFound, resolveRecipient } from './resolve-recipient.js';

const Action = control.ContactsAction;
type Node = P2PNode & Partial<Pick<NodeExtensions, 'learnKey' | 'peerKey'>>;

/** The daemon's contact book at work: resolves recipients, labels peers, learns on first use, persists. */
export interface Contacts {
  /** The peer ID a user means by a name, label, peer ID or prefix (see resolveRecipient). */
  resolve(target: string): string;
  /** How a peer that calls itself `name` is shown. */
  label(peerId: string, name: string): string;
  /** Messages were exchanged with a peer under `name`: bind it on first use, note the key and the time. */
  learn(peerId: string, name: string | undefined): void;
  /** Answers a ContactsRequest with the book after the change. */
  handle(request: p2p.control.v1.IContactsRequest): Promise<p2p.control.v1.IContactsReply>;
  /**
   * Works with `node` from now on (a reload may replace the node): hands it every contact's key, so directs to
   * contacts are sealed even while they are offline, and learns names from the direct messages it receives.
   */
  attach(node: Node): void;
  /** Waits for pending writes. */
  flush(): Promise<void>;
}

/** Loads the book from `path`; attach() a node before use. */
export async function openContacts(path: string, logger: Logger): Promise<Contacts> {
  const book: ContactBook = await loadContacts(path, logger);
  let node: Node | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    saving = saving.then(() => saveContacts(path, book)).catch((err: unknown) => logger.error({ err }, 'contact book not saved'));
    return saving;
  };
  const keyOf = (peerId: string): string | undefined => {
    const k = node?.peerKey?.(peerId);
    return k ? Buffer.from(k).toString('base64') : undefined;
  };
  const peers = () => node?.peers() ?? [];
  const nameOf = (peerId: string) => peers().find((p) => p.peerId === peerId)?.name ?? '';
  const ambiguous = (name: string) => peers().filter((p) => p.name === name).length > 1;

  const reply = (): p2p.control.v1.IContactsReply => {
    const online = new Set(peers().filter((p) => p.state === 'connected').map((p) => p.peerId));
    return {
      contacts: book.list().map((c) => ({
        name: c.name, peerId: c.peerId, label: c.name, addedAtMs: c.addedAtMs, lastSeenMs: c.lastSeenMs, online: online.has(c.peerId), pinned: c.pinned,
      })),
    };
  };
  const checkName = (name: string | null | undefined): string => {
    const n = (name ?? '').trim();
    const problem = n ? nameProblem(n) : 'empty';
    if (problem) throw new BadControlRequestError(`cannot use "${sanitizeText(n)}" as a name: ${problem}`);
    if (n.includes('~')) throw new BadControlRequestError('a contact name cannot contain ~ (it marks labels such as bob~7k2q)');
    return n;
  };
  const target = (t: string | null | undefined): string => resolveRecipient(t ?? '', book, peers());

  const learn = (peerId: string, name: string | undefined): void => {
    if (book.learn(peerId, name ?? nameOf(peerId), keyOf(peerId), Date.now())) void save();
  };

  return {
    attach(next) {
      node = next;
      for (const c of book.list()) if (c.publicKey) next.learnKey?.(Buffer.from(c.publicKey, 'base64'));
      // Trust on first use: the first key a direct message is exchanged with under a name owns that name here.
      next.on('message', (m) => { if (m.kind === 'direct') learn(m.from, m.fromName); });
    },
    resolve: (t) => resolveRecipient(t, book, peers()),
    label: (peerId, name) => book.label(peerId, name, ambiguous(name)),
    learn,
    async handle(request) {
      const action = request.action ?? Action.CONTACTS_ACTION_UNSPECIFIED;
      if (action === Action.CONTACTS_ACTION_PIN || action === Action.CONTACTS_ACTION_RENAME) {
        const peerId = target(request.target);
        if (action === Action.CONTACTS_ACTION_RENAME && !book.of(peerId)) {
          throw notFound(`${sanitizeText(request.target ?? '')} is not a contact: pin it first`);
        }
        const key = keyOf(peerId);
        book.pin(peerId, checkName(request.name), key, Date.now());
        if (key) node?.learnKey?.(Buffer.from(key, 'base64'));
        await save();
      } else if (action === Action.CONTACTS_ACTION_FORGET) {
        const t = request.target ?? '';
        const peerId = book.named(t)?.peerId ?? target(t);
        if (!book.forget(peerId)) throw notFound(`${sanitizeText(t)} is not a contact`);
        await save();
      } else if (action !== Action.CONTACTS_ACTION_UNSPECIFIED) {
        throw new BadControlRequestError(`unknown contacts action ${action}`);
      }
      return reply();
    },
    flush: () => saving,
  };
}
