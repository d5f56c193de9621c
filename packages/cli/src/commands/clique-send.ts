import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { colors, printJson, printLine } from '../format/index.js';
import { NoSuchClientError } from '@p2p/core';
import { NotDeliveredError } from '../errors.js';
import { CLIQUE_EXIT_CODES, clientIdentity, cliqueOptions, connectClique, type CliqueArgs } from './clique-common.js';

interface SendArgs extends CliqueArgs {
  name: string;
  to: string;
  text: string[];
}

/** `p2p-cli clique send`: register, send one line, leave; exit 0 only if it was handed to its recipient. */
export const cliqueSendCommand: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send <to> <text...>',
  describe: 'register a name, send one line to a name (or * for everyone), leave',
  builder: (y) => cliqueOptions(y)
    .option('name', { type: 'string', demandOption: true, requiresArg: true, describe: 'the name to send as (must be free in the clique)' })
    .positional('to', { type: 'string', describe: 'recipient name, or * for every client of the clique' })
    .positional('text', { type: 'string', array: true, describe: 'the line' })
    .example('$0 clique send --server 127.0.0.1:7072 --name robot alice build finished', 'exit 0 once alice has it')
    .example("$0 clique send --server 127.0.0.1:7072 --name robot '*' deploy done --json", '{"to":"*","status":"delivered","delivered":3}')
    .epilogue(CLIQUE_EXIT_CODES) as never,
  handler: async (args) => {
    const text = args.text.join(' ');
    // A fresh key: a name held by a running `clique join` (even this user's) is taken, not taken over.
    const client = await connectClique(args, args.name, await clientIdentity(args), false);
    let result;
    try {
      result = await client.send(args.to, text);
    } finally {
      await client.close();
    }
    if (args.json) printJson({ to: args.to, status: result.status, delivered: result.delivered });
    else if (result.status === 'delivered') printLine(colors.dim(`→ ${args.to}: delivered${args.to === '*' ? ` to ${result.delivered}` : ''}`));
    if (result.status === 'no-such-client') throw new NoSuchClientError(args.to);
    if (result.status !== 'delivered') throw new NotDeliveredError(args.to, result.status);
  },
};
