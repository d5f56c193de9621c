import { DEFAULT_WHO_MAX_NAMES } from '@p2p/core';
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { colors, formatTable, printJson, printLine, terminalSafe } from '../format/index.js';
import { wholeNumberOption } from './whole-number.js';
import { CLIQUE_EXIT_CODES, clientIdentity, cliqueOptions, connectClique, type CliqueArgs } from './clique-common.js';

/** `p2p-cli clique who`: names online across the clique, with their servers. */
export const cliqueWhoCommand: CommandModule<GlobalArgs, CliqueArgs & { 'max-names'?: number }> = {
  command: 'who',
  describe: 'names online across the clique, with their servers',
  builder: (y) => cliqueOptions(y)
    .option('max-names', {
      type: 'number', requiresArg: true,
      describe: `fail (exit 1) rather than gather more names than this (default ${DEFAULT_WHO_MAX_NAMES}); the list comes page by page`,
    })
    .example('$0 clique who --server 127.0.0.1:7072', 'NAME  SERVER  PEER ID')
    .example('$0 clique who --server 127.0.0.1:7072 --json', '[{"name":"alice","server":"srv-a","serverId":"...","peerId":"..."}]')
    .epilogue(CLIQUE_EXIT_CODES) as never,
  handler: async (args) => {
    const maxNames = wholeNumberOption('max-names', args['max-names'], 'names', 10_000_000) ?? DEFAULT_WHO_MAX_NAMES;
    const client = await connectClique(args, undefined, await clientIdentity(args), false);
    try {
      const list = (await client.who({ maxNames }))
        .map((e) => ({ name: e.name, server: e.serverName, serverId: e.serverId, peerId: e.peerId }))
        .sort((a, b) => a.name.localeCompare(b.name));
      if (args.json) return printJson(list);
      if (list.length === 0) return printLine(colors.dim('nobody is online'));
      printLine(formatTable(['NAME', 'SERVER', 'PEER ID'], list.map((e) => [e.name, e.server || e.serverId.slice(0, 12), e.peerId].map(terminalSafe))));
    } finally {
      await client.close();
    }
  },
};
