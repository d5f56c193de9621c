import yargs from 'yargs';
import { InspectorError, UsageError } from '../errors.js';
import { runInspectCommand } from './inspect-command.js';
import type { MessageFilter } from './filters.js';
import { INSPECTOR_VERSION } from '../version.js';

// yargs answers --get-yargs-completions only with its completion support on; its own command stays hidden and
// `p2p-inspect completion`, with a help page and an example, prints the same script.
const HIDDEN_COMPLETION = 'completion-script';

/** Exit codes of p2p-inspect. */
export const EXIT_CODES = {
  /** Success. */
  OK: 0,
  /** The capture could not be read (missing, not pcap/pcapng, corrupt headers). */
  CAPTURE: 1,
  /** Bad usage (unknown option, bad value). */
  USAGE: 2,
  /** The key log could not be read. */
  KEYLOG: 3,
  /** The web UI could not start (assets missing, port taken). */
  SERVE: 4,
} as const;

const EPILOG = `Exit codes:
  0  success
  1  the capture could not be read (missing file, not pcap/pcapng, corrupt)
  2  bad usage
  3  the key log could not be read
  4  the web UI could not start (not built, port in use)

Colours are used only on a terminal; NO_COLOR=1 turns them off.`;

interface IO {
  argv: string[];
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

function filterFrom(argv: { type?: string | string[]; peer?: string; stream?: number }): MessageFilter {
  if (argv.stream !== undefined && (!Number.isInteger(argv.stream) || argv.stream < 0)) throw new UsageError('--stream must be a non-negative integer');
  return {
    ...(argv.type ? { types: ([] as string[]).concat(argv.type).flatMap((t) => String(t).split(',')).filter(Boolean) } : {}),
    ...(argv.peer ? { peer: argv.peer } : {}),
    ...(argv.stream !== undefined ? { stream: argv.stream } : {}),
  };
}

function exitCodeOf(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code === 'ERR_USAGE') return EXIT_CODES.USAGE;
  if (code === 'ERR_KEYLOG') return EXIT_CODES.KEYLOG;
  if (code === 'ERR_WEB_ASSETS_MISSING' || code === 'EADDRINUSE' || code === 'EACCES') return EXIT_CODES.SERVE;
  return EXIT_CODES.CAPTURE;
}

/**
 * Runs p2p-inspect with the given arguments; resolves with the exit code. The only place where errors become
 * messages and exit codes.
 */
export async function runCli(io: IO): Promise<number> {
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && io.env.TERM !== 'dumb';
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let exitCode: number = EXIT_CODES.OK;
  const fail = (err: unknown): void => {
    const message = err instanceof InspectorError || (err as { code?: string }).code ? (err as Error).message : String((err as Error)?.stack ?? err);
    io.stderr.write(`p2p-inspect: ${message}\n`);
    exitCode = exitCodeOf(err);
  };
  const filterOptions = {
    // Not `array: true`: that would swallow a capture path written after it. Repeating the flag or commas give several.
    type: { type: 'string', describe: 'Only these message types, repeatable or comma-separated (hello, ping, chat, broadcast, undecodable, tls-record...)' },
    peer: { type: 'string', describe: 'Only messages from or to this peer: name, peer ID (or a prefix of 4+ chars), ip or ip:port' },
    stream: { type: 'number', describe: 'Only this stream number' },
    keylog: { type: 'string', describe: 'NSS key log file (p2pd --keylog) to decrypt TLS 1.3 sessions' },
  } as const;
  try {
    const parser = yargs(io.argv);
    await parser
      .scriptName('p2p-inspect')
      .completion(HIDDEN_COMPLETION, false)
      .command(
        'completion',
        'Print a bash/zsh completion script for p2p-inspect',
        (y) => y.example('$0 completion >> ~/.bashrc', 'complete commands and options in new bash shells'),
        () => {
          // yargs 18 takes the app and command names (its @types, written for 17, do not say so).
          (parser as unknown as { showCompletionScript($0?: string, cmd?: string): void }).showCompletionScript('p2p-inspect', 'completion');
        },
      )
      .usage('$0 <capture> [options]\n\nDecode a pcap/pcapng capture (optionally gzip\'d; "-" for stdin) into p2p.v1 messages.')
      .command(
        '$0 <capture>',
        'Print the messages of a capture',
        (y) => y
          .positional('capture', { type: 'string', demandOption: true, describe: 'pcap or pcapng file (.gz too), or - for stdin' })
          .options(filterOptions)
          .option('json', { type: 'boolean', default: false, describe: 'One JSON object per message: time, src, dst, transport, stream, type, fields' })
          .option('stats', { type: 'boolean', default: false, describe: 'Counts per message type and per peer pair instead of messages' })
          .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep reading a capture that is still being written (tcpdump -U -w); Ctrl-C stops' }),
        async (argv) => {
          await runInspectCommand({
            capture: argv.capture,
            ...(argv.keylog ? { keylog: argv.keylog } : {}),
            json: argv.json,
            stats: argv.stats,
            follow: argv.follow,
            filter: filterFrom(argv),
            color,
            out: io.stdout as never,
            err: io.stderr as never,
            signal: controller.signal,
          });
        },
      )
      .command(
        'serve <capture>',
        'Serve a web UI: packet list, details with raw bytes, filters and a graph of who talked to whom',
        (y) => y
          .positional('capture', { type: 'string', demandOption: true })
          .option('keylog', filterOptions.keylog)
          .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' }),
        async (argv) => {
          // Loaded here: the web server is not needed by the (much more common) printing path, whose start-up it slowed.
          const [{ startWebServer }, { backfillPeers }, { loadCapture }] = await Promise.all([
            import('../server/web-server.js'),
            import('../decode/backfill-peers.js'),
            import('./load-capture.js'),
          ]);
          const loaded = await loadCapture({ capture: argv.capture, ...(argv.keylog ? { keylog: argv.keylog } : {}) });
          backfillPeers(loaded.messages);
          const server = await startWebServer(
            {
              capture: argv.capture,
              messages: loaded.messages,
              summary: { stats: loaded.run.inspector.stats, truncated: loaded.run.capture.truncated ?? null, dropped: loaded.dropped, keylog: Boolean(argv.keylog) },
            },
            { host: argv.host, port: argv.port },
          );
          io.stdout.write(`p2p-inspect: serving ${loaded.messages.length} messages of ${argv.capture} at ${server.url}\n`);
          await new Promise<void>((r) => controller.signal.addEventListener('abort', () => r(), { once: true }));
          await server.close();
        },
      )
      .example('$0 capture.pcap', 'table of every message')
      .example('$0 capture.pcapng.gz --json | jq .type', 'JSON lines')
      .example('$0 cap.pcap --keylog keys.log --type chat --peer alice', 'decrypt TLS, only chat lines to/from alice')
      .example('$0 cap.pcap --stats', 'counts per type and per peer pair')
      .example('tcpdump -i lo -U -w cap.pcap port 4001 & $0 cap.pcap --follow', 'watch live traffic')
      .example('$0 serve cap.pcap --port 8080', 'web UI on http://127.0.0.1:8080/')
      .epilog(EPILOG)
      .strict()
      .help()
      .version(INSPECTOR_VERSION)
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
  } catch (err) {
    fail(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}
