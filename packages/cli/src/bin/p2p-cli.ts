#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { P2PError, safeJson } from '@p2p/core';
import { COMMANDS, completionCommand, registerCompletion } from '../commands/index.js';
import { UsageError } from '../errors.js';
import { drained, terminalSafe } from '../format/index.js';
import { CLI_VERSION } from '../version.js';

/** Exit codes, by error code; anything else that fails is 1. Listed in --help. */
const EXIT_CODES: Record<string, number> = {
  ERR_USAGE: 2, ERR_NO_DAEMON: 3, ERR_PEER_NOT_FOUND: 4,
  ERR_CLIQUE_UNREACHABLE: 3, ERR_CLIQUE_NO_SUCH_CLIENT: 4, ERR_CLIQUE_NAME_TAKEN: 5, ERR_AMBIGUOUS_PEER: 6,
  ERR_FILE_NOT_FOUND: 5, ERR_TRANSFER_FAILED: 7, ERR_NO_SPACE: 7,
};

const EPILOGUE = `Exit codes:
  0  done (send: the message was delivered)
  1  failed: not delivered, ping timed out, the daemon refused or the connection broke
  2  bad usage
  3  no daemon running (start it with \`p2pd\`); clique: no server reachable
  4  unknown peer: the daemon knows no peer by that name or ID; clique: no such client
  5  clique: the name is taken; get: nobody has that file (or no such download)
  6  ambiguous name: several peers use it and none is a contact (the candidates are listed)
  7  get: the download failed (holders gone or lying, no disk space); the partial file is kept

Recipients: a contact's name (its pinned key only, online or not), a label such as bob~7k2q, a peer ID, or a
unique peer ID prefix. Names and texts from the network are printed with control characters neutralised.

The daemon is found by itself: --socket or P2P_SOCKET if given; else the socket of --data-dir (or P2P_DATA_DIR)
in $XDG_RUNTIME_DIR/p2p/, then in that directory; with neither, your own p2pd's, then the system service's
(/run/p2p/p2pd.sock). With --json, a failure is one JSON object on stderr: {"error":{"code","message"}}.`;

const args = hideBin(process.argv);
const json = args.some((a) => a === '--json' || a === '--json=true');

// `p2p-cli inbox --follow | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Exit only once stdout and stderr have drained: a pipe holds back what the reader has not taken yet.
async function exit(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

function report(err: unknown): number {
  const code = err instanceof P2PError ? err.code : 'ERR_UNEXPECTED';
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    process.stderr.write(`${safeJson({ error: { code, message } })}\n`);
  } else if (err instanceof P2PError) {
    // A refusal may quote what a daemon or clique server said: made safe before it reaches the terminal.
    process.stderr.write(`p2p-cli: ${err instanceof UsageError ? message : terminalSafe(message)}\n`);
    if (err instanceof UsageError) process.stderr.write('run `p2p-cli --help` for usage\n');
  } else {
    process.stderr.write(`p2p-cli: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  return EXIT_CODES[code] ?? 1;
}

// The completion command prints the script of the finished parser, known only once it is built.
let parser: Argv<unknown> | undefined;
let cli = registerCompletion(
  yargs(args)
    .scriptName('p2p-cli')
    // A message is text: "007" and "1e3" must not become 7 and 1000.
    .parserConfiguration({ 'parse-positional-numbers': false })
    .usage('$0 <command> [options]\n\nTalks to the local p2pd through its control socket.')
    .option('socket', { type: 'string', requiresArg: true, global: true, describe: 'the daemon\'s control socket (default: P2P_SOCKET, else found by itself)' })
    .option('data-dir', { type: 'string', requiresArg: true, global: true, describe: 'the daemon\'s data directory, to find its socket (default: P2P_DATA_DIR)' })
    .option('json', { type: 'boolean', global: true, describe: 'print JSON (one object per line when streaming); errors as JSON on stderr' }),
);
for (const command of COMMANDS) cli = cli.command(command);
cli = cli
  .command(completionCommand(() => parser!))
  .example('$0 peers', 'who is around')
  .example('$0 send bob hello', 'a direct message; exit 0 only if bob acknowledged it')
  .demandCommand(1, `name a command: ${[...COMMANDS.map((c) => String(c.command).split(' ')[0]), 'completion'].join(', ')}`)
  .recommendCommands()
  .strict()
  .version(CLI_VERSION)
  .help()
  .alias('help', 'h')
  .wrap(Math.min(120, process.stdout.columns || 100))
  .epilogue(EPILOGUE)
  .fail((message, err) => {
    // yargs reports its own checks (a flag without its value, ...) as a YError: that is bad usage, not a crash.
    throw err && err.name !== 'YError' ? err : new UsageError(message ?? err?.message ?? 'bad usage');
  });

parser = cli as unknown as Argv<unknown>;

// Validation failures are thrown synchronously by parseAsync, hence the wrapping promise.
Promise.resolve().then(() => cli.parseAsync()).then(
  () => exit(typeof process.exitCode === 'number' ? process.exitCode : 0),
  (err: unknown) => exit(report(err)),
);
