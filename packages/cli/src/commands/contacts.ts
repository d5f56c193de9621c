import type { CommandModule } from 'yargs';
import { control, shortPeerId } from '@p2p/core';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { colors, formatTable, printJson, printLine } from '../format/index.js';

const Action = control.ContactsAction;

/** Arguments of `p2p-cli contacts`. */
export interface ContactsArgs extends GlobalArgs {
  /** list (default), pin, rename or forget. */
  action?: string;
  /** The contact or peer: a name, a label (bob~7k2q), a peer ID or a unique prefix. */
  target?: string;
  /** The name to bind. */
  name?: string;
}

const ACTIONS: Record<string, number> = {
  list: Action.CONTACTS_ACTION_UNSPECIFIED, pin: Action.CONTACTS_ACTION_PIN, rename: Action.CONTACTS_ACTION_RENAME, forget: Action.CONTACTS_ACTION_FORGET,
};

/** `p2p-cli contacts`: the names this node has bound to keys (trust on first use), and changes to them. */
export const contactsCommand: CommandModule<GlobalArgs, ContactsArgs> = {
  command: 'contacts [action] [target] [name]',
  describe: 'names bound to keys: list, pin <peer> <name>, rename <contact> <name>, forget <contact>',
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: Object.keys(ACTIONS), default: 'list', describe: 'what to do' })
      .positional('target', { type: 'string', describe: 'a contact name, a label such as bob~7k2q, a peer ID or a unique prefix' })
      .positional('name', { type: 'string', describe: 'the name to bind (pin, rename)' })
      .example('$0 contacts', 'every contact: name, peer ID, online, pinned')
      .example('$0 contacts pin bob~7k2q bob', 'from now on `send bob` goes to that key only')
      .example('$0 contacts rename bob bob-laptop', 'call a contact by another name')
      .example('$0 contacts forget bob --json', 'free the name; prints the remaining contacts as JSON'),
  handler: async (args) => {
    const action = ACTIONS[args.action ?? 'list']!;
    if (action !== Action.CONTACTS_ACTION_UNSPECIFIED && !args.target) throw new UsageError(`contacts ${args.action} needs a contact or peer`);
    if ((action === Action.CONTACTS_ACTION_PIN || action === Action.CONTACTS_ACTION_RENAME) && !args.name) {
      throw new UsageError(`contacts ${args.action} needs the name to bind: p2p-cli contacts ${args.action} <peer> <name>`);
    }
    const { contacts } = await withClient(args, (client) =>
      client.call({ contacts: { action, target: args.target ?? '', name: args.name ?? '' } }));
    const rows = (contacts?.contacts ?? []).map((c) => ({
      name: c.name ?? '', peerId: c.peerId ?? '', online: c.online === true, pinned: c.pinned === true,
      addedAt: c.addedAtMs ? new Date(c.addedAtMs).toISOString() : '', lastSeen: c.lastSeenMs ? new Date(c.lastSeenMs).toISOString() : '',
    }));
    if (args.json) return printJson(rows);
    if (rows.length === 0) return printLine(colors.dim('no contacts yet: a name is bound to a key the first time you exchange direct messages'));
    printLine(formatTable(
      ['NAME', 'PEER ID', 'ONLINE', 'BOUND', 'LAST SEEN'],
      rows.map((r) => [r.name, shortPeerId(r.peerId), r.online ? 'yes' : 'no', r.pinned ? 'pinned' : 'first use', r.lastSeen ? r.lastSeen.slice(0, 19).replace('T', ' ') : '-']),
      (row, column, text) => (column === 2 ? (rows[row]!.online ? colors.green(text) : colors.dim(text)) : text),
    ));
  },
};
