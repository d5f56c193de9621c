import type { CliqueClient, CliqueLine } from '@p2p/core';
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { colors, formatTable, printJson, printLine, terminalSafe } from '../format/index.js';
import { CLIQUE_EXIT_CODES, clientIdentity, cliqueOptions, connectClique, type CliqueArgs } from './clique-common.js';
import { eachLineInOrder, stdinLines } from './stdin-lines.js';

const HELP = 'type `<name> <message>` for one client, `* <message>` for everyone, /who, /quit';

interface JoinArgs extends CliqueArgs {
  name: string;
}

/** A received line in the JSON shape of `clique join --json`. */
export function lineJson(l: CliqueLine): { from: string; to: string; text: string; receivedAt: string } {
  return { from: l.from, to: l.to, text: l.text, receivedAt: new Date(l.receivedAtMs).toISOString() };
}

async function handleLine(client: CliqueClient, line: string, json: boolean, quit: () => void): Promise<void> {
  const text = line.trim();
  if (!text) return;
  if (text === '/quit' || text === '/exit') return quit();
  if (text === '/help') return printLine(colors.dim(HELP));
  if (text === '/who') {
    const list = await client.who();
    if (json) return void process.stderr.write(`${JSON.stringify(list.map((e) => ({ name: e.name, server: e.serverName })))}\n`);
    return printLine(formatTable(['NAME', 'SERVER'], list.map((e) => [e.name, e.serverName])));
  }
  const space = text.search(/\s/);
  const to = space < 0 ? text : text.slice(0, space);
  const message = space < 0 ? '' : text.slice(space).trim();
  if (!message) return printLine(colors.yellow(`nothing to send: ${HELP}`));
  const r = await client.send(to, message);
  // With --json, stdout carries received lines only; what became of our own lines goes to stderr.
  if (json) process.stderr.write(`${JSON.stringify({ to, status: r.status, delivered: r.delivered })}\n`);
  else if (r.status === 'delivered') printLine(colors.dim(`→ ${to}: delivered${to === '*' ? ` to ${r.delivered}` : ''}`));
  else printLine(colors.red(`→ ${to}: ${r.status === 'no-such-client' ? 'no such client' : `not delivered (${r.status})`}`));
}

/** `p2p-cli clique join`: hold a name in the clique, read lines from stdin, print the ones that arrive. */
export const cliqueJoinCommand: CommandModule<GlobalArgs, JoinArgs> = {
  command: 'join',
  describe: `join the clique under a name: ${HELP}`,
  builder: (y) => cliqueOptions(y)
    .option('name', { type: 'string', demandOption: true, requiresArg: true, describe: 'the name to hold (unique across the clique, compared without case)' })
    .example('$0 clique join --server 127.0.0.1:7072 --server 127.0.0.1:7082 --name alice', 'interactive; moves to the second server if the first dies')
    .example("printf 'bob hi\\n* hello all\\n' | $0 clique join --server 127.0.0.1:7072 --name alice --json", 'scripted; received lines as {"from","to","text","receivedAt"}')
    .epilogue(CLIQUE_EXIT_CODES) as never,
  handler: async (args) => {
    const json = args.json === true;
    const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
    const client = await connectClique(args, args.name, await clientIdentity(args, args.name), true);
    const rl = stdinLines(interactive);
    const show = (text: string) => {
      if (interactive) process.stdout.write('\r\x1b[K');
      printLine(text);
      if (interactive) rl.prompt(true);
    };
    // Names, server names and reasons come from servers: shown only once made safe for the terminal.
    const note = (text: string) => { if (json) process.stderr.write(`${terminalSafe(text)}\n`); else show(colors.dim(terminalSafe(text))); };
    let failure: unknown;
    client.on('line', (l) => {
      if (json) return printJson(lineJson(l));
      const to = l.to === '*' ? colors.magenta('*') : terminalSafe(l.to);
      show(`${colors.dim(new Date(l.receivedAtMs).toLocaleTimeString('sv-SE'))}  ${colors.cyan(terminalSafe(l.from))} → ${to}: ${terminalSafe(l.text)}`);
    });
    client.on('joined', (e) => { if (!json) note(`${e.name} joined (${e.serverName})`); });
    client.on('left', (e) => { if (!json) note(`${e.name} left (${e.reason})`); });
    client.on('disconnected', (e) => note(`lost ${e.server.host}:${e.server.port} (${e.reason}); reconnecting`));
    client.on('registered', (e) => note(`on ${e.server.host}:${e.server.port} as ${e.name}, ${e.online} online`));
    client.on('refused', (err) => { failure ??= err; rl.close(); });
    note(`joined as ${args.name} on ${client.server?.host}:${client.server?.port}`);
    if (interactive) {
      printLine(colors.dim(HELP));
      rl.prompt();
    }
    // A line that fails is reported and the session goes on (the clique may answer the next one).
    await eachLineInOrder(rl, interactive, (line) => handleLine(client, line, json, () => rl.close()),
      (err) => show(colors.red(err instanceof Error ? err.message : String(err))));
    await client.close();
    if (failure) throw failure;
  },
};
