import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { CLIQUE_EXIT_CODES } from './clique-common.js';
import { cliqueJoinCommand } from './clique-join.js';
import { cliqueSendCommand } from './clique-send.js';
import { cliqueWhoCommand } from './clique-who.js';

/** `p2p-cli clique ...`: talk to a clique of servers directly (no daemon needed), as a named client. */
export const cliqueCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'clique <command>',
  describe: 'chat through a clique of servers (p2pd --role server) under a unique name: join, who, send',
  builder: (y) => y
    .command(cliqueJoinCommand)
    .command(cliqueWhoCommand)
    .command(cliqueSendCommand)
    .demandCommand(1, 'name a clique command: join, who or send')
    .example('$0 clique join --server 127.0.0.1:7072 --name alice', 'then type: bob hi   or   * hello   or   /who')
    .epilogue(`${CLIQUE_EXIT_CODES}\n\nThe client's key (one per name) is kept under <data-dir>/clique/.`) as never,
  handler: () => undefined,
};
