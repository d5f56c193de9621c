import type { CommandModule } from 'yargs';
import { checkConfigValue, HostPortTextSchema } from '@p2p/core';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { colors, printJson, printLine, terminalSafe } from '../format/index.js';
import { wholeNumberOption } from './whole-number.js';

/** Arguments of `p2p-cli connect`. */
export interface ConnectArgs extends GlobalArgs {
  /** HOST:PORT to dial. */
  address?: string;
  /** The peer ID the node there must prove. */
  'peer-id'?: string;
  /** How long to wait, ms. */
  timeout?: number;
}

/** `p2p-cli connect HOST:PORT`: opens a session to an address now. */
export const connectCommand: CommandModule<GlobalArgs, ConnectArgs> = {
  command: 'connect <address>',
  describe: 'open a session to HOST:PORT now (with --peer-id, only if the node there proves that key)',
  builder: (y) =>
    y
      .positional('address', { type: 'string', describe: 'HOST:PORT ([v6]:PORT for IPv6) of a p2pd' })
      .option('peer-id', { type: 'string', requiresArg: true, describe: 'the peer ID the node there must prove' })
      .option('timeout', { type: 'number', describe: 'milliseconds to wait (default: the daemon\'s, 5000)' })
      .example('$0 connect 192.168.1.20:7070', 'connected to bob (ab3d...) in 9.1 ms'),
  handler: async (args) => {
    if (!args.address) throw new UsageError('connect needs HOST:PORT');
    const address = String(args.address);
    // Checked here with the daemon's own rule, so a typo is bad usage (exit 2), not a failed dial.
    const parsed = checkConfigValue(HostPortTextSchema, address);
    if (!parsed.success || parsed.output.port === 0) {
      throw new UsageError(`connect: ${parsed.success ? 'port 0 cannot be dialled' : parsed.message}`);
    }
    const timeoutMs = wholeNumberOption('timeout', args.timeout, 'milliseconds', 3_600_000) ?? 0;
    const { connect } = await withClient(args, (client) => client.call({
      connect: {
        address, peerId: args['peer-id'] ?? '', timeoutMs,
      },
    }));
    const out = { address, peerId: connect?.peerId ?? '', name: connect?.name ?? '', elapsedMs: connect?.elapsedMs ?? 0 };
    if (args.json) return printJson(out);
    printLine(`${colors.green('connected')} to ${terminalSafe(out.name) || '(unnamed)'} ${colors.dim(`(${out.peerId}) in ${out.elapsedMs.toFixed(1)} ms`)}`);
  },
};
