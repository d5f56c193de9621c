import type { CommandModule } from 'yargs';
import { ControlConnectionError, inboxEntryFromWire, type InboxEntry } from '@p2p/control';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatInboxEntry, printJson, printLine } from '../format/index.js';

/** Arguments of `p2p-cli inbox`. */
export interface InboxArgs extends GlobalArgs {
  /** Keep running and print new messages as they arrive. */
  follow?: boolean;
  /** Only the last N stored messages. */
  limit?: number;
}

/** `p2p-cli inbox`: received messages, optionally followed live. */
export const inboxCommand: CommandModule<GlobalArgs, InboxArgs> = {
  command: 'inbox',
  describe: 'received messages; --follow streams new ones as they arrive',
  builder: (y) =>
    y
      .option('follow', { alias: 'f', type: 'boolean', describe: 'keep running and print new messages as they arrive' })
      .option('limit', { alias: 'n', type: 'number', describe: 'only the last N stored messages' })
      .example('$0 inbox', 'every stored message, oldest first')
      .example('$0 inbox --follow --json', 'one JSON object per line, live'),
  handler: async (args) => {
    const limit = args.limit !== undefined && args.limit > 0 ? Math.floor(args.limit) : 0;
    const stored: InboxEntry[] = [];
    let live = false;
    let count = 0;
    await withClient(args, (client) =>
      client.stream({ inbox: { follow: args.follow === true, limit } }, (response) => {
        if (response.inboxEntry) {
          const entry = inboxEntryFromWire(response.inboxEntry);
          // Without --follow, --json is one array; with it, one object per line so each is usable at once.
          if (args.json && !args.follow) stored.push(entry);
          else if (args.json) printJson(entry);
          else printLine(formatInboxEntry(entry));
          return;
        }
        if (response.inboxEnd) {
          count = response.inboxEnd.count ?? 0;
          if (!args.follow) return 'done';
          if (!args.json && !live && response.inboxEnd.count === 0) printLine(colors.dim('no messages yet; waiting for new ones'));
          live = true;
        }
      }));
    // A follow only ends when the connection does: the daemon stopped.
    if (args.follow) throw new ControlConnectionError('the daemon closed the connection (stopped?)');
    if (args.json && !args.follow) printJson(stored);
    else if (!args.json && !args.follow && count === 0) printLine(colors.dim('no messages'));
  },
};
