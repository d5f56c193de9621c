import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { printJson, printLine } from '../format/index.js';
import type { ShareArgs } from './share.js';

/** `p2p-cli unshare`: stops sharing a directory. */
export const unshareCommand: CommandModule<GlobalArgs, ShareArgs> = {
  command: 'unshare <dir>',
  describe: 'stop sharing a directory',
  builder: (y) => y
    .positional('dir', { type: 'string', describe: 'a directory shared before' })
    .example('$0 unshare ~/public', 'no longer shared: /home/alice/public'),
  handler: async (args) => {
    if (!args.dir) throw new UsageError('unshare needs a directory');
    const dir = resolve(String(args.dir));
    const { shares } = await withClient(args, (c) => c.call({ unshare: { dir } }));
    if (args.json) return printJson({ shares: shares?.dirs ?? [] });
    printLine(`no longer shared: ${dir}`);
  },
};
