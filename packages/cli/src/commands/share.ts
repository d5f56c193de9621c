import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { printJson, printLine } from '../format/index.js';

/** Arguments of `p2p-cli share`. */
export interface ShareArgs extends GlobalArgs {
  /** Directory to share. */
  dir?: string;
}

/** `p2p-cli share`: shares a directory (recursively) until unshared, across daemon restarts. */
export const shareCommand: CommandModule<GlobalArgs, ShareArgs> = {
  command: 'share <dir>',
  describe: 'share the regular files under a directory, recursively (remembered across restarts)',
  builder: (y) => y
    .positional('dir', { type: 'string', describe: 'directory to share' })
    .example('$0 share ~/public', 'shared: /home/alice/public'),
  handler: async (args) => {
    if (!args.dir) throw new UsageError('share needs a directory');
    const dir = resolve(String(args.dir));
    const { shares } = await withClient(args, (c) => c.call({ share: { dir } }));
    if (args.json) return printJson({ shares: shares?.dirs ?? [] });
    printLine(`shared: ${dir}`);
  },
};
