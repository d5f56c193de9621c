import type { CommandModule } from 'yargs';
import { ControlConnectionError, inboxEntryFromWire, type InboxEntry } from '@p2p/control';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { colors, formatInboxEntry, printJson, printLine } from '../format/index.js';
import { runPrune, type PruneArgs } from './inbox-prune.js';
import { wholeNumberOption } from './whole-number.js';

/** Arguments of `p2p-cli inbox`. */
export interface InboxArgs extends GlobalArgs, PruneArgs {
  /** Keep running and print new messages as they arrive. */
  follow?: boolean;
  /** Only the last N stored messages. */
  limit?: number;
}

/** `p2p-cli inbox`: received messages, optionally followed live. */
export const inboxCommand: CommandModule<GlobalArgs, InboxArgs> = {
  command: 'inbox',
  describe: 'received messages; --follow streams new ones as they arrive; --clear or --prune make room',
  builder: (y) =>
    y
      .option('follow', { alias: 'f', type: 'boolean', describe: 'keep running and print new messages as they arrive' })
      .option('limit', { alias: 'n', type: 'number', describe: 'only the last N stored messages' })
      .option('clear', { type: 'boolean', describe: 'remove every stored message (works on a full disk too)' })
      .option('prune', { type: 'boolean', describe: 'remove stored messages: those --older-than DURATION, and/or all but the newest --keep N' })
      .option('older-than', { type: 'string', describe: 'with --prune: an age such as 7d, 12h, 30m' })
      .option('keep', { type: 'number', describe: 'with --prune: how many of the newest messages to keep' })
      .conflicts('clear', ['follow', 'limit'])
      .conflicts('prune', ['follow', 'limit'])
      .example('$0 inbox', 'every stored message, oldest first')
      .example('$0 inbox --follow --json', 'one JSON object per line, live')
      .example('$0 inbox --prune --older-than 7d', 'make room: remove messages older than a week')
      .example('$0 inbox --prune --keep 1000', 'keep only the newest 1000 messages'),
  handler: async (args) => {
    if (args.clear || args.prune || args['older-than'] !== undefined || args.keep !== undefined) {
      if (!args.clear && !args.prune) throw new UsageError('--older-than and --keep go with --prune');
      return withClient(args, (client) => runPrune(client, args));
    }
    const limit = wholeNumberOption('limit', args.limit, 'messages') ?? 0;
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
