import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';

// yargs answers --get-yargs-completions only when its completion support is on; its own command is kept hidden
// (it prints the script even for --help) and this one, with a help page and examples, prints the same script.
const HIDDEN_YARGS_COMMAND = 'completion-script';

/** Turns on yargs' completion support (the --get-yargs-completions flag the generated script calls). */
export function registerCompletion<T>(y: Argv<T>): Argv<T> {
  return y.completion(HIDDEN_YARGS_COMMAND, false);
}

/** `p2p-cli completion`: prints a bash/zsh completion script generated from the commands and options. */
export function completionCommand(parser: () => Argv<unknown>): CommandModule<GlobalArgs, GlobalArgs> {
  return {
    command: 'completion',
    describe: 'print a bash/zsh completion script',
    builder: (y) =>
      y
        .example('$0 completion >> ~/.bashrc', 'complete commands and options in new bash shells')
        .example('$0 completion >> ~/.zshrc', 'the same for zsh'),
    handler: () => {
      // yargs 18 takes the app and command names (its @types, written for 17, do not say so).
      const show = parser() as unknown as { showCompletionScript($0?: string, cmd?: string): void };
      show.showCompletionScript('p2p-cli', 'completion');
    },
  };
}
