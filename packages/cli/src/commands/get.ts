import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { CommandModule } from 'yargs';
import type { p2p } from '@p2p/core';
import { withClient, type GlobalArgs } from '../context.js';
import { DownloadFailedError, UsageError } from '../errors.js';
import { formatBytes, printJson, printLine } from '../format/index.js';

/** Arguments of `p2p-cli get`. */
export interface GetArgs extends GlobalArgs {
  /** File name or root. */
  target?: string;
  /** Only from this holder. */
  from?: string;
  /** Output directory. */
  output?: string;
  /** Seconds of searching. */
  timeout?: number;
}

/** `p2p-cli get`: downloads a file, verified block by block and as a whole; exit 0 only when it is complete. */
export const getCommand: CommandModule<GlobalArgs, GetArgs> = {
  command: 'get <target>',
  describe: 'download a file by name or root from every holder at once, verified; resumable',
  builder: (y) => y
    .positional('target', { type: 'string', describe: 'exact file name, or its root (64 hex digits)' })
    .option('from', { type: 'string', describe: 'only from this holder (name or peer ID)' })
    .option('output', { alias: 'o', type: 'string', describe: 'directory to put the file in (default: the daemon\'s downloads directory)' })
    .option('timeout', { type: 'number', describe: 'seconds to search for holders (default 2)' })
    .example('$0 get report.pdf', 'a progress bar, then: /home/alice/.local/share/p2p/downloads/report.pdf')
    .example('$0 get report.pdf -o . --json', '{"path","bytes","sha256","root","sources"}'),
  handler: async (args) => {
    if (!args.target) throw new UsageError('get needs a file name or a root');
    const tty = process.stderr.isTTY === true && !args.json;
    let bar: SingleBar | undefined;
    let lastLine = 0;
    let final: p2p.control.v1.IDownloadEntry | undefined;
    const started = Date.now();
    const show = (d: p2p.control.v1.IDownloadEntry): void => {
      const size = Number(d.size ?? 0);
      const bytes = Number(d.bytes ?? 0);
      if (tty) {
        bar ??= new SingleBar({
          format: '{bar} {percentage}% | {done} of {total_h} | {rate}/s | ETA {eta_formatted} | {sources} sources',
          stream: process.stderr, hideCursor: true,
        });
        if (!bar.isActive) bar.start(size, bytes, { done: formatBytes(bytes), total_h: formatBytes(size), rate: '-', sources: 0 });
        const secs = (Date.now() - started) / 1000;
        bar.update(bytes, { done: formatBytes(bytes), rate: secs > 0 ? formatBytes(Math.round(bytes / secs)) : '-', sources: d.activeSources ?? 0 });
      } else if (!args.json && (Date.now() - lastLine >= 1000 || d.state !== 'running')) {
        lastLine = Date.now();
        printLine(`${d.state} ${bytes}/${size} bytes, ${d.activeSources ?? 0} sources`);
      }
    };
    try {
      await withClient(args, (c) => c.stream({
        get: {
          target: String(args.target), from: args.from ?? '', outputDir: args.output ? resolve(args.output) : '',
          timeoutMs: Math.max(100, Math.round((args.timeout ?? 2) * 1000)),
        },
      }, (r) => {
        const d = r.download;
        if (!d) return undefined;
        show(d);
        if (d.state === 'done' || d.state === 'failed' || d.state === 'cancelled') { final = d; return 'done'; }
        return undefined;
      }));
    } finally {
      bar?.stop();
    }
    if (!final) throw new DownloadFailedError('the daemon ended the download without a result', '');
    if (final.state !== 'done') throw new DownloadFailedError(final.error || final.state || 'failed', final.errorCode ?? '');
    const out = { path: final.path ?? '', bytes: Number(final.bytes ?? 0), sha256: final.sha256 ?? '', root: final.root ?? '', sources: final.sources ?? [] };
    if (args.json) return printJson(out);
    printLine(out.path);
  },
};
