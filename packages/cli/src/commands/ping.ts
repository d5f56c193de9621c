import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { formatRtt, printJson, printLine, terminalSafe } from '../format/index.js';
import { wholeNumberOption } from './whole-number.js';

/** Arguments of `p2p-cli ping`. */
export interface PingArgs extends GlobalArgs {
  /** Peer name or peer ID. */
  to?: string;
  /** How long to wait, ms. */
  timeout?: number;
}

/** `p2p-cli ping`: round-trip time to a peer. */
export const pingCommand: CommandModule<GlobalArgs, PingArgs> = {
  command: 'ping <to>',
  describe: 'round-trip time to a peer (name or peer ID)',
  builder: (y) =>
    y
      .positional('to', { type: 'string', describe: 'peer name, peer ID or a unique prefix of one' })
      .option('timeout', { type: 'number', describe: 'milliseconds to wait (default: the daemon\'s, 5000)' })
      .example('$0 ping bob', 'bob: 0.42 ms'),
  handler: async (args) => {
    if (!args.to) throw new UsageError('ping needs a peer name or peer ID');
    const to = String(args.to);
    const timeoutMs = wholeNumberOption('timeout', args.timeout, 'milliseconds', 3_600_000) ?? 0;
    const { ping } = await withClient(args, (client) =>
      client.call({ ping: { to, timeoutMs } }));
    const out = { to, peerId: ping?.peerId ?? '', rttMs: ping?.rttMs ?? 0 };
    if (args.json) return printJson(out);
    printLine(`${terminalSafe(to)}: ${formatRtt(out.rttMs)}`);
  },
};
