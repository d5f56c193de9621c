import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatBytes, formatTable, printJson, printLine, shortHex } from '../format/index.js';

/** Arguments of `p2p-cli downloads`. */
export interface DownloadsArgs extends GlobalArgs {
  /** Root (or prefix) to resume. */
  resume?: string;
  /** Root (or prefix) to cancel. */
  cancel?: string;
}

/** `p2p-cli downloads`: downloads in progress and finished; resume or cancel one. */
export const downloadsCommand: CommandModule<GlobalArgs, DownloadsArgs> = {
  command: 'downloads',
  describe: 'downloads in progress and finished; --resume or --cancel one by root',
  builder: (y) => y
    .option('resume', { type: 'string', describe: 'resume the download with this root (or a unique prefix)' })
    .option('cancel', { type: 'string', describe: 'cancel the download with this root (or prefix) and delete its partial file' })
    .example('$0 downloads', 'STATE  DONE  SIZE  FILE  ROOT')
    .example('$0 downloads --resume 3fa9c2', 'resume a paused or failed download')
    .example('$0 downloads --cancel 3fa9c2', 'cancel a download and delete its partial file')
    .example('$0 downloads --json', '[{"root","path","size","bytes","state","sources"}]'),
  handler: async (args) => {
    const { downloads } = await withClient(args, (c) => c.call({ downloads: { resume: args.resume ?? '', cancel: args.cancel ?? '' } }));
    const rows = (downloads?.downloads ?? []).map((d) => ({
      root: d.root ?? '', path: d.path ?? '', size: Number(d.size ?? 0), bytes: Number(d.bytes ?? 0), state: d.state ?? '',
      sources: d.sources ?? [], ...(d.error ? { error: d.error } : {}),
    }));
    if (args.json) return printJson(rows);
    if (rows.length === 0) return printLine(colors.dim('no downloads'));
    printLine(formatTable(['STATE', 'DONE', 'SIZE', 'FILE', 'ROOT'],
      rows.map((r) => [r.state, `${r.size ? Math.floor((r.bytes * 100) / r.size) : 100}%`, formatBytes(r.size), r.path, shortHex(r.root)])));
  },
};
