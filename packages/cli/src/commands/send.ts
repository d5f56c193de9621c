import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { NotDeliveredError, UsageError } from '../errors.js';
import { colors, printJson, printLine, terminalSafe } from '../format/index.js';
import { wholeNumberOption } from './whole-number.js';

/** Arguments of `p2p-cli send`. */
export interface SendArgs extends GlobalArgs {
  /** Recipient name or peer ID (the first word of the text with --all). */
  to?: string;
  /** The words of the message. */
  text?: (string | number)[];
  /** Broadcast to every node instead. */
  all?: boolean;
  /** How long to wait for the acknowledgement, ms. */
  timeout?: number;
}

/** `p2p-cli send`: a direct message (exit 0 only when delivered) or, with --all, a broadcast. */
export const sendCommand: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send [to] [text..]',
  describe: 'send a direct message to a peer (name or peer ID), or with --all a broadcast to every node',
  builder: (y) =>
    y
      .positional('to', { type: 'string', describe: 'recipient: peer name, peer ID or a unique prefix of one' })
      .positional('text', { type: 'string', array: true, describe: 'the message' })
      .option('all', { type: 'boolean', describe: 'broadcast to the whole network (every word is the message)' })
      .option('timeout', { type: 'number', describe: 'milliseconds to wait for the acknowledgement (default: the daemon\'s, 5000)' })
      .example('$0 send bob hello there', 'prints delivered, or exits 1 when bob did not acknowledge')
      .example('$0 send --all lunch is ready', 'broadcast to every node'),
  handler: async (args) => {
    const words = [...(args.to !== undefined ? [args.to] : []), ...(args.text ?? [])].map(String);
    if (args.all) {
      const text = words.join(' ');
      if (!text) throw new UsageError('send --all needs a message');
      const { broadcast } = await withClient(args, (client) => client.call({ broadcast: { text } }));
      const out = { messageId: broadcast?.messageId ?? '', sentTo: broadcast?.sentTo ?? 0 };
      if (args.json) return printJson(out);
      return printLine(`${colors.green('broadcast')} ${colors.dim(out.messageId)} pushed to ${out.sentTo} neighbour${out.sentTo === 1 ? '' : 's'}`);
    }
    const [to, ...rest] = words;
    const text = rest.join(' ');
    if (!to || !text) throw new UsageError('send needs a recipient and a message: p2p-cli send <name|peerId> <text...>');
    const timeoutMs = wholeNumberOption('timeout', args.timeout, 'milliseconds', 3_600_000) ?? 0;
    const { send } = await withClient(args, (client) =>
      client.call({ send: { to, text, timeoutMs } }));
    const out = { to, delivered: send?.delivered ?? false, status: send?.status ?? '', peerId: send?.peerId ?? '', elapsedMs: send?.elapsedMs ?? 0 };
    if (args.json) printJson(out);
    if (!out.delivered) throw new NotDeliveredError(to, out.status);
    if (!args.json) printLine(`${colors.green('delivered')} to ${terminalSafe(to)} ${colors.dim(`(${out.peerId}) in ${out.elapsedMs.toFixed(1)} ms`)}`);
  },
};
