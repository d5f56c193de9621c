#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import {
  chatCommand, completionCommand, contactsCommand, inboxCommand, peersCommand, pingCommand, registerCompletion, sendCommand, statusCommand,
} from '../commands/index.js';
import { sanitizeText } from '@p2p/core';
import { CliError, UsageError } from '../errors.js';
import { CLI_VERSION } from '../version.js';

/** Exit codes, by error code; anything else that fails is 1. Listed in --help. */
const EXIT_CODES: Record<string, number> = { ERR_USAGE: 2, ERR_NO_DAEMON: 3, ERR_UNKNOWN_PEER: 4, ERR_AMBIGUOUS_PEER: 5 };

const EPILOGUE = `Exit codes:
  0  done (send: the message was delivered)
  1  failed: not delivered, ping timed out, the daemon refused or the connection broke
  2  bad usage
  3  no daemon running for this data directory (start it with \`p2pd\`)
  4  unknown peer: the daemon knows no peer by that name or ID
  5  ambiguous name: several peers use it and none is a contact (the candidates are listed)

Recipients: a contact's name (its pinned key only, online or not), a label such as bob~7k2q, a peer ID, or a
unique peer ID prefix. Names and texts from the network are printed with control characters neutralised.

The daemon is found through its control socket, <data-dir>/p2pd.sock; the data directory is --data-dir,
else P2P_DATA_DIR, else $XDG_DATA_HOME/p2p or ~/.local/share/p2p (as for p2pd).`;

// `p2p-cli inbox --follow | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// The completion command prints the script of the finished parser, known only once it is built.
let parser: Argv<unknown> | undefined;
const cli = registerCompletion(
  yargs(hideBin(process.argv))
    .scriptName('p2p-cli')
    // A message is text: "007" and "1e3" must not become 7 and 1000.
    .parserConfiguration({ 'parse-positional-numbers': false })
    .usage('$0 <command> [options]\n\nTalks to the local p2pd through its control socket.')
    .option('data-dir', { type: 'string', requiresArg: true, global: true, describe: 'the daemon\'s data directory (default: P2P_DATA_DIR, else ~/.local/share/p2p)' })
    .option('json', { type: 'boolean', global: true, describe: 'print JSON (one object per line when streaming)' })
    .command(statusCommand)
    .command(peersCommand)
    .command(sendCommand)
    .command(inboxCommand)
    .command(chatCommand)
    .command(pingCommand)
    .command(contactsCommand)
    .command(completionCommand(() => parser!)),
)
  .example('$0 peers', 'who is around')
  .example('$0 send bob hello', 'a direct message; exit 0 only if bob acknowledged it')
  .demandCommand(1, 'name a command: status, peers, send, inbox, chat, ping, contacts or completion')
  .recommendCommands()
  .strict()
  .version(CLI_VERSION)
  .help()
  .alias('help', 'h')
  .wrap(Math.min(120, process.stdout.columns || 100))
  .epilogue(EPILOGUE)
  .fail((message, err) => {
    throw err ?? new UsageError(message);
  });

parser = cli as unknown as Argv<unknown>;

// Validation failures are thrown synchronously by parseAsync, hence the wrapping promise.
Promise.resolve().then(() => cli.parseAsync()).then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`p2p-cli: ${sanitizeText(err.message)}\n`);
      if (err instanceof UsageError) process.stderr.write('run `p2p-cli --help` for usage\n');
      process.exit(EXIT_CODES[err.code] ?? 1);
    }
    process.stderr.write(`p2p-cli: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
