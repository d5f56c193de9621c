import type { CommandModule } from 'yargs';
import { ControlConnectionError, inboxEntryFromWire, type ControlClient } from '@p2p/control';
import { P2PError } from '@p2p/core';
import { connectFor, type GlobalArgs } from '../context.js';
import { colors, formatInboxEntry, printJson, printLine, terminalSafe } from '../format/index.js';
import { eachLineInOrder, stdinLines } from './stdin-lines.js';

const HELP = 'type `<name> <message>` for one peer, `* <message>` for everyone, /quit to leave';

async function handleLine(client: ControlClient, line: string, json: boolean, quit: () => void): Promise<void> {
  const text = line.trim();
  if (!text) return;
  if (text === '/quit' || text === '/exit') return quit();
  if (text === '/help') return printLine(colors.dim(HELP));
  const space = text.search(/\s/);
  const target = space < 0 ? text : text.slice(0, space);
  const message = space < 0 ? '' : text.slice(space).trim();
  if (!message) return printLine(colors.yellow(`nothing to send: ${HELP}`));
  try {
    if (target === '*') {
      const { broadcast } = await client.call({ broadcast: { text: message } });
      if (json) printJson({ to: '*', messageId: broadcast?.messageId ?? '', sentTo: broadcast?.sentTo ?? 0 });
      else printLine(colors.dim(`→ everyone (${broadcast?.sentTo ?? 0} neighbours)`));
      return;
    }
    const { send } = await client.call({ send: { to: target, text: message } });
    const delivered = send?.delivered ?? false;
    if (json) printJson({ to: target, delivered, status: send?.status ?? '', peerId: send?.peerId ?? '', elapsedMs: send?.elapsedMs ?? 0 });
    else printLine(delivered ? colors.dim(`→ ${terminalSafe(target)}: delivered`) : colors.red(`→ ${terminalSafe(target)}: ${send?.status ?? 'not delivered'}`));
  } catch (err) {
    // A refused line (unknown peer, empty text) is the user's to fix; a broken connection ends the chat.
    if (err instanceof ControlConnectionError || !(err instanceof P2PError)) throw err;
    if (json) printJson({ to: target, delivered: false, error: err.message });
    else printLine(colors.red(terminalSafe(err.message)));
  }
}

/** `p2p-cli chat`: an interactive session, reading lines from stdin and showing incoming messages. */
export const chatCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'chat',
  describe: `interactive chat: ${HELP}; incoming messages are shown as they arrive`,
  builder: (y) =>
    y
      .example('$0 chat', 'then type: bob hi there   or   * hello everyone')
      .example("printf 'bob hi\\n* hello all\\n' | $0 chat", 'send lines from a script'),
  handler: async (args) => {
    const json = args.json === true;
    const client = await connectFor(args);
    const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
    const rl = stdinLines(interactive);
    let live = false;
    // Only messages arriving from now on: the stored inbox is what `p2p-cli inbox` is for.
    const incoming = client.stream({ inbox: { follow: true, limit: 1 } }, (response) => {
      if (response.inboxEnd) live = true;
      else if (live && response.inboxEntry) {
        const entry = inboxEntryFromWire(response.inboxEntry);
        if (json) return printJson(entry);
        if (interactive) process.stdout.write('\r\x1b[K');
        printLine(formatInboxEntry(entry));
        if (interactive) rl.prompt(true);
      }
    });
    let failure: unknown;
    let leaving = false;
    incoming.then(
      () => {
        if (leaving) return;
        failure ??= new ControlConnectionError('the daemon closed the connection');
        rl.close();
      },
      (err: unknown) => {
        failure ??= err;
        rl.close();
      },
    );
    if (interactive) {
      printLine(colors.dim(HELP));
      rl.prompt();
    }
    // A line that fails ends the chat: its error is the command's.
    await eachLineInOrder(rl, interactive, (line) => handleLine(client, line, json, () => rl.close()), (err) => {
      failure ??= err;
      rl.close();
    });
    leaving = true;
    client.close();
    if (failure) throw failure;
  },
};
