import yargs from 'yargs';
import { OPTION_SPECS, CONFIG_ENV } from '../config/index.js';
import { UsageError } from '../errors.js';

/** Exit codes of p2pd, as listed in its --help. */
export const EXIT_CODES = { ok: 0, failure: 1, config: 2 } as const;

const EPILOGUE = `Precedence: flags, then P2P_* environment variables (P2P_DATA_DIR, P2P_LISTEN, P2P_SEEDS=a:1,b:2, ...), then \
the JSON config file (--config FILE or ${CONFIG_ENV}; camelCase or flag keys: {"listen": "0.0.0.0:7070", "seeds": ["10.0.0.1:7070"]}).

Signals: SIGTERM or SIGINT stop the node cleanly (within a second; a second signal exits at once); SIGHUP reloads \
the configuration (log level, metrics and idle timeout live; node settings by restarting the node in place; the \
data directory and the control socket need a restart, which the log says).

Exit codes:
  0  stopped cleanly (SIGTERM or SIGINT), or --check-config found no problem
  1  failed while running: cannot listen, another p2pd uses this data directory, ...
  2  bad configuration or usage: unknown option, bad address, unreadable data directory or identity,\n     a key that is not the expected peer ID`;

/** The flags given on the command line, keyed by flag name; absent flags are absent keys. */
export type DaemonArgv = Record<string, unknown> & { 'check-config'?: boolean; config?: string; json?: boolean; completion?: boolean };

/** Hidden name of yargs' own completion command (the generated script calls `p2pd --get-yargs-completions`). */
const HIDDEN_COMPLETION = 'completion-script';

/**
 * Parses p2pd's command line (exits after printing for --help and --version); throws UsageError on bad usage.
 * `p2pd completion` comes back as `completion: true` with `printCompletion` ready to print the script.
 */
export async function parseArgv(args: string[], version: string): Promise<DaemonArgv & { printCompletion(): void }> {
  let completion = false;
  let parser = yargs(args)
    .scriptName('p2pd')
    .usage('$0 [options]\n\nRuns a p2p node in the foreground, with a control socket for p2p-cli (in $XDG_RUNTIME_DIR/p2p/).')
    .completion(HIDDEN_COMPLETION, false)
    .command('$0', 'run the node (the default)')
    .command('completion', 'print a bash/zsh completion script for p2pd', (y) =>
      y.example('$0 completion >> ~/.bashrc', 'complete p2pd\'s options in new bash shells'), () => {
      completion = true;
    })
    .example('$0', 'run a node with the defaults (LAN discovery, port 7070)')
    .example('$0 --listen 127.0.0.1:0 --interface 127.0.0.1 --mask 8 --name alice', 'a node that stays on loopback')
    .example('$0 --no-lan --seed 10.0.0.1:7070 --data-dir /var/lib/p2p', 'a node that finds peers through a seed')
    .example('$0 --role server --clique 10.0.0.1:7070 --clique-allow PEER_ID', 'a clique server: joins the clique at 10.0.0.1, clients connect on port 7072')
    .option('config', { type: 'string', describe: 'JSON config file (lowest precedence after defaults)', requiresArg: true })
    .option('check-config', { type: 'boolean', describe: 'check the configuration and the data directory, then exit' })
    .option('json', { type: 'boolean', describe: 'with --check-config: print JSON only (errors as {"error":{"code","message"}} on stderr)' })
    .parserConfiguration({ 'camel-case-expansion': false })
    .strict()
    .version(version)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(120, process.stdout.columns || 100))
    .epilogue(EPILOGUE)
    .fail((message, err) => {
      // yargs reports its own checks (a flag without its value, ...) as a YError: that is bad usage, not a crash.
      throw err && err.name !== 'YError' ? err : new UsageError(message ?? err?.message ?? 'bad usage');
    });
  for (const spec of OPTION_SPECS) {
    parser = parser.option(spec.flag, {
      type: spec.type, describe: spec.placeholder ? `${spec.placeholder}: ${spec.describe}` : spec.describe,
      ...(spec.type === 'string' ? { requiresArg: true } : {}),
    });
  }
  const argv = (await parser.parseAsync()) as Record<string, unknown>;
  const positional = (argv._ as unknown[]).filter((p) => !(completion && p === 'completion'));
  if (positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(String(positional[0]))}`);
  const show = parser as unknown as { showCompletionScript($0?: string, cmd?: string): void };
  return { ...(argv as DaemonArgv), completion, printCompletion: () => show.showCompletionScript('p2pd', 'completion') };
}
