import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { UsageError } from '../errors.js';
import { colors, formatBytes, formatTable, printJson, printLine, shortHex } from '../format/index.js';

/** Arguments of `p2p-cli search`. */
export interface SearchArgs extends GlobalArgs {
  /** Text to look for. */
  text?: string;
  /** Whole name only. */
  exact?: boolean;
  /** Seconds to gather answers. */
  timeout?: number;
}

/** One search answer as printed with --json. */
export interface SearchRow { peerId: string; name: string; file: string; size: number; sha256: string; root: string }

/** `p2p-cli search`: who has which file, on the LAN and through the mesh. */
export const searchCommand: CommandModule<GlobalArgs, SearchArgs> = {
  command: 'search <text>',
  describe: 'ask the LAN and the mesh who has files matching a text (case-insensitive substring)',
  builder: (y) => y
    .positional('text', { type: 'string', describe: 'part of a file name (or the whole name with --exact)' })
    .option('exact', { type: 'boolean', describe: 'match the whole file name only' })
    .option('timeout', { type: 'number', describe: 'seconds to gather answers (default 2)' })
    .example('$0 search report', 'NAME  FILE  SIZE  ROOT  PEER ID')
    .example('$0 search report --json', '[{"peerId","name","file","size","sha256","root"}]'),
  handler: async (args) => {
    if (!args.text) throw new UsageError('search needs a text');
    const rows: SearchRow[] = [];
    const timeoutMs = Math.max(100, Math.round((args.timeout ?? 2) * 1000));
    await withClient(args, (c) => c.stream({ search: { query: String(args.text), exact: args.exact === true, timeoutMs } }, (r) => {
      const h = r.searchHit;
      if (h) rows.push({ peerId: h.peerId ?? '', name: h.name ?? '', file: h.file ?? '', size: Number(h.size ?? 0), sha256: h.sha256 ?? '', root: h.root ?? '' });
      return r.searchEnd ? 'done' : undefined;
    }));
    if (args.json) return printJson(rows);
    if (rows.length === 0) return printLine(colors.dim('nobody has a matching file'));
    printLine(formatTable(['HOLDER', 'FILE', 'SIZE', 'ROOT', 'PEER ID'],
      rows.map((r) => [r.name, r.file, formatBytes(r.size), shortHex(r.root), r.peerId.slice(0, 12)])));
  },
};
