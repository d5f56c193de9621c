import type { Argv } from 'yargs';

/**
 * `p2p-cli completion`: prints a bash/zsh completion script. yargs generates it from the commands and options,
 * so it stays in step with them; this file only names the command and documents its use.
 */
export function registerCompletion<T>(y: Argv<T>): Argv<T> {
  return y.completion('completion', 'print a bash/zsh completion script: p2p-cli completion >> ~/.bashrc');
}
