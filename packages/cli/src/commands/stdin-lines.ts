import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';

/** Standard input read line by line: with a `> ` prompt on a terminal, plain lines from a pipe or a script. */
export function stdinLines(interactive: boolean): Interface {
  return createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout, prompt: '> ' } : {}), terminal: interactive });
}

/**
 * Handles each line of `rl` after the one before it has finished (two lines to the same recipient keep their order),
 * prompting again after each on a terminal; resolves once input has ended and its last line is handled. A line
 * that fails goes to `onError`, which decides whether the session goes on.
 */
export async function eachLineInOrder(
  rl: Interface, interactive: boolean, handle: (line: string) => Promise<void>, onError: (err: unknown) => void,
): Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  rl.on('line', (line) => {
    chain = chain
      .then(() => handle(line))
      .catch(onError)
      .then(() => { if (interactive) rl.prompt(); });
  });
  await once(rl, 'close');
  await chain;
}
